"""Parse feed bytes with feedparser, with the work per feed bounded.

feedparser is given the bytes we fetched, never a URL or a path. It has no
time limit of its own and builds the whole document in memory, so it runs in
a separate worker process that the parent kills when it passes
`FEEDS_PARSE_TIMEOUT` seconds (the worker also has an address-space limit,
`FEEDS_PARSE_MAX_MEMORY`); a new worker is started for the next feed. Each
thread has its own worker, so a feed that runs to the limit in one thread
never waits for, or holds up, a feed parsed in another.

feedparser splits an e-mail address off a plain author string with a regular
expression whose time grows with the square of the string's length (a 10 KB
author field took seconds, a feed of them far longer). We never read that
split (only the author text, cut to its limit), so in the worker it is not
made: `_feedparser_bound` leaves plain author strings as they are.

Before feedparser sees the document, any DOCTYPE declaration (which is where
entities are declared) is removed from its prolog, so no entity is ever
expanded: neither "billion laughs" nor external entities. From the result,
only the newest `FEEDS_MAX_ENTRIES` entries are kept and every field is cut
to a maximum length. What happened is reported in `ParsedFeed.notes`.

feedparser's work grows with the number of entries (about half a millisecond
each on a slow machine: a 5 MB feed of 20,000 short items took 9 s, past the
limit). So a document with more entries than are kept is first read by expat
alone (`entries_trim`: only the entries' places and dates, at a tenth of the
cost) and given to feedparser with the newest entries only.

The worker speaks JSON over a pipe (no pickle), and this module imports
nothing that needs Django configured, so the worker starts quickly.
"""

import calendar
import contextlib
import io
import json
import multiprocessing
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.parsers import expat

FIELD_LIMITS = {
    "guid": 1000,
    "link": 2000,
    "title": 1000,
    "author": 300,
    "category": 100,
    "feed_title": 500,
    "language": 20,
}
MAX_CATEGORIES = 20
WORKER_START_TIMEOUT = 60  # seconds; generous, a cold start imports feedparser
FIRST_ELEMENT = re.compile(rb"<\w")
XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")
DTD_MARKUP = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# Lone surrogates and NUL cannot be stored (PostgreSQL refuses NUL in text).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
CHARACTER_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


class FeedParseError(Exception):
    """The document could not be parsed within the limits."""


@dataclass(frozen=True)
class ParsedEntry:
    guid: str = ""
    link: str = ""
    title: str = ""
    title_is_html: bool = False
    author: str = ""
    summary: str = ""
    summary_is_html: bool = True
    published: datetime | None = None
    categories: tuple[str, ...] = ()


@dataclass
class ParsedFeed:
    title: str = ""
    link: str = ""
    language: str = ""
    entries: list[ParsedEntry] = field(default_factory=list)
    entries_found: int = 0
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def note(self) -> str:
        return " ".join(self.notes)


# --- the worker side: plain Python, JSON in and out --------------------------


