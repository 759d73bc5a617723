"""The one cleaning policy for untrusted HTML and text (feeds, partner text).

- `html_clean`: an allowlist on bleach. Kept: a few text-level and block tags,
  links to http, https and mailto addresses only (with rel="nofollow noopener
  noreferrer"), titles on links and abbreviations. Everything else goes:
  scripts, styles and style attributes, event handlers, forms, frames,
  embedded objects, SVG and MathML, with their contents where a browser would
  not show them as text. Idempotent: cleaning clean output changes nothing.
- `text_clean`: plain text for titles and names: no control characters, no
  bidirectional overrides, whitespace collapsed. Never marked safe.
- `text_from_html`: the text of an HTML fragment on one line (titles sent as
  HTML, excerpts, keyword rules, the text part of emails): the one way the
  site turns HTML into text.
- `url_clean` / `url_canonical`: web addresses only; the canonical form drops
  tracking parameters and the fragment, to recognise the same article.

Bleach's cleaner is not thread-safe, so each thread gets its own.
"""

import html
import re
import threading
import unicodedata
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import bleach
from bleach import html5lib_shim
from bleach.sanitizer import BleachSanitizerFilter

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "dd",
        "del",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "ins",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
# Removed together with everything inside them: their content is code, media
# or a form, never text a reader would see in a news summary.
DROPPED_WITH_CONTENT = frozenset(
    {
        "applet",
        "audio",
        "base",
        "button",
        "canvas",
        "embed",
        "form",
        "frame",
        "frameset",
        "head",
        "iframe",
        "input",
        "link",
        "map",
        "math",
        "meta",
        "noembed",
        "noframes",
        "noscript",
        "object",
        "option",
        "param",
        "picture",
        "script",
        "select",
        "source",
        "style",
        "svg",
        "template",
        "textarea",
        "title",
        "track",
        "video",
        "xmp",
    }
)
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
# Elements whose ends separate words when HTML is read as text.
TEXT_BREAKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl"),
        *("dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5"),
        *("h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section"),
        *("table", "td", "th", "tr", "ul"),
    }
)
LINK_REL = "nofollow noopener noreferrer"
# Bidirectional embeddings, overrides, isolates and marks, the byte-order mark.
BIDI_AND_INVISIBLE = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff"
INVISIBLE = re.compile(f"[{BIDI_AND_INVISIBLE}\ud800-\udfff]")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_OR_SPACE = re.compile("[\x00-\x1f\x7f-\x9f]")
WHITESPACE = re.compile(r"\s+")
ANY_TAG = re.compile(r"<[^>]*>?")
MAX_CLEAN_ROUNDS = 4

# Query parameters that only track the reader (analytics, ads, mailings).
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "_hs", "ga_")
TRACKING_PARAMETERS = frozenset(
    {
        "_ga",
        "_gl",
        "_ke",
        "cmpid",
        "dclid",
        "fbclid",
        "gbraid",
        "gclid",
        "gclsrc",
        "icid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "msclkid",
        "oly_anon_id",
        "oly_enc_id",
        "rb_clickid",
        "s_cid",
        "si",
        "srsltid",
        "ttclid",
        "twclid",
        "vero_conv",
        "vero_id",
        "wbraid",
        "wickedid",
        "yclid",
    }
)
DEFAULT_PORTS = {"http": "80", "https": "443"}


def _link_allowed(value: str) -> bool:
    """An absolute http(s) or mailto address, as a browser would read it."""
    normalized = html.unescape(value)
    normalized = CONTROL_OR_SPACE.sub("", INVISIBLE.sub("", normalized)).strip().lower()
    scheme, _, rest = normalized.partition(":")
    if scheme in ("http", "https"):
        return rest.startswith("//") and len(rest) > 2
    return scheme == "mailto" and bool(rest)


