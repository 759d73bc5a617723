"""Keyword rules: unwanted items dismissed on arrival, and rules tried first."""

import pytest

from briefings.news.choices import NewsStatus
from briefings.news.ingest.rules import source_rules_test
from briefings.news.ingest.store import feed_store
from briefings.news.models import NewsItem
from tests.briefings.news.factories import NewsSourceFactory
from tests.briefings.news.feeds import (
    entry,
    parsed,
)

pytestmark = pytest.mark.django_db


def test_keyword_rules_dismiss_unwanted_items_on_arrival():
    source = NewsSourceFactory(
        include_keywords="mining\ngold", exclude_keywords="football"
    )

    feed_store(
        source=source,
        parsed=parsed(
            entry(1, title="Gold exports rise"),
            entry(2, title="Mining and football"),
            entry(3, title="Weather report"),
            entry(4, title="Goldfish", summary="<p>mining-town</p>"),
        ),
    )

    statuses = dict(NewsItem.objects.values_list("guid", "status"))
    notes = dict(NewsItem.objects.values_list("guid", "rule_note"))
    assert statuses == {
        "guid-1": NewsStatus.NEW,
        "guid-2": NewsStatus.DISMISSED,
        "guid-3": NewsStatus.DISMISSED,
        "guid-4": NewsStatus.NEW,  # "mining" as a word in the summary
    }
    assert "football" in notes["guid-2"]
    assert "none of the include keywords" in notes["guid-3"]


def test_rules_can_be_tried_on_recent_items_before_saving():
    source = NewsSourceFactory()
    feed_store(
        source=source,
        parsed=parsed(entry(1, title="Arms exports"), entry(2, title="Farm prices")),
    )

    rows = source_rules_test(
        source=source, include_keywords="arms", exclude_keywords=""
    )

    assert {row.item.title: row.kept for row in rows} == {
        "Arms exports": True,
        "Farm prices": False,
    }
    source.refresh_from_db()
    assert source.include_keywords == ""