def _scrub(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    return UNSTORABLE.sub("", value[: limit * 2])[:limit]


def _timestamp(entry: dict) -> int | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return calendar.timegm(parsed)
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def _is_html(detail: Any, default: bool) -> bool:
    kind = (detail or {}).get("type") if isinstance(detail, dict) else None
    if not kind:
        return default
    return kind in ("text/html", "application/xhtml+xml")


def _reference_keep(match: re.Match) -> bytes:
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    allowed = code in (9, 10, 13) or 32 <= code < 0xD800 or 0xE000 <= code <= 0x10FFFF
    return match.group(0) if allowed and code not in (0xFFFE, 0xFFFF) else b""


def references_scrub(data: bytes) -> bytes:
    """Drop character references to what XML forbids (NUL, surrogates...)."""
    if b"&#" not in data:
        return data
    return CHARACTER_REFERENCE.sub(_reference_keep, data)


def document_defuse(data: bytes) -> tuple[bytes, bool]:
    """Remove DOCTYPE and ENTITY declarations from the prolog of a document.

    Entities can only be declared there; without them none can be expanded.
    Returns the document and whether anything was removed.
    """
    removed = False
    for _ in range(10):
        start = FIRST_ELEMENT.search(data)
        end = start.start() if start else len(data)
        prolog = data[:end]
        if not DTD_MARKUP.search(prolog):
            return data, removed
        declaration = XML_DECLARATION.match(prolog)
        data = (declaration.group(0) if declaration else b"") + data[end:]
        removed = True
    # Declarations keep reappearing: keep nothing that could declare entities.
    return DTD_MARKUP.sub(b"", data), True


ENTRY_ELEMENTS = frozenset({"item", "entry"})
# An entry's date elements, by the name without its prefix, in the order
# `_timestamp` reads feedparser's fields: published (RSS pubDate, Atom
# published or issued), updated (Atom updated or modified, Dublin Core
# date), created.
DATE_ELEMENTS = {
    "pubDate": 0,
    "published": 0,
    "issued": 0,
    "updated": 1,
    "modified": 1,
    "date": 1,
    "created": 2,
}


def _entry_places(data: bytes) -> list[tuple[int, int, list]]:
    """Each outermost entry's byte span and the text of its date elements
    (published, updated, created: the first of each kind, or None), read by
    expat alone.

    Raises expat.ExpatError for a document that is not well-formed. Entities
    are not expanded: with no DTD read, a reference to one is skipped.
    """
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.UseForeignDTD(True)
    parser.ExternalEntityRefHandler = lambda *args: 1  # nothing is ever loaded
    places = []
    depth = 0  # inside an entry: its depth; 0 outside
    start = 0
    dates: list[str | None] = [None, None, None]
    reading: list[str] | None = None
    reading_kind = 0

    def element_start(name, attributes):
        nonlocal depth, start, dates, reading, reading_kind
        local = name.rpartition(":")[2]
        if depth:
            depth += 1
            kind = DATE_ELEMENTS.get(local)
            if depth == 2 and kind is not None and dates[kind] is None:
                reading, reading_kind = [], kind
        elif local in ENTRY_ELEMENTS:
            depth, start, dates = 1, parser.CurrentByteIndex, [None, None, None]

    def element_end(name):
        nonlocal depth, reading
        if not depth:
            return
        depth -= 1
        if reading is not None and depth == 1:
            dates[reading_kind] = "".join(reading).strip()
            reading = None
        if depth:
            return
        end = parser.CurrentByteIndex
        if data.startswith(b"</" + name.encode(), end):
            end = data.index(b">", end) + 1
        # else an empty-element tag, which expat reports ended past its ">"
        places.append((start, end, dates))

    def text(chunk):
        if reading is not None:
            reading.append(chunk)

    parser.StartElementHandler = element_start
    parser.EndElementHandler = element_end
    parser.CharacterDataHandler = text
    parser.Parse(data, True)
    return places


def entries_trim(data: bytes, max_entries: int) -> tuple[bytes, int | None]:
    """The document with its newest `max_entries` entries only, and how many
    it had; the document unchanged and None when expat cannot read it (then
    feedparser reads it leniently, within the time limit).

    Newest by the date feedparser will read (the same date parser); undated
    entries come after the dated in their order, as `_document_parse` sorts.
    """
    from feedparser.datetimes import _parse_date

    try:
        places = _entry_places(data)
    except (expat.ExpatError, ValueError):
        return data, None
    if len(places) <= max_entries:
        return data, len(places)

    def newest_first(n: int):
        for text in places[n][2]:
            parsed = _parse_date(text) if text else None
            if parsed:
                try:
                    return (0, -calendar.timegm(parsed))
                except (TypeError, ValueError, OverflowError):
                    continue
        return (1, n)

    dropped = sorted(sorted(range(len(places)), key=newest_first)[max_entries:])
    kept, position = [], 0
    for n in dropped:
        start, end, _ = places[n]
        kept.append(data[position:start])
        position = end
    kept.append(data[position:])
    return b"".join(kept), len(places)


def _feedparser_bound() -> None:
    """Skip feedparser's quadratic e-mail split of plain author strings.

    Atom-style author details (name and e-mail elements) are still synced:
    that path uses no regular expression.
    """
    from feedparser.mixin import _FeedParserMixin

    original = _FeedParserMixin._sync_author_detail
    if getattr(original, "bounded", False):
        return

    def author_detail_sync(self, key="author"):
        details = self._get_context().get(f"{key}s")
        if details and details[-1]:
            original(self, key)

    author_detail_sync.bounded = True
    _FeedParserMixin._sync_author_detail = author_detail_sync


def _document_parse(body: bytes, meta: dict) -> dict:
    """feedparser on bytes, defused and trimmed; runs inside the worker."""
    import feedparser
    from feedparser.encodings import convert_to_utf8
    from feedparser.util import FeedParserDict

    _feedparser_bound()
    notes: list[str] = []
    headers = {"content-type": meta.get("content_type") or "application/xml"}
    detected = FeedParserDict(bozo=False, headers=headers)
    data = convert_to_utf8(headers, body, detected)
    if detected.get("encoding"):
        headers = {"content-type": "application/xml; charset=utf-8"}
    data, defused = document_defuse(references_scrub(data))
    if defused:
        notes.append("A DOCTYPE declaration was removed; entities are not expanded.")
    if meta.get("url"):
        headers["content-location"] = meta["url"]
    max_entries = meta["max_entries"]
    data, found_before = entries_trim(data, max_entries)
    parsed = feedparser.parse(
        io.BytesIO(data),
        response_headers=headers,
        resolve_relative_uris=True,
        sanitize_html=False,  # cleaning is done by our one policy (clean.py)
    )
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        notes.append(
            f"The feed is not well-formed ({_scrub(str(problem), 200)}); "
            "it was read leniently."
        )
    entries = list(parsed.get("entries") or [])
    found = max(len(entries), found_before or 0)
    if found > max_entries:
        # Keep the newest; undated entries keep their order after the dated.
        stamps = {id(entry): _timestamp(entry) for entry in entries}
        entries.sort(
            key=lambda e: (1, 0) if stamps[id(e)] is None else (0, -stamps[id(e)])
        )
        entries = entries[:max_entries]
        notes.append(f"The feed lists {found} entries; the newest {max_entries} kept.")
    summary_limit = meta["max_summary_chars"]
    kept = []
    for entry in entries:
        summary, summary_detail = entry.get("summary", ""), entry.get("summary_detail")
        if not summary and entry.get("content"):
            summary = entry["content"][0].get("value", "")
            summary_detail = entry["content"][0]
        kept.append(
            {
                "guid": _scrub(entry.get("id", ""), FIELD_LIMITS["guid"]),
                "link": _scrub(entry.get("link", ""), FIELD_LIMITS["link"]),
                "title": _scrub(entry.get("title", ""), FIELD_LIMITS["title"]),
                "title_is_html": _is_html(entry.get("title_detail"), False),
                "author": _scrub(entry.get("author", ""), FIELD_LIMITS["author"]),
                "summary": _scrub(summary, summary_limit),
                "summary_is_html": _is_html(summary_detail, True),
                "published": _timestamp(entry),
                "categories": [
                    _scrub(tag.get("term", ""), FIELD_LIMITS["category"])
                    for tag in (entry.get("tags") or [])[:MAX_CATEGORIES]
                    if isinstance(tag, dict)
                ],
            }
        )
    feed = parsed.get("feed") or {}
    return {
        "title": _scrub(feed.get("title", ""), FIELD_LIMITS["feed_title"]),
        "link": _scrub(feed.get("link", ""), FIELD_LIMITS["link"]),
        "language": _scrub(feed.get("language", ""), FIELD_LIMITS["language"]),
        "entries": kept,
        "entries_found": found,
        "notes": notes,
    }


def _worker_main(connection, max_memory: int) -> None:
    """Parse documents sent over the pipe until it closes."""
    if max_memory:
        with contextlib.suppress(ImportError, ValueError, OSError):
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))
    import feedparser  # noqa: F401 (imported once, before the first document)

    connection.send_bytes(b'{"ready": true}')
    while True:
        try:
            meta = json.loads(connection.recv_bytes())
            body = connection.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            answer = {"ok": _document_parse(body, meta)}
        except MemoryError:
            answer = {"error": "The feed needs too much memory to parse."}
        except Exception as error:  # noqa: BLE001 (reported to the parent)
            answer = {"error": f"{type(error).__name__}: {_scrub(str(error), 300)}"}
        connection.send_bytes(json.dumps(answer).encode())


