"""Store parsed entries as news items: identity, change detection and upsert.

- An item is unique per source by its GUID, else its link, else its title
  and date (`entry_identity`). Only new or changed entries are cleaned and
  written; unchanged ones cost a dictionary lookup.
- Status and tags belong to the editors: a changed entry updates the text
  of its item, never its status, so dismissed items stay dismissed. Items
  that leave the feed stay in the inbox.
- The same article from another source (same canonical address) is stored
  as a duplicate of the first one, so the inbox shows it once, with both
  sources.
- Keyword rules of the source (`rules.py`) dismiss unwanted items on
  arrival, noting why.
"""

import hashlib
import html
import json
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from briefings.news.choices import NewsStatus
from briefings.news.ingest.clean import (
    html_clean,
    html_fallback,
    text_clean,
    text_from_html,
    url_canonical,
    url_clean,
)
from briefings.news.ingest.parse import ParsedEntry, ParsedFeed
from briefings.news.ingest.rules import keyword_rules_check, keywords_parse, rules_text
from briefings.news.models import NewsItem, NewsSource

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
    def load(
        cls,
        *,
        source: NewsSource,
        identities=None,
        canonical_hashes=None,
        clean_deadline: float | None = None,
    ):
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
            clean_deadline=time.perf_counter() + settings.FEEDS_CLEAN_BUDGET
            if clean_deadline is None
            else clean_deadline,
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
    kept, note = True, ""
    if context.include or context.exclude:
        kept, note = keyword_rules_check(
            include=context.include,
            exclude=context.exclude,
            text=rules_text(
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


def feed_store(
    *, source: NewsSource, parsed: ParsedFeed, clean_deadline: float | None = None
) -> StoreReport:
    """Store the entries of one parsed document in one transaction.

    HTML is cleaned until `clean_deadline` (a `time.perf_counter()` value;
    by default `FEEDS_CLEAN_BUDGET` seconds from now), then kept as text.
    """
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
            source=source,
            identities=identities,
            canonical_hashes=canonical_hashes,
            clean_deadline=clean_deadline,
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
