"""One source's whole ingestion: conditional fetches, health and backoff."""

import time
from datetime import timedelta

from django.utils import timezone

import pytest

from briefings.news.choices import FetchOutcome
from briefings.news.ingest import refresh
from briefings.news.ingest.parse import FeedParseError
from briefings.news.ingest.refresh import source_ingest, sources_ingest
from briefings.news.models import NewsItem, NewsSource
from briefings.news.tasks import source_fetch_now
from tests.briefings.news.factories import NewsSourceFactory
from tests.briefings.news.feeds import (
    rss_document,
    rss_feed,
    rss_item,
)

pytestmark = pytest.mark.django_db


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
    assert source.state().text.startswith("Healthy; next poll ")
    assert source.failing_since is None


def test_304_means_nothing_new_and_nothing_is_parsed(server, monkeypatch):
    source = NewsSourceFactory(
        feed_url=server.url_for("/feed"), etag='"a"', last_modified="yesterday"
    )
    server.expect_request(
        "/feed", headers={"If-None-Match": '"a"', "If-Modified-Since": "yesterday"}
    ).respond_with_data("", status=304)
    monkeypatch.setattr(refresh, "feed_parse", lambda **kw: pytest.fail("parsed"))

    report = source_ingest(source=source)

    source.refresh_from_db()
    assert report.outcome == FetchOutcome.NOT_MODIFIED
    assert source.last_outcome == FetchOutcome.NOT_MODIFIED
    assert source.etag == '"a"'


def test_an_unchanged_feed_is_not_reparsed(server, monkeypatch):
    server.expect_request("/feed").respond_with_data(rss_feed(2))
    source = NewsSourceFactory(feed_url=server.url_for("/feed"))
    source_ingest(source=source)
    monkeypatch.setattr(refresh, "feed_parse", lambda **kw: pytest.fail("parsed"))

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

    monkeypatch.setattr(refresh, "feed_parse", broken)

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
    assert source.failing_since is not None and source.failing_since <= before
    assert source.state().text.startswith("Failing since ")
    assert "(9 failed polls in a row); backing off until " in source.state().text


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
    original = refresh.feed_store

    def explode(*, source, parsed, **options):
        if source.pk == broken.pk:
            raise RuntimeError("boom")
        return original(source=source, parsed=parsed, **options)

    monkeypatch.setattr(refresh, "feed_store", explode)

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


def test_ingest_cleans_html_only_within_the_feed_work_budget(monkeypatch, settings):
    source = NewsSourceFactory()
    deadlines = []
    original = refresh.feed_store

    def store(*, source, parsed, clean_deadline):
        deadlines.append(clean_deadline)
        return original(source=source, parsed=parsed, clean_deadline=clean_deadline)

    monkeypatch.setattr(refresh, "feed_store", store)
    before = time.perf_counter()

    refresh.source_body_ingest(source=source, body=rss_feed(2))

    budget = settings.FEEDS_PARSE_TIMEOUT  # from the start of parsing
    assert before + budget <= deadlines[0] <= time.perf_counter() + budget