# --- the parent side ---------------------------------------------------------


class ParseWorker:
    """One long-lived parser process; killed and replaced when it overruns."""

    def __init__(self, *, max_memory: int = 0):
        self.max_memory = max_memory
        self._lock = threading.Lock()
        self._process = None
        self._connection = None

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        parent_end, child_end = context.Pipe(duplex=True)
        process = context.Process(
            target=_worker_main,
            args=(child_end, self.max_memory),
            name="feed-parser",
            daemon=True,
        )
        process.start()
        child_end.close()
        if not parent_end.poll(WORKER_START_TIMEOUT):
            process.kill()
            raise FeedParseError("The feed parser did not start.")
        parent_end.recv_bytes()
        self._process, self._connection = process, parent_end

    def stop(self) -> None:
        if self._process is not None:
            with contextlib.suppress(Exception):
                self._connection.close()
            self._process.kill()
            self._process.join(timeout=5)
        self._process = self._connection = None

    def run(self, *, body: bytes, meta: dict, timeout: float) -> dict:
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self.stop()
                self._start()
            try:
                self._connection.send_bytes(json.dumps(meta).encode())
                self._connection.send_bytes(body)
                if not self._connection.poll(timeout):
                    self.stop()
                    raise FeedParseError(
                        f"Parsing took longer than {timeout:g} seconds and was stopped."
                    )
                answer = json.loads(self._connection.recv_bytes())
            except (EOFError, OSError, ValueError):
                self.stop()
                raise FeedParseError(
                    "The feed parser stopped while reading this feed (it may "
                    "need too much memory)."
                ) from None
        if "error" in answer:
            raise FeedParseError(f"The feed could not be parsed: {answer['error']}")
        return answer["ok"]


