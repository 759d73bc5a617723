"""Composing issues from the inbox: news items copied into a section of a draft."""

import json
import uuid

from django.db import transaction

from briefings.blocks import plain_text
from briefings.choices import NewsStatus
from briefings.models import NewsItem

DEFAULT_SECTION = "News"


def news_item_raw(item: NewsItem) -> dict:
    """A news item block in StreamField raw form, its fields copied from the item."""
    return {
        "type": "news_item",
        "id": str(uuid.uuid4()),
        "value": {
            "news_item": item.pk,
            "title": item.title,
            "source": item.source.title,
            "date": item.published_at.date().isoformat() if item.published_at else None,
            "url": item.original_url(),
            "summary": plain_text(item.summary_html),
            "comment": "",
        },
    }


def _region_of(heading: str) -> str | None:
    from bulletins.choices import BulletinRegion

    wanted = heading.casefold()
    for value, label in BulletinRegion.choices:
        if wanted in (value, str(label).casefold()):
            return value
    return None


def _section_for(sections: list[dict], heading: str, *, regional: bool) -> dict:
    """The section with this heading (or region), else a new one at the end."""
    wanted = heading.casefold()
    region = _region_of(heading) if regional else None
    for section in sections:
        value = section["value"]
        if (value.get("heading") or "").strip().casefold() == wanted:
            return section
        untitled = not value.get("heading") and not value.get("theme")
        if region and untitled and value.get("region") == region:
            return section
    value = {"heading": heading, "intro": "", "items": []}
    if regional:
        value = {"region": region or "global", "theme": "", **value}
        if region:
            value["heading"] = ""
    section = {"type": "section", "id": str(uuid.uuid4()), "value": value}
    sections.append(section)
    return section


@transaction.atomic
def digest_news_items_add(
    *, page, item_ids: list[int], section_heading: str, user=None
) -> int:
    """Copy news items into a section of the digest's latest draft; mark them used.

    Items already in the issue are not added twice. Returns how many were added.
    """
    from bulletins.models import BulletinPage

    # Fresh from the database: the caller's copy may predate the last revision.
    page = page.specific_class.objects.select_for_update().get(pk=page.pk)
    draft = page.get_latest_revision_as_object()
    heading = section_heading.strip() or DEFAULT_SECTION
    sections = [
        {**block, "value": dict(block["value"])}
        for block in json.loads(json.dumps(list(draft.sections.raw_data)))
    ]
    present = {
        item["value"].get("news_item")
        for section in sections
        for item in section["value"].get("items") or []
    }
    items = [
        item
        for item in NewsItem.objects.filter(pk__in=item_ids)
        .select_related("source")
        .order_by("-published_at", "-pk")
        if item.pk not in present
    ]
    if items:
        section = _section_for(
            sections, heading, regional=isinstance(page, BulletinPage)
        )
        section["value"]["items"] = [
            *(section["value"].get("items") or []),
            *(news_item_raw(item) for item in items),
        ]
        draft.sections = json.dumps(sections)
        draft.save_revision(user=user, log_action=True)
    NewsItem.objects.filter(pk__in=item_ids).update(
        status=NewsStatus.USED, used_in=page
    )
    return len(items)
