"""The thin commands: ingest_feeds, import_opml, export_opml; and the tasks."""

import io
import re
from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

import pytest

from briefings.news.models import NewsItem, NewsSource
from briefings.news.tasks import source_ingest_task, sources_due_ingest_task
from tests.briefings.news.factories import NewsSourceFactory
from tests.briefings.news.feeds import rss_feed

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_ingest_feeds_shows_progress_and_a_summary_and_succeeds_despite_failures(
    server,
):
    server.expect_request("/good").respond_with_data(rss_feed(3))
    server.expect_request("/same").respond_with_data("", status=304)
    server.expect_request("/bad").respond_with_data("", status=500)
    NewsSourceFactory(title="Good feed", feed_url=server.url_for("/good"))
    NewsSourceFactory(title="Same feed", feed_url=server.url_for("/same"), etag='"x"')
    NewsSourceFactory(title="Bad feed", feed_url=server.url_for("/bad"))
    NewsSourceFactory(title="Off", feed_url=server.url_for("/off"), is_active=False)

    out, _err = run("ingest_feeds")  # returning at all means exit status 0

    assert "Good feed: 3 new, 0 updated, 0 unchanged" in out
    assert "Same feed: not modified" in out
    assert "Bad feed: failed: The server answered 500" in out
    assert "Off" not in out
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("Source"))
    assert header.split() == ["Source", "New", "Updated", "Unchanged", "Result"]
    assert any(line.startswith("Total") and line.split()[1] == "3" for line in lines)
    assert (
        "3 sources: 1 with new content, 0 unchanged, 1 not modified, 1 failed, "
        "0 skipped." in out
    )
    assert NewsSource.objects.get(title="Bad feed").failure_count == 1


def test_ingest_feeds_for_one_source(server):
    server.expect_request("/one").respond_with_data(rss_feed(2))
    one = NewsSourceFactory(title="One", feed_url=server.url_for("/one"))
    NewsSourceFactory(title="Other", feed_url=server.url_for("/other"))

    out, _ = run("ingest_feeds", "--source", str(one.pk))

    assert "One: 2 new" in out
    assert "Other" not in out
    assert len(server.log) == 1


def test_ingest_feeds_due_only_skips_sources_not_due(server):
    server.expect_request("/due").respond_with_data(rss_feed(1))
    NewsSourceFactory(title="Due", feed_url=server.url_for("/due"))
    NewsSourceFactory(
        title="Later",
        feed_url=server.url_for("/later"),
        next_poll_at=timezone.now() + timedelta(hours=1),
    )

    out, _ = run("ingest_feeds", "--due-only")

    assert "Due: 1 new" in out
    assert "Later" not in out


def test_ingest_feeds_with_an_unknown_source_is_a_usage_error():
    with pytest.raises(CommandError, match="No news source with id 999"):
        run("ingest_feeds", "--source", "999")


def test_ingest_feeds_with_nothing_to_do_says_so():
    out, _ = run("ingest_feeds", "--due-only")

    assert "No news source to fetch." in out


def test_import_opml_reports_what_it_did(tmp_path, settings):
    settings.FEEDS_ALLOWED_NETWORKS = []
    path = tmp_path / "feeds.opml"
    path.write_bytes(
        b'<opml version="2.0"><body>'
        b'<outline text="Desk" xmlUrl="https://desk.example/rss"/>'
        b'<outline text="Bad" xmlUrl="ftp://bad.example/rss"/>'
        b"</body></opml>"
    )

    out, err = run("import_opml", str(path))

    assert "added: Desk <https://desk.example/rss>" in out
    assert "1 added, 0 already listed, 1 skipped." in out
    assert "skipped: Bad: Only http and https" in err


def test_import_opml_refuses_a_dangerous_file(tmp_path):
    path = tmp_path / "evil.opml"
    path.write_bytes(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><opml/>')

    with pytest.raises(CommandError, match="DOCTYPE or ENTITY"):
        run("import_opml", str(path))


def test_import_opml_with_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_opml", str(tmp_path / "missing.opml"))


def test_export_opml_writes_every_source(tmp_path):
    NewsSourceFactory(title="Desk", feed_url="https://desk.example/rss")

    out, _ = run("export_opml")
    target = tmp_path / "out.opml"
    _, err = run("export_opml", "--output", str(target))

    assert 'xmlUrl="https://desk.example/rss"' in out

    # The same document, but for its creation time (the two runs may straddle
    # a second).
    def undated(text):
        return re.sub(r"<dateCreated>[^<]*</dateCreated>", "", text)

    assert undated(target.read_bytes().decode()) == undated(out)
    assert f"Wrote {target}" in err


def test_export_opml_to_an_unwritable_place_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        run("export_opml", "--output", str(tmp_path / "missing" / "x.opml"))


def test_the_task_ingests_one_source_by_id(server):
    server.expect_request("/feed").respond_with_data(rss_feed(2))
    source = NewsSourceFactory(feed_url=server.url_for("/feed"))

    result = source_ingest_task.enqueue(source.pk)

    assert result.return_value["new"] == 2
    assert NewsItem.objects.count() == 2
    assert source_ingest_task.enqueue(12345).return_value["outcome"] == "missing"


def test_the_scheduler_task_queues_due_sources(server):
    server.expect_request("/feed").respond_with_data(rss_feed(1))
    due = NewsSourceFactory(feed_url=server.url_for("/feed"))
    NewsSourceFactory(next_poll_at=timezone.now() + timedelta(hours=3))

    result = sources_due_ingest_task.enqueue()

    assert result.return_value == [due.pk]
    assert NewsItem.objects.filter(source=due).count() == 1


def test_ingest_feeds_reports_unchanged_skipped_and_rule_dismissals(server):
    server.expect_request("/feed").respond_with_data(rss_feed(2))
    NewsSourceFactory(
        title="Ruled", feed_url=server.url_for("/feed"), exclude_keywords="item 1"
    )
    NewsSourceFactory(
        title="Busy",
        feed_url=server.url_for("/busy"),
        ingest_started_at=timezone.now(),
    )

    first, _ = run("ingest_feeds")
    second, _ = run("ingest_feeds")

    assert "Ruled: 2 new, 0 updated, 0 unchanged, 1 dismissed by keyword rules" in first
    assert "Busy: skipped: Already being fetched." in first
    assert "Ruled: unchanged (same document as last time)" in second
    assert "1 unchanged, 0 not modified, 0 failed, 1 skipped." in second