_workers = threading.local()


def parse_worker() -> ParseWorker:
    """This thread's parser worker, created on first use.

    One per thread: a feed running to the time limit in one thread never
    holds up a feed parsed in another.
    """
    from django.conf import settings

    worker = getattr(_workers, "worker", None)
    if worker is None:
        worker = _workers.worker = ParseWorker(
            max_memory=settings.FEEDS_PARSE_MAX_MEMORY
        )
    return worker


def _entry_from(data: dict) -> ParsedEntry:
    published = None
    if data.get("published") is not None:
        with contextlib.suppress(ValueError, OverflowError, OSError):
            published = datetime.fromtimestamp(data["published"], tz=UTC)
    return ParsedEntry(
        guid=data["guid"],
        link=data["link"],
        title=data["title"],
        title_is_html=data["title_is_html"],
        author=data["author"],
        summary=data["summary"],
        summary_is_html=data["summary_is_html"],
        published=published,
        categories=tuple(c for c in data["categories"] if c),
    )


def feed_parse(
    *,
    body: bytes,
    url: str = "",
    content_type: str = "",
    max_entries: int | None = None,
    max_summary_chars: int | None = None,
    timeout: float | None = None,
) -> ParsedFeed:
    """Parse a feed document (bytes) within the limits; FeedParseError if not."""
    from django.conf import settings

    if len(body) > settings.FEEDS_MAX_BYTES:
        raise FeedParseError("The feed is larger than the size limit.")
    if not body.strip():
        raise FeedParseError("The feed is empty.")
    meta = {
        "url": url,
        "content_type": content_type,
        "max_entries": max_entries or settings.FEEDS_MAX_ENTRIES,
        "max_summary_chars": max_summary_chars or settings.FEEDS_MAX_SUMMARY_CHARS,
    }
    timeout = timeout or settings.FEEDS_PARSE_TIMEOUT
    started = time.perf_counter()
    data = parse_worker().run(body=body, meta=meta, timeout=timeout)
    parsed = ParsedFeed(
        title=data["title"],
        link=data["link"],
        language=data["language"],
        entries=[_entry_from(entry) for entry in data["entries"]],
        entries_found=data["entries_found"],
        notes=list(data["notes"]),
        seconds=time.perf_counter() - started,
    )
    if not parsed.entries and not parsed.title:
        parsed.notes.append("No feed was found in this document.")
    return parsed
