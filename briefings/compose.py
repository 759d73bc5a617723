"""Composing issues from the inbox: news items copied into a section of a draft."""

import json
import uuid

from django.db import transaction

from wagtail.models import Page

from briefings.models import DigestPage
from briefings.news.inbox import news_items_used_mark
from briefings.news.ingest.clean import text_from_html
from briefings.news.models import NewsItem

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
            "summary": text_from_html(item.summary_html),
            "comment": "",
        },
    }


def draft_digests():
    """Digest issues of any kind never published yet, newest first."""
    return (
        Page.objects.type(DigestPage)
        .filter(live=False)
        .specific()
        .order_by("-latest_revision_created_at", "-pk")
    )


@transaction.atomic
def digest_news_items_add(
    *, page, item_ids: list[int], section_heading: str, user=None
) -> int:
    """Copy news items into a section of the digest's latest draft; mark them used.

    Items already in the issue are not added twice. Which section takes them
    is the page type's choice (`DigestPage.section_raw_for`). Returns how many
    were added.
    """
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
        section = page.section_raw_for(sections, heading)
        section["value"]["items"] = [
            *(section["value"].get("items") or []),
            *(news_item_raw(item) for item in items),
        ]
        draft.sections = json.dumps(sections)
        # A draft may lack required fields (Wagtail saves drafts unvalidated);
        # only its sections change here, so it is stored as the editor left it.
        draft.save_revision(user=user, log_action=True, clean=False)
    news_items_used_mark(item_ids=item_ids, page=page)
    return len(items)
