"""Fixtures for dispatch tests: an issue in en and fr, a list and its readers."""

import pytest

from briefings.email import dispatch as dispatch_module
from briefings.email.send import DjangoEmailSendingBackend
from tests.briefings.factories import BriefingIndexPageFactory, BriefingPageFactory
from tests.briefings.mailing_factories import MailingListFactory


def issue_build(home_page, locales):
    """A published Briefing with a published French translation (no Swahili)."""
    index = BriefingIndexPageFactory(parent=home_page)
    page = BriefingPageFactory(parent=index, title="Briefing March 2020")
    index.copy_for_translation(locales["fr"], copy_parents=True)
    french = page.copy_for_translation(locales["fr"])
    french.title = "Briefing mars 2020"
    french.save_revision().publish()
    return page


@pytest.fixture
def issue(home_page, locales):
    return issue_build(home_page, locales)


@pytest.fixture
def tx_issue(transactional_db):
    """The same issue for tests that commit (threads): the tree may be flushed."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Locale, Page, Site

    from tests.site_config.factories import HomePageFactory

    ContentType.objects.clear_cache()
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code in ("en", "fr", "sw")
    }
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locales["en"])
    )
    home = HomePageFactory(parent=root, slug="institute-mailing", locale=locales["en"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return issue_build(home, locales)


@pytest.fixture
def briefing_list(db):
    return MailingListFactory(
        name="Monthly Briefing",
        slug="briefing",
        digest_type="briefings.briefingpage",
    )


class CountingRender:
    """The real renderer, counting calls per language."""

    def __init__(self, real):
        self.real = real
        self.calls: list[str] = []

    def __call__(self, page, *, base_url):
        self.calls.append(page.locale.language_code)
        return self.real(page, base_url=base_url)


@pytest.fixture
def renders(monkeypatch):
    counting = CountingRender(dispatch_module._render)
    monkeypatch.setattr(dispatch_module, "_render", counting)
    return counting


class CrashingBackend(DjangoEmailSendingBackend):
    """Django's locmem backend underneath, dying after a number of messages."""

    def __init__(self, crash_after: int):
        super().__init__()
        self.crash_after = crash_after
        self.sent = 0

    def send(self, message):
        if self.sent >= self.crash_after:
            raise ConnectionResetError("the SMTP connection dropped")
        super().send(message)
        self.sent += 1
