"""Demo news: ten and more sources fed from files, without any network access."""

import socket

from django.conf import settings

import pytest

from briefings.news.choices import FetchOutcome
from briefings.news.demo import DEMO_FEEDS_DIR, DEMO_SOURCES, news_demo_ensure
from briefings.news.ingest.store import entry_identity
from briefings.news.models import NewsItem, NewsSource
from publications.models import Programme
from tests.briefings.news.feeds import browser_problems, connections_refuse
from tests.publications.factories import CountryFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offline(monkeypatch):
    def no_dns(*args, **kwargs):
        raise AssertionError("the demo looked a name up")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    return connections_refuse(monkeypatch)


def test_every_demo_source_has_its_feed_file():
    assert len(DEMO_SOURCES) >= 10
    for spec in DEMO_SOURCES:
        assert (DEMO_FEEDS_DIR / spec.file).is_file(), spec.file
    assert len({spec.feed_url for spec in DEMO_SOURCES}) == len(DEMO_SOURCES)


def test_the_demo_news_is_built_offline_and_only_once(offline, locales):
    ProgrammeFactory(slug="natural-resources", name="Natural Resources")
    CountryFactory(iso_code="TZ", name="Tanzania")

    first = news_demo_ensure()
    second = news_demo_ensure()

    assert first["news sources"] == len(DEMO_SOURCES) >= 10
    assert first["news items"] >= 100
    assert second == {"news sources": 0, "news items": 0}
    assert offline == []
    sources = NewsSource.objects.all()
    assert all(source.is_active for source in sources)
    read = sources.exclude(title__in=["Gold Supply Chain Watch", MOVED])
    assert all(source.failure_count == 0 for source in read)
    assert {source.last_outcome for source in read} == {FetchOutcome.UNCHANGED}
    assert all(
        source.feed_url.startswith(f"{settings.BASE_URL}/demo-feeds/")
        for source in sources
    )
    institute = NewsSource.objects.get(title="Institute news")
    assert list(institute.default_programmes.values_list("slug", flat=True)) == [
        "natural-resources"
    ]
    assert institute.items.filter(programmes__slug="natural-resources").count() == 15
    assert NewsItem.objects.filter(countries__iso_code="TZ").exists()
    assert Programme.objects.count() == 1


MOVED = "Central Africa Conflict Notes"


def test_one_demo_source_is_held_back_and_one_is_failing(offline, settings):
    settings.BASE_URL = "https://demo.example.org/"
    news_demo_ensure()
    news_demo_ensure()

    held_back = NewsSource.objects.get(title="Gold Supply Chain Watch")
    moved = NewsSource.objects.get(title=MOVED)
    assert held_back.feed_url == (
        "https://demo.example.org/demo-feeds/gold-supply-chain-watch.xml"
    )
    assert not held_back.items.exists()
    assert held_back.state().text == "Not fetched yet"
    assert "/demo-feeds/moved/" in moved.feed_url
    assert moved.items.exists()
    assert moved.failure_count == 1 and moved.failing_since is not None
    assert moved.state().kind == "failing"
    assert "not at this address" in moved.last_error


def test_a_demo_made_before_the_feeds_were_served_is_updated(offline):
    legacy = NewsSource.objects.create(
        title="Institute news",
        feed_url="https://ipis.example/news/feed/",
        is_active=False,
    )

    news_demo_ensure()

    legacy.refresh_from_db()
    assert legacy.feed_url.endswith("/demo-feeds/institute-news.xml")
    assert legacy.is_active
    assert NewsSource.objects.filter(title="Institute news").count() == 1


def test_demo_items_are_dated_before_the_demo_issues_that_cite_them():
    from briefings.demo import BRIEFING_SECTIONS
    from briefings.news.ingest.parse import feed_parse
    from bulletins.demo import BULLETIN_SECTIONS
    from site_config.demo import facts

    issue_dates = {slug: day for slug, day, *_ in [*facts.BRIEFINGS, *facts.BULLETINS]}
    published = {}
    for spec in DEMO_SOURCES:
        body = (DEMO_FEEDS_DIR / spec.file).read_bytes()
        for entry in feed_parse(body=body).entries:
            published[entry.title] = entry.published.date().isoformat()
    cited = 0
    for plan in (BRIEFING_SECTIONS, BULLETIN_SECTIONS):
        for slug, sections in plan.items():
            for section in sections:
                for title in section.news:
                    assert published[title] < issue_dates[slug], (title, slug)
                    cited += 1
    assert cited >= 20


def test_the_demo_shows_a_duplicate_once_with_both_sources(offline):
    news_demo_ensure()

    duplicate = NewsItem.objects.exclude(duplicate_of=None).get()

    assert duplicate.source.title == "Supply Chain Due Diligence Digest"
    assert duplicate.duplicate_of.source.title == "Institute news"
    assert [s.title for s in duplicate.duplicate_of.all_sources()] == [
        "Institute news",
        "Supply Chain Due Diligence Digest",
    ]


def test_the_messy_demo_feed_is_cleaned(offline):
    news_demo_ensure()

    roundup = NewsSource.objects.get(title="Regional Press Roundup")
    items = list(roundup.items.all())

    assert len(items) == 3
    assert "not well-formed" in roundup.last_note
    for item in items:
        assert browser_problems(item.summary_html) == []
        assert "\u202e" not in item.title
        assert "utm_" not in item.canonical_url and "gclid" not in item.canonical_url


def test_demo_identities_are_stable():
    from briefings.news.ingest.parse import feed_parse

    body = (DEMO_FEEDS_DIR / "institute-news.xml").read_bytes()
    entries = feed_parse(body=body).entries

    assert len({entry_identity(entry=e) for e in entries}) == len(entries) == 15
