"""Store parsed entries as news items, and run one source's whole ingestion.

- An item is unique per source by its GUID, else its link, else its title
  and date (`entry_identity`). Only new or changed entries are cleaned and
  written; unchanged ones cost a dictionary lookup.
- Status and tags belong to the editors: a changed entry updates the text
  of its item, never its status, so dismissed items stay dismissed. Items
  that leave the feed stay in the inbox.
- The same article from another source (same canonical address) is stored
  as a duplicate of the first one, so the inbox shows it once, with both
  sources.
- Keyword rules of the source dismiss unwanted items on arrival, noting why.
- `source_ingest` records the source's health: last success, last error in
  plain words, consecutive failures and the next poll (exponential backoff,
  capped, never giving up; `Retry-After` honoured).
"""

import hashlib
import html
import json
import logging
import re
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from briefings.choices import FetchOutcome, NewsStatus
from briefings.ingest.clean import (
    ANY_TAG,
    html_clean,
    html_fallback,
    text_clean,
    text_from_html,
    url_canonical,
    url_clean,
)
from briefings.ingest.fetch import FetchError, FetchResult, source_fetch
from briefings.ingest.parse import FeedParseError, ParsedEntry, ParsedFeed, feed_parse
from briefings.models import NewsItem, NewsSource

logger = logging.getLogger(__name__)

TITLE_MAX = 500
AUTHOR_MAX = 300
UNTITLED = "(untitled)"
FUTURE_TOLERANCE = timedelta(days=1)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# --- identities and rules ----------------------------------------------------


def entry_identity(*, entry: ParsedEntry) -> str:
    """Stable key of an entry within its source: GUID, else link, else title+date."""
    if entry.guid.strip():
        return _sha256("guid:" + entry.guid.strip())
    link = url_clean(entry.link)
    if link:
        return _sha256("link:" + link)
    title = text_clean(entry.title)
    published = entry.published.isoformat() if entry.published else ""
    if title or published:
        return _sha256(f"title-date:{title}|{published}")
    return _sha256("summary:" + entry.summary)


def entry_content_hash(*, entry: ParsedEntry) -> str:
    """Changes when anything we store from the entry changes."""
    payload = [
        entry.title,
        entry.title_is_html,
        entry.link,
        entry.author,
        entry.summary,
        entry.summary_is_html,
        entry.published.isoformat() if entry.published else "",
    ]
    return _sha256(json.dumps(payload, ensure_ascii=False))


def keywords_parse(text: str) -> list[str]:
    """One keyword or phrase per line, blank lines and repeats ignored."""
    keywords: list[str] = []
    for line in (text or "").splitlines():
        keyword = text_clean(line).casefold()
        if keyword and keyword not in keywords:
            keywords.append(keyword)
    return keywords


