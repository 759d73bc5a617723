"""The inbox listing in the admin: compact rows, one filter row, bulk actions.

Replaces modeladmin's generic index for news items (`NewsItemAdmin`); the
edit and inspect views stay modeladmin's. Which items are listed is decided by
`inbox_listing.news_items_filter`, the function the bulk action uses too.
"""

from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from wagtail_modeladmin.views import WMABaseView

from briefings.news.choices import NewsStatus
from briefings.news.forms import NewsBulkActionForm
from briefings.news.inbox import inbox_actions
from briefings.news.inbox_listing import (
    DATE_CHOICES,
    inbox_filters_for_request,
    inbox_filters_forget,
    news_items_filter,
    news_items_status_counts,
)
from briefings.news.ingest.clean import text_from_html
from briefings.news.models import NewsSource
from publications.models import Country, Programme

# The start of a summary holds the excerpt: reading no more keeps the listing
# fast (the text is taken with the full HTML parser).
EXCERPT_SOURCE_CHARS = 1200
EXCERPT_CHARS = 400
PER_PAGE = 50


def filter_query(filters: dict, **changes) -> str:
    """The query string of these filters (empty ones left out), with changes."""
    merged = {**filters, **changes}
    return urlencode({key: value for key, value in merged.items() if value})


class NewsInboxView(WMABaseView):
    """The editors' inbox: what arrived, filtered, ready for bulk actions."""

    template_name = "news/admin/inbox.html"
    page_title = _("News inbox")

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_list(user)

    def get(self, request, *args, **kwargs):
        if "clear" in request.GET:
            inbox_filters_forget(request)
            return redirect(self.index_url)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        request = self.request
        filters = inbox_filters_for_request(request)
        items = news_items_filter(
            filters=filters, queryset=self.get_base_queryset(request)
        ).order_by("-published_at", "-pk")
        paginator = Paginator(items, PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("p"))
        counts = news_items_status_counts(filters=filters)
        status_links = [
            {
                "label": _("All"),
                "count": sum(counts.values()),
                "query": filter_query(filters, status=""),
                "current": not filters["status"],
            },
            *(
                {
                    "label": label,
                    "count": counts[value],
                    "query": filter_query(filters, status=value),
                    "current": filters["status"] == value,
                }
                for value, label in NewsStatus.choices
            ),
        ]
        context = super().get_context_data(
            filters=filters,
            filters_query=filter_query(filters),
            has_filters=any(filters.values()),
            status_links=status_links,
            status_choices=NewsStatus.choices,
            date_choices=DATE_CHOICES,
            sources=NewsSource.objects.order_by("title").only("pk", "title"),
            programmes=Programme.objects.one_per_translation().order_by(
                "sort_order", "name"
            ),
            countries=Country.objects.one_per_translation().order_by("name"),
            page_obj=page_obj,
            paginator=paginator,
            rows=[self.row(item) for item in page_obj.object_list],
            **kwargs,
        )
        if request.user.has_perm("news.change_newsitem"):
            other_actions = inbox_actions()
            action_fields = [
                (action.name, action.fields_template, action.fields_context(request))
                for action in other_actions
            ]
            context["bulk"] = {
                "actions": NewsBulkActionForm.action_choices(other_actions),
                "programmes": context["programmes"],
                "countries": context["countries"],
                "action_fields": action_fields,
            }
        return context

    @staticmethod
    def row(item) -> dict:
        excerpt = text_from_html(item.summary_html[:EXCERPT_SOURCE_CHARS])
        return {
            "item": item,
            "sources": item.all_sources(),
            "excerpt": Truncator(excerpt).chars(EXCERPT_CHARS),
            "programmes": list(item.programmes.all()),
            "countries": list(item.countries.all()),
        }
