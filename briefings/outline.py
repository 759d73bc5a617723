"""A digest's sections as plain values, for the web page, the email and checks.

Read from the StreamField's raw data: the copied fields are all a reader needs,
so nothing is looked up per item. Publications are fetched in one query (plus
one for their cover renditions) to know whether they are live, their address
and their cover image.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Prefetch
from django.utils import formats
from django.utils.translation import gettext as _

from wagtail.images import get_image_model

from briefings.blocks import date_from_raw
from briefings.news.models import NewsItem
from publications.models import PublicationPage

COVER_SPEC = "width-240"
COVER_WIDTH = 120


def _date_label(value: datetime.date) -> str:
    """“3 December 2019” in the active language (formats are looked up once)."""
    return formats.date_format(value, "j F Y")


@dataclass
class OutlineImage:
    url: str
    alt: str
    width: int
    height: int


@dataclass
class OutlineItem:
    kind: str
    title: str
    source: str = ""
    date: datetime.date | None = None
    url: str = ""
    summary: str = ""
    comment: str = ""
    news_item_id: int | None = None
    publication_id: int | None = None
    image: OutlineImage | None = None

    @cached_property
    def date_label(self) -> str:
        return _date_label(self.date) if self.date else ""

    @property
    def is_publication(self) -> bool:
        return self.kind == "publication"


@dataclass
class OutlineSection:
    anchor: str
    heading: str
    intro: str = ""
    items: list[OutlineItem] = field(default_factory=list)
    # Filled by the email renderer: the items' markup, written in one pass.
    items_mjml: str = ""
    items_text: str = ""


def _text(value) -> str:
    return str(value or "").strip()


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _raw_sections(page) -> list[dict]:
    sections = getattr(page, "sections", None)
    if sections is None:
        return []
    return [block for block in sections.raw_data if block.get("type") == "section"]


def digest_references(page) -> tuple[set[int], set[int]]:
    """The ids of the news items and publications an issue refers to."""
    news, publications = set(), set()
    for section in _raw_sections(page):
        for block in (section.get("value") or {}).get("items") or []:
            value = block.get("value") or {}
            if (pk := _int_or_none(value.get("news_item"))) is not None:
                news.add(pk)
            if (pk := _int_or_none(value.get("publication"))) is not None:
                publications.add(pk)
    return news, publications


def _publications(ids: set[int], *, url_of) -> dict[int, tuple[str, OutlineImage]]:
    """Live publications by id: their address and cover, in two queries."""
    if not ids:
        return {}
    images = get_image_model().objects.prefetch_renditions(COVER_SPEC)
    found = {}
    for publication in (
        PublicationPage.objects.live()
        .filter(pk__in=ids)
        .prefetch_related(Prefetch("cover_image", queryset=images))
    ):
        image = None
        if publication.cover_image is not None:
            rendition = publication.cover_image.get_rendition(COVER_SPEC)
            image = OutlineImage(
                url=url_of(rendition.url),
                alt=publication.cover_image.description
                or _("Cover of %(title)s") % {"title": publication.title},
                width=COVER_WIDTH,
                height=round(rendition.height * COVER_WIDTH / rendition.width),
            )
        found[publication.pk] = (url_of(publication), image)
    return found


def digest_outline(page, *, url_of) -> list[OutlineSection]:
    """The sections of an issue; `url_of` turns a page or path into a link."""
    raw_sections = _raw_sections(page)
    _news, publication_ids = digest_references(page)
    publications = _publications(publication_ids, url_of=url_of)
    outline = []
    for number, section in enumerate(raw_sections, start=1):
        value = section.get("value") or {}
        items = []
        for block in value.get("items") or []:
            kind = block.get("type", "")
            fields = block.get("value") or {}
            item = OutlineItem(
                kind=kind,
                title=_text(fields.get("title")),
                source=_text(fields.get("source")),
                date=date_from_raw(fields.get("date")),
                url=url_of(_text(fields.get("url"))) if fields.get("url") else "",
                summary=_text(fields.get("summary")),
                comment=_text(fields.get("comment")),
                news_item_id=_int_or_none(fields.get("news_item")),
                publication_id=_int_or_none(fields.get("publication")),
            )
            if item.publication_id in publications:
                item.url, item.image = publications[item.publication_id]
            if not item.title:
                item.title = item.url or _("Untitled item")
            items.append(item)
        outline.append(
            OutlineSection(
                anchor=f"section-{number}",
                heading=page.section_heading(value)
                or _("Section %(number)d") % {"number": number},
                intro=_text(value.get("intro")),
                items=items,
            )
        )
    return outline


def digest_reference_problems(page) -> list[str]:
    """What an editor should know: items whose origin was deleted or unpublished."""
    news_ids, publication_ids = digest_references(page)
    problems = []
    if news_ids:
        missing = news_ids - set(
            NewsItem.objects.filter(pk__in=news_ids).values_list("pk", flat=True)
        )
        if missing:
            problems.append(
                _(
                    "%(count)d news item(s) in this issue were deleted from the "
                    "inbox (ids %(ids)s). Their copied title, link and summary "
                    "are still shown."
                )
                % {"count": len(missing), "ids": ", ".join(map(str, sorted(missing)))}
            )
    if publication_ids:
        live = dict(
            PublicationPage.objects.filter(pk__in=publication_ids).values_list(
                "pk", "live"
            )
        )
        gone = sorted(pk for pk in publication_ids if not live.get(pk))
        if gone:
            problems.append(
                _(
                    "%(count)d publication(s) in this issue are unpublished or "
                    "deleted (ids %(ids)s). They are shown without a link to the "
                    "library."
                )
                % {"count": len(gone), "ids": ", ".join(map(str, gone))}
            )
    return problems