def _keyword_found(keyword: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", text) is not None


def keyword_rules_check(
    *, include: list[str], exclude: list[str], text: str
) -> tuple[bool, str]:
    """Whether an item with this text passes the rules, and why not."""
    folded = text.casefold()
    for keyword in exclude:
        if _keyword_found(keyword, folded):
            return False, f"Dismissed by the exclude keyword “{keyword}”."
    if include and not any(_keyword_found(keyword, folded) for keyword in include):
        return False, "Dismissed: mentions none of the include keywords."
    return True, ""


def _rules_text(*, title: str, summary_html: str, categories=()) -> str:
    summary = html.unescape(ANY_TAG.sub(" ", summary_html))
    return " ".join([title, summary, *categories])


# --- storing -----------------------------------------------------------------


@dataclass
class StoreReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    dismissed_by_rules: int = 0
    duplicates: int = 0
    clean_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


@dataclass
class StoreContext:
    """What storing a batch of entries of one source needs to know, loaded once."""

    source: NewsSource
    existing: dict[str, NewsItem]
    originals: dict[str, NewsItem]
    programme_ids: list[int]
    country_ids: list[int]
    include: list[str]
    exclude: list[str]
    report: StoreReport = field(default_factory=StoreReport)
    clean_deadline: float = 0.0
    now: datetime = field(default_factory=timezone.now)
    # New items waiting to be written together (see `pending_write`).
    pending: list[NewsItem] | None = None

    def pending_write(self) -> None:
        """Insert the new items and their default tags in a few queries."""
        if not self.pending:
            return
        # Items that duplicate another new item of the same batch go second,
        # once the item they point to has its primary key.
        first = [i for i in self.pending if i.duplicate_of_id or not i.duplicate_of]
        second = [i for i in self.pending if i.duplicate_of and not i.duplicate_of_id]
        NewsItem.objects.bulk_create(first)
        NewsItem.objects.bulk_create(second)
        for relation, tag_ids, column in (
            (NewsItem.programmes, self.programme_ids, "programme_id"),
            (NewsItem.countries, self.country_ids, "country_id"),
        ):
            if tag_ids:
                relation.through.objects.bulk_create(
                    [
                        relation.through(newsitem_id=item.pk, **{column: tag_id})
                        for item in self.pending
                        for tag_id in tag_ids
                    ]
                )
        self.pending = []

    @classmethod
    def load(cls, *, source: NewsSource, identities=None, canonical_hashes=None):
        items = NewsItem.objects.filter(source=source)
        if identities is not None:
            items = items.filter(identity__in=list(identities))
        originals = {}
        if canonical_hashes:
            for item in (
                NewsItem.objects.filter(
                    canonical_hash__in=list(canonical_hashes),
                    duplicate_of__isnull=True,
                )
                .only("pk", "canonical_hash", "source_id")
                .order_by("pk")
            ):
                originals.setdefault(item.canonical_hash, item)
        return cls(
            source=source,
            existing={item.identity: item for item in items},
            originals=originals,
            programme_ids=list(source.default_programmes.values_list("pk", flat=True)),
            country_ids=list(source.default_countries.values_list("pk", flat=True)),
            include=keywords_parse(source.include_keywords),
            exclude=keywords_parse(source.exclude_keywords),
            clean_deadline=time.perf_counter() + settings.FEEDS_CLEAN_BUDGET,
        )


def entry_clean(
    *, entry: ParsedEntry, now: datetime | None = None, html_allowed: bool = True
) -> dict:
    """The fields of an item, from an entry, cleaned by the one policy."""
    now = now or timezone.now()
    if entry.title_is_html:
        title = text_from_html(entry.title, max_length=TITLE_MAX)
    else:
        title = text_clean(entry.title, max_length=TITLE_MAX)
    summary = entry.summary if entry.summary_is_html else html.escape(entry.summary)
    summary_html = html_clean(summary) if html_allowed else html_fallback(summary)
    link = url_clean(entry.link)
    canonical = url_canonical(link)
    if not title:
        title = text_from_html(summary_html, max_length=80) or link[:TITLE_MAX]
    published = entry.published
    if published is None or published > now + FUTURE_TOLERANCE:
        published = now
    return {
        "guid": entry.guid.strip()[:1000],
        "link": link,
        "canonical_url": canonical,
        "canonical_hash": _sha256(canonical) if canonical else "",
        "title": title or UNTITLED,
        "author": text_clean(entry.author, max_length=AUTHOR_MAX),
        "summary_html": summary_html,
        "published_at": published,
    }


def _cleaned_fields(*, entry: ParsedEntry, context: StoreContext) -> dict:
    """Clean within the source's time budget; past it, summaries become text."""
    started = time.perf_counter()
    html_allowed = started < context.clean_deadline
    if not html_allowed:
        note = "The cleaning time budget ran out; later summaries kept as text."
        if note not in context.report.notes:
            context.report.notes.append(note)
    fields = entry_clean(entry=entry, now=context.now, html_allowed=html_allowed)
    context.report.clean_seconds += time.perf_counter() - started
    return fields


def news_item_upsert(
    *, source: NewsSource, entry: ParsedEntry, context: StoreContext | None = None
) -> str:
    """Create or update the item for one entry: "new", "updated" or "unchanged"."""
    identity = entry_identity(entry=entry)
    content_hash = entry_content_hash(entry=entry)
    if context is None:
        canonical = url_canonical(entry.link)
        context = StoreContext.load(
            source=source,
            identities=[identity],
            canonical_hashes=[_sha256(canonical)] if canonical else [],
        )
    existing = context.existing.get(identity)
    if existing is not None:
        if existing.content_hash == content_hash:
            context.report.unchanged += 1
            return "unchanged"
        fields = _cleaned_fields(entry=entry, context=context)
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.content_hash = content_hash
        existing.save(update_fields=[*fields, "content_hash", "updated_at"])
        context.report.updated += 1
        return "updated"

    fields = _cleaned_fields(entry=entry, context=context)
    item = NewsItem(
        source=source,
        identity=identity,
        content_hash=content_hash,
        language=source.language,
        **fields,
    )
    kept, note = keyword_rules_check(
        include=context.include,
        exclude=context.exclude,
        text=_rules_text(
            title=item.title,
            summary_html=item.summary_html,
            categories=entry.categories,
        ),
    )
    if not kept:
        item.status = NewsStatus.DISMISSED
        item.rule_note = note[:300]
        context.report.dismissed_by_rules += 1
    original = None
    if item.canonical_hash:
        original = context.originals.get(item.canonical_hash)
    if original is not None:
        item.duplicate_of = original
        context.report.duplicates += 1
    if item.canonical_hash and original is None:
        context.originals[item.canonical_hash] = item
    if context.pending is None:
        context.pending = [item]
        context.pending_write()
        context.pending = None
    else:
        context.pending.append(item)
    context.existing[identity] = item
    context.report.new += 1
    return "new"


def feed_store(*, source: NewsSource, parsed: ParsedFeed) -> StoreReport:
    """Store the entries of one parsed document in one transaction."""
    identities = {}
    for entry in parsed.entries:
        identities.setdefault(entry_identity(entry=entry), entry)
    canonical_hashes = {
        _sha256(canonical)
        for entry in identities.values()
        if (canonical := url_canonical(entry.link))
    }
    with transaction.atomic():
        context = StoreContext.load(
            source=source, identities=identities, canonical_hashes=canonical_hashes
        )
        context.pending = []
        for entry in identities.values():
            news_item_upsert(source=source, entry=entry, context=context)
        context.pending_write()
    if len(identities) < len(parsed.entries):
        context.report.notes.append(
            f"{len(parsed.entries) - len(identities)} entries repeated an identity "
            "already in the document and were skipped."
        )
    return context.report


# --- one source, end to end --------------------------------------------------


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
    note: str = ""
    seconds: float = 0.0
    fetch_seconds: float = 0.0
    parse_seconds: float = 0.0
    clean_seconds: float = 0.0
    store_seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def _source_update(source: NewsSource, **fields) -> None:
    """Write health fields only, so an editor's concurrent edit is not undone."""
    for name, value in fields.items():
        setattr(source, name, value)
    NewsSource.objects.filter(pk=source.pk).update(**fields)


def _lease_claim(source: NewsSource, now: datetime) -> bool:
    stale = now - timedelta(
        seconds=settings.FEEDS_TOTAL_TIMEOUT
        + settings.FEEDS_PARSE_TIMEOUT
        + settings.FEEDS_CLEAN_BUDGET
        + 300
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
    _source_update(
        source,
        failure_count=source.failure_count,
        last_fetched_at=now,
        last_outcome=FetchOutcome.FAILED,
        last_error=error[:2000],
        last_error_at=now,
        next_poll_at=now + source.poll_delay(retry_after=retry_after),
    )


def _success_record(source: NewsSource, *, outcome: str, **fields) -> None:
    now = timezone.now()
    source.failure_count = 0
    _source_update(
        source,
        failure_count=0,
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
    started = time.perf_counter()
    try:
        parsed = feed_parse(body=body, url=url, content_type=content_type)
    except FeedParseError as error:
        report.outcome, report.error = FetchOutcome.FAILED, str(error)
        source_failure_record(source=source, error=str(error))
        return report
    report.parse_seconds = time.perf_counter() - started
    if not parsed.entries and not parsed.title:
        report.outcome, report.error = FetchOutcome.FAILED, parsed.note
        source_failure_record(
            source=source, error="The address does not serve an RSS or Atom feed."
        )
        return report
    started = time.perf_counter()
    stored = feed_store(source=source, parsed=parsed)
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
    try:
        try:
            result: FetchResult = source_fetch(source=source)
        except FetchError as error:
            report.outcome, report.error = FetchOutcome.FAILED, error.message
            source_failure_record(
                source=source, error=error.message, retry_after=error.retry_after
            )
            return report
        finally:
            report.fetch_seconds = time.perf_counter() - started
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
        source_failure_record(source=source, error=f"Unexpected error: {error!r}")
        raise
    finally:
        NewsSource.objects.filter(pk=source.pk).update(ingest_started_at=None)
        report.seconds = time.perf_counter() - started


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


def source_fetch_now(*, source: NewsSource):
    """Reset the backoff and fetch the source now (through the task queue)."""
    from briefings.tasks import source_ingest_task

    _source_update(source, failure_count=0, next_poll_at=timezone.now())
    return source_ingest_task.enqueue(source.pk, True)


# --- editors' actions --------------------------------------------------------


@dataclass(frozen=True)
class RuleTestRow:
    item: NewsItem
    kept: bool
    note: str


def source_rules_test(
    *, source: NewsSource, include_keywords: str, exclude_keywords: str, limit: int = 50
) -> list[RuleTestRow]:
    """What these keyword rules would do to the source's most recent items."""
    include = keywords_parse(include_keywords)
    exclude = keywords_parse(exclude_keywords)
    rows = []
    for item in source.items.order_by("-published_at", "-pk")[:limit]:
        kept, note = keyword_rules_check(
            include=include,
            exclude=exclude,
            text=_rules_text(title=item.title, summary_html=item.summary_html),
        )
        rows.append(RuleTestRow(item=item, kept=kept, note=note))
    return rows


def news_items_status_set(*, item_ids: list[int], status: str) -> int:
    """Set the status of these items (and of their folded duplicates)."""
    if status not in NewsStatus.values:
        raise ValueError(f"unknown status {status!r}")
    items = NewsItem.objects.filter(Q(pk__in=item_ids) | Q(duplicate_of__in=item_ids))
    return items.update(status=status, updated_at=timezone.now())


def news_items_tag(
    *, item_ids: list[int], programme_ids: list[int] = (), country_ids: list[int] = ()
) -> int:
    """Add programmes and countries to these items; existing tags are kept."""
    ids = list(NewsItem.objects.filter(pk__in=item_ids).values_list("pk", flat=True))
    with transaction.atomic():
        for relation, tag_ids, column in (
            (NewsItem.programmes, programme_ids, "programme_id"),
            (NewsItem.countries, country_ids, "country_id"),
        ):
            through = relation.through
            if not tag_ids:
                continue
            taken = set(
                through.objects.filter(newsitem_id__in=ids).values_list(
                    "newsitem_id", column
                )
            )
            through.objects.bulk_create(
                [
                    through(newsitem_id=item_id, **{column: tag_id})
                    for item_id in ids
                    for tag_id in tag_ids
                    if (item_id, tag_id) not in taken
                ]
            )
    return len(ids)
