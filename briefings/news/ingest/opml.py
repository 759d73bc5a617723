"""OPML import and export of news sources.

An imported OPML file can set nothing but feed addresses, titles and
categories: every other attribute is ignored. The XML is parsed with the
standard library only after refusing any document with a DOCTYPE or ENTITY
declaration, so no entity can be expanded and nothing external is loaded.
"""

import re
import xml.etree.ElementTree as ET  # noqa: S405 (DTDs are refused before parsing)
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from briefings.news.ingest.clean import text_clean
from briefings.news.ingest.fetch import FetchError, url_precheck
from briefings.news.models import NewsSource

MAX_OPML_BYTES = 2 * 1024 * 1024
MAX_OUTLINES = 5000
ENCODING_DECLARATION = re.compile(
    rb"""^<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']"""
)
ACCEPTED_ENCODINGS = {
    "utf-8",
    "utf8",
    "us-ascii",
    "ascii",
    "iso-8859-1",
    "latin-1",
    "latin1",
    "windows-1252",
    "cp1252",
}
DTD_MARKUP = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class OpmlError(Exception):
    """The file is not an OPML document we accept; the message says why."""


@dataclass(frozen=True)
class OpmlFeed:
    feed_url: str
    title: str
    category: str


@dataclass
class OpmlImportReport:
    created: list[NewsSource] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one plain message each


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise OpmlError("The file is not valid UTF-16 text.") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    declared = ENCODING_DECLARATION.match(data.lstrip())
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if encoding not in ACCEPTED_ENCODINGS:
        raise OpmlError(
            f"The file declares the encoding “{encoding}”; save it as UTF-8."
        )
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise OpmlError(f"The file is not valid {encoding.upper()} text.") from None


def opml_parse(*, data: bytes) -> tuple[list[OpmlFeed], list[str]]:
    """The feeds an OPML document lists, and a message for each one skipped."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError("The file is larger than 2 MB; that is not an OPML list.")
    text = _decode(data)
    if DTD_MARKUP.search(text):
        raise OpmlError(
            "The file contains a DOCTYPE or ENTITY declaration, which OPML does "
            "not need; it was refused for safety."
        )
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = ET.fromstring(text)  # noqa: S314 (no DTD, so no entities)
    except ET.ParseError as error:
        raise OpmlError(f"The file is not well-formed XML ({error}).") from None
    if root.tag != "opml":
        raise OpmlError("The file is XML but not OPML (its root is not <opml>).")
    body = root.find("body")
    if body is None:
        raise OpmlError("The OPML file has no <body>.")
    feeds: list[OpmlFeed] = []
    skipped: list[str] = []
    seen: set[str] = set()
    count = 0
    stack = [(child, "") for child in reversed(list(body))]
    while stack:
        element, folder = stack.pop()
        if element.tag != "outline":
            continue
        count += 1
        if count > MAX_OUTLINES:
            skipped.append(f"Only the first {MAX_OUTLINES} outlines were read.")
            break
        label = text_clean(
            element.get("title") or element.get("text") or "", max_length=255
        )
        url = (element.get("xmlUrl") or "").strip()
        if not url:
            # A folder: its title is the category of the feeds inside.
            children = list(element)
            stack.extend((child, label or folder) for child in reversed(children))
            continue
        try:
            target = url_precheck(url)
        except FetchError as error:
            skipped.append(f"{label or url[:100]}: {error.message}")
            continue
        if url in seen:
            continue
        seen.add(url)
        category = element.get("category") or folder
        category = text_clean(category.split(",")[0].strip("/ "), max_length=100)
        title = label or target.host
        feeds.append(OpmlFeed(feed_url=url, title=title, category=category))
    return feeds, skipped


def opml_import(*, data: bytes) -> OpmlImportReport:
    """Create a source for each new feed of an OPML file; existing ones are kept."""
    feeds, skipped = opml_parse(data=data)
    report = OpmlImportReport(skipped=skipped)
    known = set(
        NewsSource.objects.filter(
            feed_url__in=[feed.feed_url for feed in feeds]
        ).values_list("feed_url", flat=True)
    )
    with transaction.atomic():
        for feed in feeds:
            if feed.feed_url in known:
                report.existing.append(feed.feed_url)
                continue
            if len(feed.feed_url) > 2000:
                report.skipped.append(f"{feed.title}: the address is too long.")
                continue
            report.created.append(
                NewsSource.objects.create(
                    title=feed.title, feed_url=feed.feed_url, category=feed.category
                )
            )
    return report


def opml_export(*, sources=None) -> bytes:
    """An OPML 2.0 document of the sources, grouped by category."""
    if sources is None:
        sources = NewsSource.objects.order_by("category", "title")
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "News sources"
    ET.SubElement(head, "dateCreated").text = timezone.now().strftime(
        "%a, %d %b %Y %H:%M:%S GMT"
    )
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for source in sources:
        parent = body
        if source.category:
            parent = folders.get(source.category)
            if parent is None:
                parent = ET.SubElement(
                    body, "outline", text=source.category, title=source.category
                )
                folders[source.category] = parent
        attributes = {
            "type": "rss",
            "text": source.title,
            "title": source.title,
            "xmlUrl": source.feed_url,
        }
        if source.site_url:
            attributes["htmlUrl"] = source.site_url
        if source.category:
            attributes["category"] = source.category
        if source.language:
            attributes["language"] = source.language
        ET.SubElement(parent, "outline", attributes)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
