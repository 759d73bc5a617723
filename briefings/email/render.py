"""A digest issue as an email: MJML (a Django template) to HTML, and a text twin.

Delivery (`send.py`) replaces the two placeholders per recipient; everything
else is the same for every subscriber of a language, so one render per issue
and language is enough.
"""

import html
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from wagtail.rich_text import expand_db_html

from mjml import mjml2html

from briefings.email.fragments import item_mjml, item_text
from briefings.outline import OutlineSection, digest_outline

UNSUBSCRIBE_PLACEHOLDER = "%%unsubscribe_url%%"
PREFERENCES_PLACEHOLDER = "%%preferences_url%%"
MJML_TEMPLATE = "briefings/email/digest.mjml"
TEXT_TEMPLATE = "briefings/email/digest.txt"
PREHEADER_LENGTH = 140

_RELATIVE_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")(/[^"]*)"')
_TAG = re.compile(r"<[^>]+>")
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
    base = base_url or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    if not base:
        site = page.get_site()
        base = site.root_url if site else "http://localhost"
    return base.rstrip("/")


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
    value = _LINK.sub(
        lambda match: f"{_TAG.sub('', match.group(2))} \x00{match.group(1)}\x01",
        value,
    )
    value = _LIST_ITEM.sub("- ", value)
    value = _BLOCK_END.sub("\n", value)
    lines = (
        " ".join(html.unescape(line).split())
        for line in _TAG.sub("", value).splitlines()
    )
    paragraphs = [
        line.replace("\x00", "<").replace("\x01", ">") for line in lines if line
    ]
    return "\n\n".join(paragraphs)


def render_digest_email(page, *, base_url: str | None = None) -> RenderedEmail:
    """One issue as an email in its own language, with absolute links."""
    from site_config.models import SiteSettings

    base = _base_url(page, base_url)
    with translation.override(page.locale.language_code):
        archive = page.get_parent().specific_deferred
        site = page.get_site()
        site_settings = SiteSettings.for_site(site) if site else None
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
            "outline": _with_fragments(digest_outline(page, url_of=url_of)),
            "organisation": site_settings.organisation_name if site_settings else "",
            "address_lines": site_settings.address_lines if site_settings else [],
            "contact_email": site_settings.email if site_settings else "",
            "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
            "preferences_url": PREFERENCES_PLACEHOLDER,
            "language_code": page.locale.language_code,
            "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
        }
        mjml = get_template(MJML_TEMPLATE).render(context)
        text = get_template(TEXT_TEMPLATE).render(context)
    return RenderedEmail(
        subject=subject,
        preheader=context["preheader"],
        html=mjml2html(mjml, disable_comments=True),
        text=_tidy_text(text),
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


__all__ = [
    "PREFERENCES_PLACEHOLDER",
    "UNSUBSCRIBE_PLACEHOLDER",
    "RenderedEmail",
    "render_digest_email",
    "html_to_text",
    "html_absolutize",
]
