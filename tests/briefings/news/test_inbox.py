"""What editors do in the inbox: status changes and tags, in bulk."""

import pytest

from briefings.news.choices import NewsStatus
from briefings.news.inbox import news_items_status_set, news_items_tag
from tests.briefings.news.factories import NewsItemFactory
from tests.publications.factories import CountryFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_bulk_status_changes_reach_folded_duplicates():
    original = NewsItemFactory()
    duplicate = NewsItemFactory(duplicate_of=original)

    news_items_status_set(item_ids=[original.pk], status=NewsStatus.SHORTLISTED)

    duplicate.refresh_from_db()
    assert duplicate.status == NewsStatus.SHORTLISTED


def test_tagging_adds_to_existing_tags(locales):
    first, second = ProgrammeFactory(), ProgrammeFactory()
    country = CountryFactory()
    item = NewsItemFactory()
    item.programmes.add(first)

    news_items_tag(
        item_ids=[item.pk],
        programme_ids=[first.pk, second.pk],
        country_ids=[country.pk],
    )

    assert set(item.programmes.all()) == {first, second}
    assert list(item.countries.all()) == [country]


# --- whole ingestion against a local server ------------------------------------
