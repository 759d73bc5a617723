"""One source, end to end: fetch, parse, store, and record the source's health.

`source_ingest` records the last success, the last error in plain words,
the consecutive failures and the next poll (exponential backoff, capped,
never giving up; `Retry-After` honoured). One run at a time holds a source.
"""

import hashlib
import logging
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from briefings.news.choices import FetchOutcome
from briefings.news.ingest.fetch import FetchError, FetchResult, source_fetch
from briefings.news.ingest.parse import FeedParseError, feed_parse
from briefings.news.ingest.store import feed_store
from briefings.news.models import NewsSource

logger = logging.getLogger(__name__)


@dataclass
class IngestReport:
    source_id: int
    title: str
    outcome: str  # a FetchOutcome value, or "skipped"
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    dismissed_by_rules: int = 0
    duplicates: int = 0
    error: str = ""
    # What kind of failure, for the logs: FetchError, FeedParseError, NotAFeed,
    # or the class of an unexpected exception.
    error_class: str = ""
    note: str = ""
    seconds: float = 0.0
    fetch_seconds: float = 0.0
    parse_seconds: float = 0.0
    clean_seconds: float = 0.0
    store_seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def source_update(source: NewsSource, **fields) -> None:
    """Write health fields only, so an editor's concurrent edit is not undone."""
    for name, value in fields.items():
        setattr(source, name, value)
    NewsSource.objects.filter(pk=source.pk).update(**fields)


def _lease_claim(source: NewsSource, now: datetime) -> bool:
    stale = now - timedelta(
        seconds=settings.FEEDS_TOTAL_TIMEOUT + settings.FEEDS_PARSE_TIMEOUT + 300
    )
    claimed = (
        NewsSource.objects.filter(pk=source.pk)
        .filter(Q(ingest_started_at__isnull=True) | Q(ingest_started_at__lt=stale))
        .update(ingest_started_at=now)
    )
    return claimed == 1


def source_failure_record(
    *, source: NewsSource, error: str, retry_after: float | None = None
) -> None:
    """Note a failed poll and schedule the next one with backoff."""
    now = timezone.now()
    source.failure_count += 1
    source_update(
        source,
        failure_count=source.failure_count,
        last_fetched_at=now,
        last_outcome=FetchOutcome.FAILED,
        last_error=error[:2000],
        last_error_at=now,
        failing_since=source.failing_since or now,
        next_poll_at=now + source.poll_delay(retry_after=retry_after),
    )


def _success_record(source: NewsSource, *, outcome: str, **fields) -> None:
    now = timezone.now()
    source.failure_count = 0
    source_update(
        source,
        failure_count=0,
        failing_since=None,
        last_fetched_at=now,
        last_success_at=now,
        last_outcome=outcome,
        next_poll_at=now + source.poll_delay(),
        **fields,
    )


