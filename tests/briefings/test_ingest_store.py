"""Storing entries, and one source's whole ingestion with its health."""

import datetime
from datetime import timedelta

from django.utils import timezone

import pytest

from briefings.choices import FetchOutcome, NewsStatus
from briefings.ingest import store
from briefings.ingest.parse import FeedParseError, ParsedEntry, ParsedFeed
from briefings.ingest.store import (
    entry_identity,
    feed_store,
    news_item_upsert,
    news_items_status_set,
    news_items_tag,
    source_fetch_now,
    source_ingest,
    source_rules_test,
    sources_ingest,
)
from briefings.models import NewsItem, NewsSource
from tests.briefings.feeds_factories import (
    NewsItemFactory,
    NewsSourceFactory,
    local_feed_server,
    rss_document,
    rss_feed,
    rss_item,
)
from tests.publications.factories import CountryFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2021, 3, 1, 12, tzinfo=datetime.UTC)


def entry(n: int, **fields) -> ParsedEntry:
    values = {
        "guid": f"guid-{n}",
        "link": f"https://news.example/{n}",
        "title": f"Title {n}",
        "summary": f"<p>Summary {n}</p>",
        "published": WHEN + timedelta(hours=n),
    }
    values.update(fields)
    return ParsedEntry(**values)


def parsed(*entries: ParsedEntry) -> ParsedFeed:
    return ParsedFeed(title="Feed", entries=list(entries))


@pytest.fixture(scope="module")
def running_server():
    with local_feed_server() as running:
        yield running


@pytest.fixture
def server(running_server):
    running_server.clear()
    yield running_server
    running_server.clear()


def test_new_entries_become_items_tagged_with_the_source_defaults(locales):
    programme, country = ProgrammeFactory(), CountryFactory()
    source = NewsSourceFactory(language="fr")
    source.default_programmes.add(programme)
    source.default_countries.add(country)

    report = feed_store(source=source, parsed=parsed(entry(1), entry(2)))

    assert (report.new, report.updated, report.unchanged) == (2, 0, 0)
    item = NewsItem.objects.get(guid="guid-1")
    assert item.title == "Title 1"
    assert item.summary_html == "<p>Summary 1</p>"
    assert item.language == "fr"
    assert item.status == NewsStatus.NEW
    assert list(item.programmes.all()) == [programme]
    assert list(item.countries.all()) == [country]


def test_unchanged_entries_are_not_cleaned_again(monkeypatch):
    source = NewsSourceFactory()
    feed_store(source=source, parsed=parsed(entry(1), entry(2)))
    calls = []
    monkeypatch.setattr(store, "html_clean", lambda value: calls.append(value) or value)

    report = feed_store(source=source, parsed=parsed(entry(1), entry(2), entry(3)))

    assert (report.new, report.updated, report.unchanged) == (1, 0, 2)
    assert calls == ["<p>Summary 3</p>"]


def test_a_changed_entry_updates_its_text_but_not_status_or_tags(locales):
    source = NewsSourceFactory()
    feed_store(source=source, parsed=parsed(entry(1)))
    item = NewsItem.objects.get()
    item.status = NewsStatus.SHORTLISTED
    item.save()
    programme = ProgrammeFactory()
    item.programmes.add(programme)

    report = feed_store(source=source, parsed=parsed(entry(1, title="Corrected")))

    item.refresh_from_db()
    assert report.updated == 1
    assert item.title == "Corrected"
    assert item.status == NewsStatus.SHORTLISTED
    assert list(item.programmes.all()) == [programme]


def test_identity_falls_back_from_guid_to_link_to_title_and_date():
    with_guid = entry(1)
    with_link = entry(1, guid="")
    with_title = entry(1, guid="", link="")

    identities = {entry_identity(entry=e) for e in (with_guid, with_link, with_title)}

    assert len(identities) == 3
    assert entry_identity(entry=entry(1, guid="", title="Other")) == entry_identity(
        entry=with_link
    )
    assert entry_identity(entry=entry(1, guid="", link="", title="Other")) != (
        entry_identity(entry=with_title)
    )


def test_dismissed_items_are_not_re_added():
    source = NewsSourceFactory()
    feed_store(source=source, parsed=parsed(entry(1)))
    news_items_status_set(
        item_ids=list(NewsItem.objects.values_list("pk", flat=True)),
        status=NewsStatus.DISMISSED,
    )

    report = feed_store(source=source, parsed=parsed(entry(1)))

    assert report.new == 0
    assert NewsItem.objects.get().status == NewsStatus.DISMISSED


def test_items_that_leave_the_feed_stay_in_the_inbox():
    source = NewsSourceFactory()
    feed_store(source=source, parsed=parsed(entry(1), entry(2)))

    feed_store(source=source, parsed=parsed(entry(3)))

    assert NewsItem.objects.count() == 3


