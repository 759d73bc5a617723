"""Fixtures of the digest tests (and of the news and newsletter tests below)."""

import pytest

from tests.briefings.factories import issue_build


@pytest.fixture
def issue(home_page, locales):
    """A published Briefing with a published French translation (no Swahili)."""
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