def source_body_ingest(
    *,
    source: NewsSource,
    body: bytes,
    url: str = "",
    content_type: str = "",
    validators: dict | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """Parse, clean and store a feed document we already have (fetched or a file)."""
    report = report or IngestReport(source.pk, source.title, FetchOutcome.CHANGED)
    body_hash = hashlib.sha256(body).hexdigest()
    validators = validators or {}
    if body_hash == source.last_body_hash:
        report.outcome = FetchOutcome.UNCHANGED
        _success_record(source, outcome=FetchOutcome.UNCHANGED, **validators)
        return report
    # One budget for the document's work: the parser is stopped at it, and
    # cleaning keeps summaries as text past it (FEEDS_PARSE_TIMEOUT, 5 s).
    started = time.perf_counter()
    work_deadline = started + settings.FEEDS_PARSE_TIMEOUT
    try:
        parsed = feed_parse(body=body, url=url, content_type=content_type)
    except FeedParseError as error:
        report.outcome, report.error = FetchOutcome.FAILED, str(error)
        report.error_class = type(error).__name__
        source_failure_record(source=source, error=str(error))
        return report
    report.parse_seconds = time.perf_counter() - started
    if not parsed.entries and not parsed.title:
        report.outcome, report.error = FetchOutcome.FAILED, parsed.note
        report.error_class = "NotAFeed"
        source_failure_record(
            source=source, error="The address does not serve an RSS or Atom feed."
        )
        return report
    started = time.perf_counter()
    stored = feed_store(source=source, parsed=parsed, clean_deadline=work_deadline)
    report.store_seconds = time.perf_counter() - started
    report.clean_seconds = stored.clean_seconds
    for name in ("new", "updated", "unchanged", "dismissed_by_rules", "duplicates"):
        setattr(report, name, getattr(stored, name))
    report.note = " ".join([*parsed.notes, *stored.notes])
    report.outcome = FetchOutcome.CHANGED
    # The validators and the hash are kept only now that everything is stored,
    # so a failure half-way means the next poll gets the whole feed again.
    _success_record(
        source,
        outcome=FetchOutcome.CHANGED,
        last_body_hash=body_hash,
        last_note=report.note[:2000],
        **validators,
    )
    return report


def source_ingest(*, source: NewsSource, force: bool = False) -> IngestReport:
    """Fetch, parse, clean and store one source, recording its health."""
    started = time.perf_counter()
    report = IngestReport(source.pk, source.title, "skipped")
    now = timezone.now()
    if not force and source.next_poll_at and source.next_poll_at > now:
        report.note = "Not due yet."
        return report
    if not _lease_claim(source, now):
        report.note = "Already being fetched."
        return report
    http_status = None
    try:
        try:
            result: FetchResult = source_fetch(source=source)
        except FetchError as error:
            report.outcome, report.error = FetchOutcome.FAILED, error.message
            report.error_class = type(error).__name__
            http_status = error.status
            source_failure_record(
                source=source, error=error.message, retry_after=error.retry_after
            )
            return report
        finally:
            report.fetch_seconds = time.perf_counter() - started
        http_status = result.status
        validators = {"etag": result.etag, "last_modified": result.last_modified}
        if result.not_modified:
            report.outcome = FetchOutcome.NOT_MODIFIED
            _success_record(source, outcome=FetchOutcome.NOT_MODIFIED, **validators)
            return report
        return source_body_ingest(
            source=source,
            body=result.body,
            url=result.url,
            content_type=result.content_type,
            validators=validators,
            report=report,
        )
    except Exception as error:
        # Never leave a source silently stuck: record the failure, then re-raise
        # so the task or command shows the traceback too.
        report.outcome, report.error_class = FetchOutcome.FAILED, type(error).__name__
        source_failure_record(source=source, error=f"Unexpected error: {error!r}")
        raise
    finally:
        NewsSource.objects.filter(pk=source.pk).update(ingest_started_at=None)
        report.seconds = time.perf_counter() - started
        _poll_log(source, report, http_status)


def _poll_log(source: NewsSource, report: IngestReport, http_status: int | None):
    """One structured record per poll: the feed's host, never its whole URL
    (a private feed may carry a token in it), and the kind of error only."""
    failed = report.outcome == FetchOutcome.FAILED
    logger.log(
        logging.WARNING if failed else logging.INFO,
        "Feed poll of source %s: %s, %s new, %s updated",
        source.pk,
        report.outcome,
        report.new,
        report.updated,
        extra={
            "event": "feed_poll",
            "source_id": source.pk,
            "url_host": urlsplit(source.feed_url).hostname or "",
            "status": str(report.outcome),
            "http_status": http_status,
            "items_new": report.new,
            "items_updated": report.updated,
            "items_unchanged": report.unchanged,
            "error_class": report.error_class,
            "duration_seconds": round(report.seconds, 3),
        },
    )


def sources_ingest(
    *, source_ids: list[int] | None = None, due_only: bool = False, progress=None
) -> list[IngestReport]:
    """Ingest several sources one after the other; a failure stops nothing."""
    sources = NewsSource.objects.all()
    if source_ids:
        sources = sources.filter(pk__in=source_ids)
    elif due_only:
        sources = sources.due()
    else:
        sources = sources.active()
    reports = []
    for source in sources.order_by("pk"):
        try:
            report = source_ingest(source=source, force=not due_only)
        except Exception as error:  # noqa: BLE001 (recorded on the source already)
            logger.exception("Ingesting news source %s failed", source.pk)
            report = IngestReport(
                source.pk, source.title, FetchOutcome.FAILED, error=repr(error)
            )
        reports.append(report)
        if progress is not None:
            progress(report)
    return reports