def _attribute_allowed(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        if name == "href":
            return _link_allowed(value)
        return name in ("title", "rel")
    if tag == "abbr":
        return name == "title"
    if tag in ("td", "th"):
        return name in ("colspan", "rowspan") and value.isdigit() and len(value) < 4
    return False


class DropContentFilter(html5lib_shim.Filter):
    """Drop the elements in DROPPED_WITH_CONTENT with everything inside them."""

    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            kind = token["type"]
            name = (token.get("name") or "").lower()
            if depth:
                if kind == "StartTag":
                    depth += 1
                elif kind == "EndTag":
                    depth -= 1
                continue
            if kind in ("StartTag", "EmptyTag") and name in DROPPED_WITH_CONTENT:
                depth = 1 if kind == "StartTag" else 0
                continue
            if kind == "EndTag" and name in DROPPED_WITH_CONTENT:
                continue
            yield token


class BlockSpaceFilter(html5lib_shim.Filter):
    """A space where a block or a line break ends, so that text does not run on.

    Only for text: "<p>one</p><p>two</p>" reads "one two", "a<br>b" "a b".
    """

    def __iter__(self):
        for token in super().__iter__():
            if (token.get("name") or "").lower() in TEXT_BREAKS:
                yield {"type": "SpaceCharacters", "data": " "}
            yield token


class LinkRelFilter(html5lib_shim.Filter):
    """Links open nothing of ours and pass no referrer or ranking."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a":
                attributes = dict(token.get("data") or {})
                if (None, "href") in attributes:
                    attributes[(None, "rel")] = LINK_REL
                else:
                    attributes.pop((None, "rel"), None)
                token["data"] = attributes
            yield token


class PolicyCleaner(bleach.Cleaner):
    """bleach's Cleaner with the dropped elements removed before sanitising."""

    def __init__(self, *, tags: frozenset[str], text: bool = False):
        self.text = text
        super().__init__(
            tags=tags,
            attributes=_attribute_allowed,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[LinkRelFilter],
        )
        # The parser must see the dropped elements as elements (so that their
        # content is parsed as a browser parses it, then removed whole).
        # Read as text, the elements that break lines are seen too, for their spaces.
        self.parser = html5lib_shim.BleachHTMLParser(
            tags=tags | DROPPED_WITH_CONTENT | (TEXT_BREAKS if text else frozenset()),
            strip=True,
            consume_entities=False,
            namespaceHTMLElements=False,
        )

    def clean(self, text: str) -> str:
        if not text:
            return ""
        dom = self.parser.parseFragment(text)
        source = DropContentFilter(self.walker(dom))
        if self.text:
            source = BlockSpaceFilter(source)
        filtered = BleachSanitizerFilter(
            source=source,
            allowed_tags=self.tags,
            attributes=self.attributes,
            strip_disallowed_tags=True,
            strip_html_comments=True,
            css_sanitizer=None,
            allowed_protocols=self.protocols,
        )
        for filter_class in self.filters:
            filtered = filter_class(source=filtered)
        return self.serializer.render(filtered)


_local = threading.local()


def _cleaner(kind: str) -> PolicyCleaner:
    cleaner = getattr(_local, kind, None)
    if cleaner is None:
        if kind == "html":
            cleaner = PolicyCleaner(tags=ALLOWED_TAGS)
        else:
            cleaner = PolicyCleaner(tags=frozenset(), text=True)
        setattr(_local, kind, cleaner)
    return cleaner


def html_clean(value: str) -> str:
    """Untrusted HTML to HTML that keeps only what the policy allows."""
    if not value:
        return ""
    cleaner = _cleaner("html")
    current = cleaner.clean(CONTROL.sub("", INVISIBLE.sub("", value))).strip()
    # Cleaning is repeated until it changes nothing, so that the result is a
    # fixed point: clean(clean(x)) == clean(x), even for odd parser corners.
    for _ in range(MAX_CLEAN_ROUNDS):
        again = cleaner.clean(current).strip()
        if again == current:
            return current
        current = again
    return html_fallback(current)


def html_fallback(value: str) -> str:
    """Cheap and safe: the text without any tag, escaped (no markup at all)."""
    text = html.unescape(ANY_TAG.sub(" ", value))
    text = CONTROL_OR_SPACE.sub(" ", INVISIBLE.sub("", text))
    return html.escape(WHITESPACE.sub(" ", text).strip(), quote=False)


def text_clean(value: str, *, max_length: int | None = None) -> str:
    """Plain text on one line: no control or bidi characters, spaces collapsed."""
    if not value:
        return ""
    text = INVISIBLE.sub("", unicodedata.normalize("NFC", value))
    text = WHITESPACE.sub(" ", CONTROL_OR_SPACE.sub(" ", text)).strip()
    if max_length is not None and len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def text_from_html(value: str, *, max_length: int | None = None) -> str:
    """The visible text of an HTML fragment, as plain text."""
    if not value:
        return ""
    text = CONTROL_OR_SPACE.sub(" ", INVISIBLE.sub("", value))
    text = html.unescape(_cleaner("text").clean(text))
    return text_clean(text, max_length=max_length)


def url_clean(value: str) -> str:
    """An absolute http or https address, or "" for anything else."""
    url = INVISIBLE.sub("", value or "").strip()
    if CONTROL_OR_SPACE.search(url):
        return ""
    if len(url) > 2000 or any(ch.isspace() for ch in url):
        return ""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on an invalid port)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return url


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def url_canonical(value: str) -> str:
    """The address without tracking, fragment, credentials, case or default port."""
    url = url_clean(value)
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    port = ""
    if parts.port and str(parts.port) != DEFAULT_PORTS[scheme]:
        port = f":{parts.port}"
    # The remaining parameters keep their spelling, in a stable order.
    query = "&".join(
        sorted(
            piece
            for piece in parts.query.split("&")
            if piece and not _is_tracking(unquote_plus(piece.partition("=")[0]))
        )
    )
    return urlunsplit((scheme, host + port, parts.path or "/", query, ""))
