"""Fixtures of the newsletter tests: a Briefing list, and the email renderer
counted."""

import pytest

from briefings.newsletter import dispatch as dispatch_module
from tests.briefings.newsletter.factories import CountingRender, MailingListFactory


@pytest.fixture
def briefing_list(db):
    return MailingListFactory(briefing=True)


@pytest.fixture
def renders(monkeypatch):
    counting = CountingRender(dispatch_module._render)
    monkeypatch.setattr(dispatch_module, "_render", counting)
    return counting
