"""What the read-only API (/api/v2/pages/) tells of a digest issue.

The sections are told as the reader sees them: each section's heading (for a
Bulletin, made from its region and theme when it has none) and its items with
their copied title, source, date, link, summary and staff comment. A
publication item links into the library only while that publication is live
and public, as on the web page; the links of a whole batch of issues are
found in one query (`digests_api_prepare`).
"""

from django.db.models import prefetch_related_objects

from briefings.blocks import date_from_raw
from briefings.outline import digest_references
from publications.api import (
    PageComputedField,
    translations_prepare,
)
from publications.models import PublicationPage
from theme.address import page_public_url

ITEM_TEXT_FIELDS = ("title", "source", "url", "summary", "comment")


def _text(value) -> str:
    return str(value or "").strip()


def _item_api(block: dict, publication_urls: dict[int, str]) -> dict:
    fields = block.get("value") or {}
    date = date_from_raw(fields.get("date"))
    item = {
        "type": block.get("type", ""),
        **{name: _text(fields.get(name)) for name in ITEM_TEXT_FIELDS},
        "date": date.isoformat() if date else None,
    }
    if item["type"] == "publication":
        try:
            publication_id = int(fields.get("publication"))
        except (TypeError, ValueError):
            publication_id = None
        url = publication_urls.get(publication_id)
        item["publication"] = {"id": publication_id, "html_url": url} if url else None
        item["url"] = item["url"] or url or ""
    return item


def digest_sections_api(page) -> list[dict]:
    """The issue's sections and items, from the stream's stored data."""
    urls = getattr(page, "_api_publication_urls", {})
    sections = []
    for block in page.sections.raw_data:
        if block.get("type") != "section":
            continue
        value = block.get("value") or {}
        section = {
            "heading": page.section_heading(value),
            "intro": _text(value.get("intro")),
            "items": [_item_api(item, urls) for item in value.get("items") or []],
        }
        # A Bulletin's section also names its region and theme.
        for name in ("region", "theme"):
            if name in value:
                section[name] = _text(value.get(name))
        sections.append(section)
    return sections


def _author(page) -> dict | None:
    author = page.author
    return {"name": author.name} if author is not None else None


sections_field = PageComputedField(digest_sections_api)
author_field = PageComputedField(_author)
period_field = PageComputedField(lambda page: page.period)


def digests_api_prepare(pages: list) -> None:
    """Live public publications the issues point to, and translations: constant
    queries for any number of issues."""
    prefetch_related_objects(pages, "author")
    ids = set()
    for page in pages:
        ids |= digest_references(page)[1]
    urls = {}
    if ids:
        urls = {
            publication.pk: page_public_url(publication)
            for publication in PublicationPage.objects.live()
            .public()
            .filter(pk__in=ids)
            .only("id", "url_path", "depth", "path", "locale_id")
        }
    for page in pages:
        page._api_publication_urls = urls
    translations_prepare(pages)
