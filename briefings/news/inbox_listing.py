"""The inbox listing's filters: one function decides which items match.

The listing shows `news_items_filter(filters=...)`; "Select all N matching
items" posts the same filters back and the bulk action resolves the items with
the same function, so what is acted on is exactly what was listed. Filters are
kept in the editor's session until they clear them.
"""

from collections.abc import Mapping
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefings.news.choices import NewsStatus
from briefings.news.models import NewsItem
from publications.models import Country, Programme

FILTER_KEYS = ("q", "status", "source", "programme", "country", "date")
SESSION_KEY = "news_inbox_filters"
DATE_CHOICES = [
    ("1", _("Last 24 hours")),
    ("7", _("Last 7 days")),
    ("30", _("Last 30 days")),
    ("90", _("Last 90 days")),
]


def _positive_int(value) -> str:
    value = str(value or "").strip()
    return value if value.isdigit() and int(value) > 0 else ""


def inbox_filters_clean(params: Mapping) -> dict[str, str]:
    """The filters given in a query string (or the session), validated."""
    status = str(params.get("status") or "")
    date = str(params.get("date") or "")
    return {
        "q": str(params.get("q") or "").strip()[:200],
        "status": status if status in NewsStatus.values else "",
        "source": _positive_int(params.get("source")),
        "programme": _positive_int(params.get("programme")),
        "country": _positive_int(params.get("country")),
        "date": date if date in dict(DATE_CHOICES) else "",
    }


def inbox_filters_for_request(request) -> dict[str, str]:
    """Filters from the query string when it has any, else those kept in the
    session; filters given are kept for the next visit."""
    if any(key in request.GET for key in FILTER_KEYS):
        filters = inbox_filters_clean(request.GET)
        request.session[SESSION_KEY] = filters
        return filters
    return inbox_filters_clean(request.session.get(SESSION_KEY) or {})


def inbox_filters_forget(request) -> None:
    request.session.pop(SESSION_KEY, None)


def _tagged_with_any_translation(relation, model, term_id: str):
    """Items tagged with the term in any of its languages (one subquery)."""
    through = relation.through
    column = f"{model._meta.model_name}__translation_key__in"
    keys = model.objects.filter(pk=term_id).values("translation_key")
    return Exists(through.objects.filter(newsitem_id=OuterRef("pk"), **{column: keys}))


def news_items_filter(
    *, filters: Mapping[str, str], queryset: QuerySet | None = None
) -> QuerySet:
    """The inbox items matching these filters (duplicates folded in)."""
    items = queryset if queryset is not None else NewsItem.objects.inbox()
    if filters.get("status"):
        items = items.filter(status=filters["status"])
    return _filter_except_status(items, filters)


def _filter_except_status(items: QuerySet, filters: Mapping[str, str]) -> QuerySet:
    if query := filters.get("q"):
        items = items.filter(
            Q(title__icontains=query)
            | Q(author__icontains=query)
            | Q(source__title__icontains=query)
        )
    if filters.get("source"):
        items = items.filter(source_id=filters["source"])
    if filters.get("programme"):
        items = items.filter(
            _tagged_with_any_translation(
                NewsItem.programmes, Programme, filters["programme"]
            )
        )
    if filters.get("country"):
        items = items.filter(
            _tagged_with_any_translation(
                NewsItem.countries, Country, filters["country"]
            )
        )
    if filters.get("date"):
        since = timezone.now() - timedelta(days=int(filters["date"]))
        items = items.filter(published_at__gte=since)
    return items


def news_items_status_counts(*, filters: Mapping[str, str]) -> dict[str, int]:
    """How many items each status link would show, the other filters applied."""
    items = _filter_except_status(NewsItem.objects.inbox(), filters)
    counts = dict.fromkeys(NewsStatus.values, 0)
    for row in items.order_by().values("status").annotate(count=Count("pk")):
        counts[row["status"]] = row["count"]
    return counts
