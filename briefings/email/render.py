"""A digest issue as an email: MJML (a Django template) to HTML, and a text twin.

Delivery (`briefings/newsletter/dispatch.py`) replaces the two placeholders per
recipient; everything else is the same for every subscriber of a language, so
one render per issue and language is enough.
"""

import re
import textwrap
from dataclasses import dataclass, replace
from urllib.parse import urljoin

from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from wagtail.rich_text import expand_db_html

from mjml import mjml2html

from briefings.email.fragments import item_mjml, item_text
from briefings.email.identity import site_identity
from briefings.news.ingest.clean import text_from_html
from briefings.outline import OutlineSection, digest_outline
from theme.address import base_url as public_base_url

UNSUBSCRIBE_PLACEHOLDER = "%%unsubscribe_url%%"
PREFERENCES_PLACEHOLDER = "%%preferences_url%%"
MJML_TEMPLATE = "briefings/email/digest.mjml"
TEXT_TEMPLATE = "briefings/email/digest.txt"
PREHEADER_LENGTH = 140
# Plain-text lines stay within this (RFC 5322's advice); a web address longer
# than that stays whole on its own line, as mail programs only link it whole.
TEXT_WIDTH = 78

_RELATIVE_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")(/[^"]*)"')
_LINK = re.compile(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>', re.S | re.I)
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|ul|ol|div)>|<br\s*/?>", re.I)
_LIST_ITEM = re.compile(r"<li\b[^>]*>", re.I)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    preheader: str
    html: str
    text: str
    mjml: str


def _base_url(page, base_url: str | None) -> str:
    """The given base, else the site's public address (BASE_URL)."""
    return (base_url or public_base_url()).rstrip("/")


def _absolute(base: str, url: str) -> str:
    if not url:
        return ""
    return urljoin(base + "/", url)


def _page_url(base: str, page) -> str:
    parts = page.get_url_parts()
    if parts is None:
        return ""
    _site_id, _root_url, path = parts
    return _absolute(base, path)


def html_absolutize(value: str, *, base: str) -> str:
    """Make every root-relative href and src of an HTML fragment absolute."""
    return _RELATIVE_ATTRIBUTE.sub(
        lambda match: f'{match.group(1)}{_absolute(base, match.group(2))}"', value
    )


def html_to_text(value: str) -> str:
    """Rich text to plain text: paragraphs kept, links as “text <url>”."""
    # The address stays text (escaped brackets), so that it outlives the tags.
    value = _LINK.sub(lambda match: f"{match.group(2)} &lt;{match.group(1)}&gt;", value)
    value = _LIST_ITEM.sub("- ", value)
    value = _BLOCK_END.sub("\n", value)
    paragraphs = (text_from_html(line) for line in value.splitlines())
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def render_digest_email(
    page, *, base_url: str | None = None, language: str | None = None
) -> RenderedEmail:
    """One issue as an email, with absolute links.

    The issue's content is in its own language; the fixed strings (footer,
    headings, labels) are in `language`, the readers' language, which defaults
    to the issue's: a reader whose language has no translation of the issue
    still gets the footer's words in their own.
    """
    base = _base_url(page, base_url)
    content_language = page.locale.language_code
    reader_language = language or content_language
    with translation.override(content_language):
        archive = page.get_parent().specific_deferred
        site = page.get_site()
        identity = site_identity(site)
        if identity.logo is not None:
            identity = replace(
                identity,
                logo=replace(identity.logo, url=_absolute(base, identity.logo.url)),
            )
        bidi = translation.get_language_bidi()
        editorial = html_absolutize(expand_db_html(page.editorial), base=base)
        editorial_text = html_to_text(editorial)
        preheader = page.standfirst or Truncator(editorial_text).chars(PREHEADER_LENGTH)
        subject = f"{page.title}: {page.focus_title}"

        def url_of(target) -> str:
            if isinstance(target, str):
                return _absolute(base, target)
            return _page_url(base, target)

        context = {
            "page": page,
            "subject": subject,
            "preheader": " ".join(preheader.split()),
            "list_name": archive.title,
            "view_url": _page_url(base, page),
            "archive_url": _page_url(base, archive),
            # Staff-written rich text, as Wagtail's `richtext` filter marks it.
            "editorial": mark_safe(editorial),  # noqa: S308
            "editorial_text": editorial_text,
            "author": page.author.name if page.author_id and page.author else "",
            "outline": digest_outline(page, url_of=url_of),
            "period": page.period,
            "organisation": identity.name,
            "logo": identity.logo,
            "home_url": _page_url(base, site.root_page.localized) if site else "",
            "address_lines": identity.address_lines,
            "contact_email": identity.contact_email,
            "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
            "preferences_url": PREFERENCES_PLACEHOLDER,
            "language_code": content_language,
            # Set where the fixed strings' language differs from the content's.
            "reader_language": (
                reader_language if reader_language != content_language else ""
            ),
            "text_direction": "rtl" if bidi else "ltr",
            "text_start": "right" if bidi else "left",
        }
    with translation.override(reader_language):
        context["outline"] = _with_fragments(context["outline"])
        mjml = get_template(MJML_TEMPLATE).render(context)
        text = get_template(TEXT_TEMPLATE).render(context)
    return RenderedEmail(
        subject=subject,
        preheader=context["preheader"],
        html=mjml2html(mjml, disable_comments=True),
        text=wrap_text(_tidy_text(text)),
        mjml=mjml,
    )


def _with_fragments(outline: list[OutlineSection]) -> list[OutlineSection]:
    """Give each section its items' MJML and text, written in one pass."""
    labels = {
        "label_publication": _("Our publication"),
        "label_comment": _("Our comment:"),
    }
    for section in outline:
        # Built from escaped values only (fragments.py escapes every field).
        section.items_mjml = mark_safe(  # noqa: S308
            "".join(item_mjml(item, **labels) for item in section.items)
        )
        section.items_text = "".join(
            item_text(item, **labels) for item in section.items
        )
    return outline


def _tidy_text(text: str) -> str:
    """At most one empty line in a row, no trailing spaces."""
    lines = [line.rstrip() for line in text.splitlines()]
    tidy: list[str] = []
    for line in lines:
        if not line and (not tidy or not tidy[-1]):
            continue
        tidy.append(line)
    return "\n".join(tidy).strip() + "\n"


def wrap_text(text: str, width: int = TEXT_WIDTH) -> str:
    """Wrap every line at `width` characters, keeping its indentation.

    Words are never cut: a web address longer than the width ends up alone on
    its line, whole, so that mail programs still link it.
    """
    lines: list[str] = []
    for line in text.splitlines():
        if len(line) <= width:
            lines.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        lines += textwrap.wrap(
            line.strip(),
            width=width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


__all__ = [
    "PREFERENCES_PLACEHOLDER",
    "UNSUBSCRIBE_PLACEHOLDER",
    "RenderedEmail",
    "render_digest_email",
    "html_to_text",
    "html_absolutize",
    "wrap_text",
]