def test_the_same_article_from_two_sources_is_shown_once_with_both_sources():
    first, second = NewsSourceFactory(title="First"), NewsSourceFactory(title="Second")
    feed_store(source=first, parsed=parsed(entry(1, link="https://News.example/a")))

    report = feed_store(
        source=second,
        parsed=parsed(
            entry(9, link="https://news.example/a?utm_source=rss&fbclid=1#frag")
        ),
    )

    assert report.duplicates == 1
    inbox = list(NewsItem.objects.inbox().for_listing())
    assert len(inbox) == 1
    assert [s.title for s in inbox[0].all_sources()] == ["First", "Second"]


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


def test_entries_repeating_an_identity_are_stored_once():
    source = NewsSourceFactory()

    report = feed_store(source=source, parsed=parsed(entry(1), entry(1, title="Again")))

    assert report.new == 1
    assert "repeated an identity" in " ".join(report.notes)


def test_odd_entries_are_stored_sensibly():
    source = NewsSourceFactory()
    future = timezone.now() + timedelta(days=400)

    news_item_upsert(
        source=source,
        entry=entry(
            1,
            title="",
            title_is_html=False,
            link="javascript:alert(1)",
            summary="Plain <text> & more",
            summary_is_html=False,
            published=future,
        ),
    )

    item = NewsItem.objects.get()
    assert item.title == "Plain <text> & more"
    assert item.link == item.canonical_url == ""
    assert item.summary_html == "Plain &lt;text&gt; &amp; more"
    assert item.published_at < timezone.now() + timedelta(days=2)


def test_html_titles_become_text():
    source = NewsSourceFactory()

    news_item_upsert(
        source=source,
        entry=entry(
            1, title="<b>Bold</b> &amp; <script>x()</script>", title_is_html=True
        ),
    )

    assert NewsItem.objects.get().title == "Bold &"


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


def test_a_first_poll_stores_items_and_records_health(server):
    server.expect_request("/feed").respond_with_data(
        rss_feed(3), headers={"ETag": '"a"', "Last-Modified": "Mon, 01 Mar 2021"}
    )
    source = NewsSourceFactory(feed_url=server.url_for("/feed"))

    report = source_ingest(source=source)

    source.refresh_from_db()
    assert (report.outcome, report.new) == (FetchOutcome.CHANGED, 3)
    assert source.etag == '"a"'
    assert source.last_modified == "Mon, 01 Mar 2021"
    assert source.last_body_hash
    assert source.last_success_at and source.failure_count == 0
    assert source.next_poll_at > timezone.now() + timedelta(minutes=59)
    assert source.ingest_started_at is None
    assert source.health_label() == "OK"


def test_304_means_nothing_new_and_nothing_is_parsed(server, monkeypatch):
    source = NewsSourceFactory(
        feed_url=server.url_for("/feed"), etag='"a"', last_modified="yesterday"
    )
    server.expect_request(
        "/feed", headers={"If-None-Match": '"a"', "If-Modified-Since": "yesterday"}
    ).respond_with_data("", status=304)
    monkeypatch.setattr(store, "feed_parse", lambda **kw: pytest.fail("parsed"))

    report = source_ingest(source=source)

    source.refresh_from_db()
    assert report.outcome == FetchOutcome.NOT_MODIFIED
    assert source.last_outcome == FetchOutcome.NOT_MODIFIED
    assert source.etag == '"a"'


def test_an_unchanged_feed_is_not_reparsed(server, monkeypatch):
    server.expect_request("/feed").respond_with_data(rss_feed(2))
    source = NewsSourceFactory(feed_url=server.url_for("/feed"))
    source_ingest(source=source)
    monkeypatch.setattr(store, "feed_parse", lambda **kw: pytest.fail("parsed"))

    report = source_ingest(source=source, force=True)

    assert report.outcome == FetchOutcome.UNCHANGED
    assert NewsItem.objects.count() == 2


def test_validators_are_kept_only_once_everything_is_stored(server, monkeypatch):
    server.expect_request("/feed").respond_with_data(
        rss_feed(2), headers={"ETag": '"b"'}
    )
    source = NewsSourceFactory(feed_url=server.url_for("/feed"))

    def broken(**kwargs):
        raise FeedParseError("Parsing took longer than 15 seconds and was stopped.")

    monkeypatch.setattr(store, "feed_parse", broken)

    report = source_ingest(source=source)

    source.refresh_from_db()
    assert report.outcome == FetchOutcome.FAILED
    assert source.etag == "" and source.last_body_hash == ""
    assert "longer than 15 seconds" in source.last_error


