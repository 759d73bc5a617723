"""The news inbox and news sources in the Wagtail admin (wagtail-modeladmin)."""

from django.contrib.admin import display
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import InspectView

from briefings.news import admin_views
from briefings.news.chooser import news_item_chooser_viewset
from briefings.news.inbox_view import NewsInboxView
from briefings.news.models import NewsItem, NewsSource
from theme.admin_urls import legacy_redirects


class NewsItemButtonHelper(ButtonHelper):
    """Items are dismissed, not deleted: a deleted item would come back."""

    def get_buttons_for_obj(self, obj, exclude=None, **kwargs):
        return super().get_buttons_for_obj(
            obj, exclude=[*(exclude or []), "delete"], **kwargs
        )


class NewsItemInspectView(InspectView):
    """One item: its details, the cleaned summary in a sandbox, the original."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.instance
        # A whole document for the sandboxed frame; the template escapes it
        # into the srcdoc attribute, so nothing here is marked safe.
        context["preview_document"] = (
            '<!doctype html><html><head><meta charset="utf-8">'
            '<base target="_blank"><style>body{font:16px/1.5 sans-serif;'
            "margin:1rem}</style></head><body>"
            f"{item.summary_html}</body></html>"
        )
        context["sources"] = item.all_sources()
        return context


class NewsItemAdmin(ModelAdmin):
    model = NewsItem
    menu_label = _("Inbox")
    menu_icon = "list-ul"
    list_per_page = 50
    inspect_view_enabled = True
    history_view_enabled = False
    button_helper_class = NewsItemButtonHelper
    # The inbox is a listing of its own (compact rows, filters kept in the
    # session, bulk actions on a page or on every match): inbox_view.py.
    index_view_class = NewsInboxView
    inspect_view_class = NewsItemInspectView
    inspect_template_name = "news/admin/newsitem_inspect.html"

    def get_queryset(self, request):
        return NewsItem.objects.inbox().for_listing()

    def register_indexing(self):
        # Wagtail's reference index would be rebuilt on every item saved by
        # ingestion (half its time); news items are not content to track.
        pass


class NewsSourceInspectView(InspectView):
    """A source's details, its labels in sentence case like the edit form's."""

    def get_field_label(self, field_name, field=None):
        return capfirst(super().get_field_label(field_name, field))


class NewsSourceButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, **kwargs):
        buttons = super().get_buttons_for_obj(obj, exclude=exclude, **kwargs)
        if self.permission_helper.user_can_edit_obj(self.request.user, obj):
            buttons.append(
                {
                    "url": reverse("news_source_rules", args=[obj.pk]),
                    "label": _("Test rules"),
                    "classname": "button button-small button-secondary",
                    "title": _("Try keyword rules on recent items"),
                }
            )
        return buttons


class NewsSourceAdmin(ModelAdmin):
    model = NewsSource
    menu_label = _("Sources")
    menu_icon = "link"
    list_display = (
        "title",
        "category",
        "state",
        "last_success_at",
        "error_in_words",
        "fetch_now",
    )
    # No filter sidebar: beside six columns it squeezed the titles letter by
    # letter; the state column says what the filters did, and search remains.
    search_fields = ("title", "feed_url", "category")
    list_per_page = 100
    inspect_view_enabled = True
    history_view_enabled = False
    button_helper_class = NewsSourceButtonHelper
    inspect_view_fields_exclude = ["last_body_hash", "ingest_started_at"]
    index_template_name = "news/admin/newssource_index.html"
    inspect_view_class = NewsSourceInspectView

    def get_list_display(self, request):
        if request.user.has_perm("news.change_newssource"):
            return self.list_display
        return tuple(name for name in self.list_display if name != "fetch_now")

    @display(description=_("state"))
    def state(self, obj):
        state = obj.state()
        return format_html(
            '<span class="news-state news-state--{}">{}</span>', state.kind, state
        )

    @display(description=_("last error"))
    def error_in_words(self, obj):
        # An error stays on record after a success; it is only news while failing.
        if not obj.last_error or not obj.failure_count:
            return ""
        return format_html(
            '<span class="news-error" title="{}">{}</span>',
            obj.last_error,
            Truncator(obj.last_error).chars(160),
        )

    @display(description=_("fetch"))
    def fetch_now(self, obj):
        return format_html(
            '<button type="submit" form="news-fetch-now" name="source" value="{}" '
            'class="button button-small button-secondary">{}</button>',
            obj.pk,
            _("Fetch now"),
        )


class NewsAdminGroup(ModelAdminGroup):
    menu_label = _("News")
    menu_icon = "openquote"
    menu_order = 250
    items = (NewsItemAdmin, NewsSourceAdmin)


modeladmin_register(NewsAdminGroup)


@hooks.register("register_admin_viewset")
def register_news_item_chooser():
    return news_item_chooser_viewset


@hooks.register("register_admin_urls")
def register_news_admin_urls():
    return [
        path("news/bulk/", admin_views.news_bulk_action, name="news_bulk"),
        path(
            "news/sources/fetch-now/",
            admin_views.source_fetch_now_view,
            name="news_source_fetch_now",
        ),
        path(
            "news/sources/<int:source_id>/rules/",
            admin_views.source_rules_view,
            name="news_source_rules",
        ),
        path(
            "news/sources/import-opml/",
            admin_views.opml_import_view,
            name="news_opml_import",
        ),
        path(
            "news/sources/export-opml/",
            admin_views.opml_export_view,
            name="news_opml_export",
        ),
        # Where these screens were before the news app had a label of its own.
        *legacy_redirects(
            {
                "briefings/newsitem/": "news/newsitem/",
                "briefings/newssource/": "news/newssource/",
                "briefings/news/bulk/": "news/bulk/",
                "briefings/sources/": "news/sources/",
            }
        ),
    ]
