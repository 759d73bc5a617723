"""Builders for news ingestion tests: feed documents, a local HTTP server on
127.0.0.1, and a guard that fails any other connection."""

import contextlib
import datetime
import socket
import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import format_datetime
from xml.sax.saxutils import escape

from bleach._vendor import html5lib
from pytest_httpserver import HTTPServer

from briefings.news.ingest import fetch
from briefings.news.ingest.parse import ParsedEntry, ParsedFeed

LOOPBACK = "127.0.0.1"


def rss_item(
    n: int,
    *,
    title: str | None = None,
    link: str | None = None,
    guid: str | None = "",
    description: str | None = None,
    published: datetime.datetime | None = None,
) -> dict:
    return {
        "title": f"Item {n}" if title is None else title,
        "link": f"https://news.example/items/{n}" if link is None else link,
        "guid": f"item-{n}" if guid == "" else guid,
        "description": f"<p>Summary of item {n}.</p>"
        if description is None
        else description,
        "published": published
        or datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC)
        + datetime.timedelta(hours=n),
    }


def rss_document(items: Iterable[dict], *, title: str = "A feed") -> bytes:
    """An RSS 2.0 document; descriptions are HTML, escaped as RSS wants."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>https://news.example/</link>",
    ]
    for item in items:
        parts.append("<item>")
        if item.get("title") is not None:
            parts.append(f"<title>{escape(item['title'])}</title>")
        if item.get("link"):
            parts.append(f"<link>{escape(item['link'])}</link>")
        if item.get("guid"):
            parts.append(f'<guid isPermaLink="false">{escape(item["guid"])}</guid>')
        if item.get("description") is not None:
            parts.append(f"<description>{escape(item['description'])}</description>")
        if item.get("published"):
            parts.append(f"<pubDate>{format_datetime(item['published'])}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def rss_feed(count: int, *, start: int = 0, title: str = "A feed") -> bytes:
    return rss_document((rss_item(n) for n in range(start, start + count)), title=title)


def gzip_bomb(mebibytes: int) -> bytes:
    """A valid gzip stream of about 1 KB per MiB of zeros it expands to.

    Built from one compressed MiB repeated (a full flush resets the
    compressor, so each repetition compresses identically), then the trailer.
    """
    chunk = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(chunk, crc)
    final_empty_block = b"\x03\x00"
    trailer = struct.pack("<II", crc, (mebibytes << 20) & 0xFFFFFFFF)
    return first + repeated * (mebibytes - 1) + final_empty_block + trailer


@contextlib.contextmanager
def local_feed_server() -> Iterator[HTTPServer]:
    """A real HTTP server on 127.0.0.1 (threaded, so slow handlers block nothing)."""
    server = HTTPServer(host=LOOPBACK, port=0, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        server.stop()


def connections_refuse(monkeypatch) -> list:
    """Make any attempt to open a socket connection fail the test."""
    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"a connection was attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(fetch, "_socket_connect", refuse)
    return attempts


@dataclass
class DnsTable:
    """DNS answers by name; a list of answers is served one lookup at a time."""

    answers: dict[str, list[list[str]]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def getaddrinfo(self, host, port, *args, **kwargs):
        self.calls.append(host)
        if host not in self.answers:
            raise AssertionError(f"unexpected DNS lookup of {host!r}")
        queue = self.answers[host]
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]
        result = []
        for address in addresses:
            if ":" in address:
                sockaddr = (address, port, 0, 0)
                result.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", sockaddr))
            else:
                sockaddr = (address, port)
                result.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", sockaddr))
        return result


def dns_fake(monkeypatch) -> DnsTable:
    """Answer DNS from a table; a name not in it fails the test (no real DNS)."""
    table = DnsTable()
    monkeypatch.setattr(socket, "getaddrinfo", table.getaddrinfo)
    return table


# --- What a browser would find dangerous in cleaned HTML ----------------------

FORBIDDEN_ELEMENTS = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "svg",
    "math",
    "link",
    "meta",
    "base",
    "img",
    "template",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "xlink:href",
    "cite",
    "srcset",
}


def browser_problems(fragment: str) -> list[str]:
    """What a browser parsing this fragment would find dangerous."""
    problems = []
    tree = html5lib.parseFragment(fragment, treebuilder="etree")
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        namespace, _, name = element.tag.rpartition("}")
        if namespace and "xhtml" not in namespace:
            problems.append(f"foreign element {element.tag}")
        if name.lower() in FORBIDDEN_ELEMENTS:
            problems.append(f"element {name}")
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2].lower()
            if local.startswith("on") or local == "style":
                problems.append(f"attribute {local}")
            squeezed = "".join(value.split()).lower()
            if local in URL_ATTRIBUTES and not squeezed.startswith(
                ("http://", "https://", "mailto:")
            ):
                problems.append(f"{local}={value[:40]!r}")
            if any(s in squeezed for s in ("javascript:", "vbscript:", "data:")):
                problems.append(f"script URL in {local}")
    return problems


# --- Parsed entries, as the parser hands them to the store ---------------------

WHEN = datetime.datetime(2021, 3, 1, 12, tzinfo=datetime.UTC)


def entry(n: int, **fields) -> ParsedEntry:
    values = {
        "guid": f"guid-{n}",
        "link": f"https://news.example/{n}",
        "title": f"Title {n}",
        "summary": f"<p>Summary {n}</p>",
        "published": WHEN + datetime.timedelta(hours=n),
    }
    values.update(fields)
    return ParsedEntry(**values)


def parsed(*entries: ParsedEntry) -> ParsedFeed:
    return ParsedFeed(title="Feed", entries=list(entries))
