"""Structured logs: one record per dispatch and per feed poll, facts in fields.

The records are captured as the code emits them (caplog) and formatted with
the production formatter: the fields a log collector filters on are there,
and no subscriber's address is in any record.
"""

import json
import logging
import sys

from django.core.exceptions import ImproperlyConfigured

import pytest

from briefings.news.ingest.refresh import source_ingest
from briefings.newsletter.dispatch import dispatch_create, dispatch_send
from site_config.log_format import JsonFormatter, ReadableFormatter
from site_config.settings.logs import logging_config
from tests.briefings.factories import issue_build
from tests.briefings.news.factories import NewsSourceFactory
from tests.briefings.news.feeds import local_feed_server, rss_feed
from tests.briefings.newsletter.factories import (
    CrashingBackend,
    MailingListFactory,
    SubscriberFactory,
)
from tests.site_config.test_settings import PRODUCTION_ENV, run_manage

DISPATCH_LOGGER = "briefings.newsletter.dispatch"
POLL_LOGGER = "briefings.news.ingest.refresh"


def _record(message="Something happened", **extra) -> logging.LogRecord:
    record = logging.getLogger("briefings.test").makeRecord(
        "briefings.test", logging.INFO, __file__, 1, message, (), None, extra=extra
    )
    return record


def _events(caplog, event: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if getattr(r, "event", None) == event]


# The formatters ---------------------------------------------------------------


def test_a_json_line_carries_the_message_and_the_extra_fields():
    line = JsonFormatter().format(
        _record("Sent %s", sent=3, list="briefing-en", seconds=0.25, error=None)
    )

    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "INFO"
    assert entry["logger"] == "briefings.test"
    assert entry["message"] == "Sent %s"
    assert entry["time"].endswith("+00:00")
    assert (entry["sent"], entry["list"], entry["seconds"], entry["error"]) == (
        3,
        "briefing-en",
        0.25,
        None,
    )


def test_a_json_line_keeps_an_exception_and_odd_values_as_text():
    try:
        raise ValueError("broken")
    except ValueError:
        record = _record(counts={"fr": 2}, hosts=("a", "b"), when=object)
        record.exc_info = sys.exc_info()

    entry = json.loads(JsonFormatter().format(record))

    assert "ValueError: broken" in entry["exception"]
    assert entry["counts"] == {"fr": 2}
    assert entry["hosts"] == ["a", "b"]
    assert entry["when"] == "<class 'object'>"


def test_the_readable_line_shows_the_fields_after_the_message():
    line = ReadableFormatter().format(_record("Feed polled", items_new=2, host="x.org"))

    assert line == 'INFO briefings.test: Feed polled items_new=2 host="x.org"'
    assert ReadableFormatter().format(_record("Plain")) == "INFO briefings.test: Plain"


def test_the_log_format_is_chosen_by_name():
    assert logging_config("json")["formatters"]["site"]["()"].endswith("JsonFormatter")
    text = logging_config("")
    assert text["formatters"]["site"]["()"].endswith("ReadableFormatter")
    assert text["handlers"]["console"]["stream"] == "ext://sys.stderr"
    with pytest.raises(ImproperlyConfigured, match="'json' or 'text', not 'xml'"):
        logging_config("xml")


def test_production_writes_json_lines_to_stderr():
    emit = (
        "import logging; logging.getLogger('briefings.check').info("
        "'Checked', extra={'event': 'check', 'count': 2})"
    )
    result = run_manage("shell", "-c", emit, env=PRODUCTION_ENV)

    lines = [
        json.loads(line)
        for line in result.stderr.splitlines()
        if line.startswith("{") and '"check"' in line
    ]
    assert lines, result.stderr
    assert lines[0]["count"] == 2
    assert lines[0]["level"] == "INFO"
    assert "Checked" not in result.stdout


# A dispatch -------------------------------------------------------------------


@pytest.fixture
def mailing(db, home_page, locales):
    briefing_list = MailingListFactory(briefing=True)
    readers = [
        SubscriberFactory(
            email=f"reader.{n}@private.example", lists=[briefing_list], language=lang
        )
        for n, lang in enumerate(("en", "en", "fr"))
    ]
    return {
        "issue": issue_build(home_page, locales),
        "list": briefing_list,
        "emails": [reader.email for reader in readers],
    }


def _assert_no_address(caplog, emails: list[str]) -> None:
    formatted = [JsonFormatter().format(record) for record in caplog.records]
    for email in emails:
        assert email not in caplog.text
        assert not any(email in line for line in formatted), email
        assert not any(email.split("@")[0] in line for line in formatted), email


