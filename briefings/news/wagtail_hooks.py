"""The news inbox and news sources in the Wagtail admin (wagtail-modeladmin)."""

from django.conf import settings
from django.contrib.admin import RelatedFieldListFilter, display
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import IndexView, InspectView

from briefings.news import admin_views
from briefings.news.chooser import news_item_chooser_viewset
from briefings.news.forms import NewsBulkActionForm
from briefings.news.inbox import inbox_actions
from briefings.news.ingest.clean import text_from_html
from briefings.news.models import NewsItem, NewsSource
from publications.models import Country, Programme
from theme.admin_urls import legacy_redirects

# The start of a summary holds the 160 characters of the excerpt: reading no
# more keeps the listing fast (the text is taken with the full HTML parser).
EXCERPT_SOURCE_CHARS = 600
DEFAULT_LANGUAGE = settings.LANGUAGE_CODE


def _names(objects) -> str:
    return ", ".join(str(obj) for obj in objects)


class TermListFilter(RelatedFieldListFilter):
    """A programme or country filter listing each term once, in the admin's
    language where translated; choosing it matches items tagged in any language."""

    def field_choices(self, field, request, model_admin):
        terms = field.related_model._default_manager.one_per_translation()
        return [(term.pk, str(term)) for term in terms]

    def queryset(self, request, queryset):
        if not self.lookup_val:
            return super().queryset(request, queryset)
        keys = self.field.related_model._default_manager.filter(
            pk__in=self.lookup_val
        ).values("translation_key")
        return queryset.filter(
            **{f"{self.field_path}__translation_key__in": keys}
        ).distinct()


class NewsItemButtonHelper(ButtonHelper):
    """Items are dismissed, not deleted: a deleted item would come back."""

    def get_buttons_for_obj(self, obj, exclude=None, **kwargs):
        return super().get_buttons_for_obj(
            obj, exclude=[*(exclude or []), "delete"], **kwargs
        )


class NewsItemIndexView(IndexView):
    """The inbox listing, with the bar of bulk actions above it."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm("news.change_newsitem"):
            other_actions = inbox_actions()
            context["bulk"] = {
                "actions": NewsBulkActionForm.action_choices(other_actions),
                "programmes": Programme.objects.filter(
                    locale__language_code=DEFAULT_LANGUAGE
                ).order_by("sort_order", "name"),
                "countries": Country.objects.filter(
                    locale__language_code=DEFAULT_LANGUAGE
                ).order_by("name"),
                "action_fields": [
                    (action.fields_template, action.fields_context(self.request))
                    for action in other_actions
                ],
            }
        return context


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
    list_display = (
        "select_box",
        "title_and_excerpt",
        "sources",
        "published_at",
        "status",
        "programme_names",
        "country_names",
        "used_in_issue",
        "original",
    )
    list_display_add_buttons = "title_and_excerpt"
    list_filter = (
        "status",
        "source",
        ("programmes", TermListFilter),
        ("countries", TermListFilter),
        "published_at",
    )
    search_fields = ("title", "author", "source__title")
    list_per_page = 50
    inspect_view_enabled = True
    history_view_enabled = False
    button_helper_class = NewsItemButtonHelper
    index_view_class = NewsItemIndexView
    inspect_view_class = NewsItemInspectView
    index_template_name = "news/admin/newsitem_index.html"
    inspect_template_name = "news/admin/newsitem_inspect.html"

    def get_queryset(self, request):
        return NewsItem.objects.inbox().for_listing()

    def register_indexing(self):
        # Wagtail's reference index would be rebuilt on every item saved by
        # ingestion (half its time); news items are not content to track.
        pass

    def get_list_display(self, request):
        if request.user.has_perm("news.change_newsitem"):
            return self.list_display
        return tuple(name for name in self.list_display if name != "select_box")

    @display(description=_("select"))
    def select_box(self, obj):
        return format_html(
            '<input type="checkbox" name="item" value="{}" form="news-bulk" '
            'aria-label="{}">',
            obj.pk,
            _("Select “%(title)s”") % {"title": obj.title},
        )

    @display(description=_("title"), ordering="title")
    def title_and_excerpt(self, obj):
        excerpt = text_from_html(obj.summary_html[:EXCERPT_SOURCE_CHARS])
        return format_html(
            "<strong>{}</strong><br><small>{}</small>",
            obj.title,
            Truncator(excerpt).chars(160),
        )

    @display(description=_("source"))
    def sources(self, obj):
        return _names(obj.all_sources())

    @display(description=_("programmes"))
    def programme_names(self, obj):
        return _names(obj.programmes.all())

    @display(description=_("countries"))
    def country_names(self, obj):
        return _names(obj.countries.all())

    @display(description=_("used in"))
    def used_in_issue(self, obj):
        if obj.used_in_id is None:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("wagtailadmin_pages:edit", args=[obj.used_in_id]),
            obj.used_in.title,
        )

    @display(description=_("original"))
    def original(self, obj):
        return obj.original_link()


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
        "is_active",
        "health",
        "last_success_at",
        "failure_count",
        "error_in_words",
        "next_poll_at",
        "fetch_now",
    )
    list_filter = ("is_active", "last_outcome", "category", "language")
    search_fields = ("title", "feed_url", "category")
    list_per_page = 100
    inspect_view_enabled = True
    history_view_enabled = False
    button_helper_class = NewsSourceButtonHelper
    inspect_view_fields_exclude = ["last_body_hash", "ingest_started_at"]
    index_template_name = "news/admin/newssource_index.html"

    def get_list_display(self, request):
        if request.user.has_perm("news.change_newssource"):
            return self.list_display
        return tuple(name for name in self.list_display if name != "fetch_now")

    @display(description=_("health"))
    def health(self, obj):
        return obj.health_label()

    @display(description=_("last error"))
    def error_in_words(self, obj):
        if not obj.last_error:
            return ""
        return format_html(
            '<span title="{}">{}</span>',
            obj.last_error,
            Truncator(obj.last_error).chars(120),
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