def test_failures_back_off_exponentially_capped_and_never_give_up(server, settings):
    server.expect_request("/feed").respond_with_data("oops", status=500)
    source = NewsSourceFactory(feed_url=server.url_for("/feed"), poll_interval=60)
    delays = []

    for _ in range(9):
        before = timezone.now()
        source_ingest(source=source, force=True)
        source.refresh_from_db()
        delays.append(round((source.next_poll_at - before).total_seconds() / 60))

    base = settings.FEEDS_BACKOFF_BASE // 60
    assert delays[:4] == [base, base * 2, base * 4, base * 8]
    assert max(delays) == settings.FEEDS_BACKOFF_MAX // 60
    assert source.failure_count == 9
    assert source.is_active
    assert source.last_error == "The server answered 500 (an error on the server)."
    assert source.health_label() == "Failing (9 in a row)"


def test_retry_after_is_honoured(server):
    server.expect_request("/feed").respond_with_data(
        "", status=429, headers={"Retry-After": "7200"}
    )
    source = NewsSourceFactory(feed_url=server.url_for("/feed"))

    source_ingest(source=source)

    source.refresh_from_db()
    assert source.next_poll_at >= timezone.now() + timedelta(seconds=7190)


def test_a_success_after_failures_resets_the_count(server):
    server.expect_request("/feed").respond_with_data(rss_feed(1))
    source = NewsSourceFactory(feed_url=server.url_for("/feed"), failing=True)

    source_ingest(source=source, force=True)

    source.refresh_from_db()
    assert source.failure_count == 0
    assert source.last_outcome == FetchOutcome.CHANGED


def test_fetch_now_resets_the_backoff_and_fetches(server):
    server.expect_request("/feed").respond_with_data(rss_feed(2))
    source = NewsSourceFactory(
        feed_url=server.url_for("/feed"),
        failing=True,
        next_poll_at=timezone.now() + timedelta(hours=20),
    )

    result = source_fetch_now(source=source)

    source.refresh_from_db()
    assert result.return_value["new"] == 2
    assert source.failure_count == 0
    assert source.next_poll_at < timezone.now() + timedelta(hours=2)


def test_a_source_not_due_is_skipped_unless_forced(server):
    source = NewsSourceFactory(
        feed_url=server.url_for("/feed"),
        next_poll_at=timezone.now() + timedelta(hours=1),
    )

    report = source_ingest(source=source)

    assert report.outcome == "skipped"
    assert server.log == []


def test_a_source_already_being_fetched_is_skipped(server):
    source = NewsSourceFactory(
        feed_url=server.url_for("/feed"), ingest_started_at=timezone.now()
    )

    report = source_ingest(source=source, force=True)

    assert (report.outcome, report.note) == ("skipped", "Already being fetched.")
    assert server.log == []


def test_a_page_that_is_not_a_feed_is_a_failure(server):
    server.expect_request("/page").respond_with_data(
        "<html><body>Hello</body></html>", content_type="text/html"
    )
    source = NewsSourceFactory(feed_url=server.url_for("/page"))

    report = source_ingest(source=source)

    source.refresh_from_db()
    assert report.outcome == FetchOutcome.FAILED
    assert source.last_error == "The address does not serve an RSS or Atom feed."


def test_an_unexpected_error_is_recorded_and_the_run_goes_on(server, monkeypatch):
    server.expect_request("/feed").respond_with_data(rss_feed(1))
    broken = NewsSourceFactory(feed_url=server.url_for("/feed"), title="Broken")
    fine = NewsSourceFactory(feed_url=server.url_for("/feed") + "?2", title="Fine")
    original = store.feed_store

    def explode(*, source, parsed):
        if source.pk == broken.pk:
            raise RuntimeError("boom")
        return original(source=source, parsed=parsed)

    monkeypatch.setattr(store, "feed_store", explode)

    reports = sources_ingest()

    assert [r.outcome for r in reports] == [FetchOutcome.FAILED, FetchOutcome.CHANGED]
    broken.refresh_from_db()
    assert "RuntimeError('boom')" in broken.last_error
    assert broken.ingest_started_at is None
    assert NewsSource.objects.get(pk=fine.pk).failure_count == 0


def test_due_only_picks_active_sources_whose_time_has_come(server):
    server.expect_request("/feed").respond_with_data(rss_document([rss_item(1)]))
    url = server.url_for("/feed")
    due = NewsSourceFactory(feed_url=url, next_poll_at=timezone.now())
    NewsSourceFactory(
        feed_url=url + "?later", next_poll_at=timezone.now() + timedelta(1)
    )
    NewsSourceFactory(feed_url=url + "?off", is_active=False)
    never = NewsSourceFactory(feed_url=url + "?new", next_poll_at=None)

    reports = sources_ingest(due_only=True)

    assert {r.source_id for r in reports} == {due.pk, never.pk}