def test_a_dispatch_logs_one_record_with_its_counts(mailing, caplog):
    dispatch = dispatch_create(page=mailing["issue"], mailing_list=mailing["list"])

    with caplog.at_level(logging.DEBUG):
        dispatch_send(dispatch=dispatch)

    (record,) = _events(caplog, "dispatch")
    assert record.name == DISPATCH_LOGGER
    assert record.levelno == logging.INFO
    entry = json.loads(JsonFormatter().format(record))
    assert {
        key: entry[key]
        for key in (
            "dispatch_id",
            "issue_id",
            "list",
            "recipients",
            "sent",
            "failed",
            "stopped",
            "error_class",
        )
    } == {
        "dispatch_id": dispatch.pk,
        "issue_id": mailing["issue"].pk,
        "list": mailing["list"].slug,
        "recipients": 3,
        "sent": 3,
        "failed": 0,
        "stopped": "",
        "error_class": "",
    }
    assert 0 <= entry["duration_seconds"] < 60
    _assert_no_address(caplog, mailing["emails"])


def test_a_dispatch_that_breaks_logs_a_warning_naming_the_error(mailing, caplog):
    dispatch = dispatch_create(page=mailing["issue"], mailing_list=mailing["list"])

    with caplog.at_level(logging.DEBUG), pytest.raises(ConnectionResetError):
        dispatch_send(dispatch=dispatch, backend=CrashingBackend(1))

    (record,) = _events(caplog, "dispatch")
    assert record.levelno == logging.WARNING
    assert (record.sent, record.uncertain) == (1, 1)
    assert record.error_class == "ConnectionResetError"
    _assert_no_address(caplog, mailing["emails"])


def test_a_busy_dispatch_logs_nothing(mailing, caplog):
    dispatch = dispatch_create(page=mailing["issue"], mailing_list=mailing["list"])
    type(dispatch).objects.filter(pk=dispatch.pk).update(
        runner="another-worker", lease_until="2999-01-01T00:00:00Z"
    )

    with caplog.at_level(logging.DEBUG):
        report = dispatch_send(dispatch=dispatch)

    assert report.busy
    assert _events(caplog, "dispatch") == []


# A feed poll ------------------------------------------------------------------


@pytest.fixture(scope="module")
def feed_server():
    with local_feed_server() as server:
        yield server


@pytest.fixture
def server(feed_server):
    feed_server.clear()
    yield feed_server
    feed_server.clear()


def _poll_entry(caplog) -> tuple[logging.LogRecord, dict]:
    (record,) = _events(caplog, "feed_poll")
    assert record.name == POLL_LOGGER
    return record, json.loads(JsonFormatter().format(record))


@pytest.mark.django_db
def test_a_feed_poll_logs_the_host_status_and_counts(server, caplog):
    server.expect_request("/feed").respond_with_data(rss_feed(3))
    source = NewsSourceFactory(feed_url=server.url_for("/feed?token=s3cret-token"))

    with caplog.at_level(logging.DEBUG):
        source_ingest(source=source)

    record, entry = _poll_entry(caplog)
    assert record.levelno == logging.INFO
    assert {
        key: entry[key]
        for key in (
            "source_id",
            "url_host",
            "status",
            "http_status",
            "items_new",
            "items_updated",
            "error_class",
        )
    } == {
        "source_id": source.pk,
        "url_host": "127.0.0.1",
        "status": "changed",
        "http_status": 200,
        "items_new": 3,
        "items_updated": 0,
        "error_class": "",
    }
    assert 0 <= entry["duration_seconds"] < 60
    # The URL may carry a secret: only its host is logged (the test feed
    # server's own request log is not ours).
    ours = [r for r in caplog.records if r.name.startswith("briefings")]
    assert ours
    assert not any("s3cret-token" in JsonFormatter().format(r) for r in ours)


@pytest.mark.django_db
def test_a_failed_poll_logs_a_warning_with_the_error_class(server, caplog):
    server.expect_request("/feed").respond_with_data("gone", status=500)
    source = NewsSourceFactory(feed_url=server.url_for("/feed"))

    with caplog.at_level(logging.DEBUG):
        source_ingest(source=source)

    record, entry = _poll_entry(caplog)
    assert record.levelno == logging.WARNING
    assert (entry["status"], entry["http_status"], entry["error_class"]) == (
        "failed",
        500,
        "FetchError",
    )
    assert entry["items_new"] == 0


@pytest.mark.django_db
def test_a_document_that_is_no_feed_is_logged_as_such(server, caplog):
    server.expect_request("/feed").respond_with_data(
        "<html><body>Not a feed</body></html>", content_type="text/html"
    )
    source = NewsSourceFactory(feed_url=server.url_for("/feed"))

    with caplog.at_level(logging.DEBUG):
        source_ingest(source=source)

    _, entry = _poll_entry(caplog)
    assert (entry["status"], entry["error_class"]) == ("failed", "NotAFeed")
