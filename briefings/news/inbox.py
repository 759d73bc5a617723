"""What editors do with the items in the inbox.

Status and tags are the news app's own. An app that can take items somewhere
(the digests: "Add to the draft digest chosen") offers an `InboxAction`
through the `register_news_inbox_action` hook, so this app never imports it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from wagtail import hooks

from briefings.news.choices import NewsStatus
from briefings.news.models import NewsItem

INBOX_ACTION_HOOK = "register_news_inbox_action"


@dataclass(frozen=True)
class InboxAction:
    """An action on the ticked inbox items, offered by another app.

    `form_class` validates the action's own fields (posted with the bulk
    form; it takes the POST data and `user=`); `fields_template` renders
    them in the inbox's bulk bar with `fields_context(request)`; `perform`
    does the work and returns the message shown to the editor, or raises
    PermissionDenied.
    """

    name: str
    label: str
    form_class: type[forms.Form]
    fields_template: str
    fields_context: Callable[[HttpRequest], dict]
    perform: Callable[..., str]


def inbox_actions() -> list[InboxAction]:
    """The actions other apps offer, in the order their hooks are registered."""
    return [hook() for hook in hooks.get_hooks(INBOX_ACTION_HOOK)]


def news_items_status_set(*, item_ids: list[int], status: str) -> int:
    """Set the status of these items (and of their folded duplicates)."""
    if status not in NewsStatus.values:
        raise ValueError(f"unknown status {status!r}")
    items = NewsItem.objects.filter(Q(pk__in=item_ids) | Q(duplicate_of__in=item_ids))
    return items.update(status=status, updated_at=timezone.now())


def news_items_used_mark(*, item_ids: list[int], page) -> int:
    """Mark these items as used in an issue (the page they were added to)."""
    return NewsItem.objects.filter(pk__in=item_ids).update(
        status=NewsStatus.USED, used_in=page, updated_at=timezone.now()
    )


def news_items_tag(
    *, item_ids: list[int], programme_ids: list[int] = (), country_ids: list[int] = ()
) -> int:
    """Add programmes and countries to these items; existing tags are kept."""
    ids = list(NewsItem.objects.filter(pk__in=item_ids).values_list("pk", flat=True))
    with transaction.atomic():
        for relation, tag_ids, column in (
            (NewsItem.programmes, programme_ids, "programme_id"),
            (NewsItem.countries, country_ids, "country_id"),
        ):
            through = relation.through
            if not tag_ids:
                continue
            taken = set(
                through.objects.filter(newsitem_id__in=ids).values_list(
                    "newsitem_id", column
                )
            )
            through.objects.bulk_create(
                [
                    through(newsitem_id=item_id, **{column: tag_id})
                    for item_id in ids
                    for tag_id in tag_ids
                    if (item_id, tag_id) not in taken
                ]
            )
    return len(ids)
