"""The news inbox and news sources in the Wagtail admin (wagtail-modeladmin)."""

import html

from django.conf import settings
from django.contrib import messages
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import IndexView, InspectView

from briefings import admin_mailing, admin_views
from briefings.chooser import news_item_chooser_viewset
from briefings.forms import NewsBulkActionForm, draft_digests
from briefings.ingest.clean import ANY_TAG
from briefings.models import MailingList, NewsItem, NewsSource
from publications.models import Country, Programme

DEFAULT_LANGUAGE = settings.LANGUAGE_CODE
# Offered when adding items to a digest; any other heading makes a new section.
SECTION_SUGGESTIONS = (
    "Natural resources",
    "Conflict and security",
    "Business and human rights",
    "Arms trade",
    "Our publications",
    "Africa",
    "Middle East",
    "Europe",
    "Americas",
    "Asia",
    "Global",
)


def admin_attribute(label, *, order: str | None = None):
    """Label (and sort field) of a listing column computed by a method."""

    def decorate(method):
        method.short_description = label
        if order:
            method.admin_order_field = order
        return method

    return decorate


def _names(objects) -> str:
    return ", ".join(str(obj) for obj in objects)


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
        if self.request.user.has_perm("briefings.change_newsitem"):
            context["bulk"] = {
                "actions": NewsBulkActionForm.ACTIONS,
                "programmes": Programme.objects.filter(
                    locale__language_code=DEFAULT_LANGUAGE
                ).order_by("sort_order", "name"),
                "countries": Country.objects.filter(
                    locale__language_code=DEFAULT_LANGUAGE
                ).order_by("name"),
                "digests": draft_digests(),
                "sections": SECTION_SUGGESTIONS,
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
    list_filter = ("status", "source", "programmes", "countries", "published_at")
    search_fields = ("title", "author", "source__title")
    list_per_page = 50
    inspect_view_enabled = True
    history_view_enabled = False
    button_helper_class = NewsItemButtonHelper
    index_view_class = NewsItemIndexView
    inspect_view_class = NewsItemInspectView
    index_template_name = "briefings/admin/newsitem_index.html"
    inspect_template_name = "briefings/admin/newsitem_inspect.html"

    def get_queryset(self, request):
        return NewsItem.objects.inbox().for_listing()

    def register_indexing(self):
        # Wagtail's reference index would be rebuilt on every item saved by
        # ingestion (half its time); news items are not content to track.
        pass

    def get_list_display(self, request):
        if request.user.has_perm("briefings.change_newsitem"):
            return self.list_display
        return tuple(name for name in self.list_display if name != "select_box")

    @admin_attribute(_("select"))
    def select_box(self, obj):
        return format_html(
            '<input type="checkbox" name="item" value="{}" form="news-bulk" '
            'aria-label="{}">',
            obj.pk,
            _("Select “%(title)s”") % {"title": obj.title},
        )

    @admin_attribute(_("title"), order="title")
    def title_and_excerpt(self, obj):
        excerpt = html.unescape(ANY_TAG.sub(" ", obj.summary_html))
        return format_html(
            "<strong>{}</strong><br><small>{}</small>",
            obj.title,
            Truncator(" ".join(excerpt.split())).chars(160),
        )

    @admin_attribute(_("source"))
    def sources(self, obj):
        return _names(obj.all_sources())

    @admin_attribute(_("programmes"))
    def programme_names(self, obj):
        return _names(obj.programmes.all())

    @admin_attribute(_("countries"))
    def country_names(self, obj):
        return _names(obj.countries.all())

    @admin_attribute(_("used in"))
    def used_in_issue(self, obj):
        if obj.used_in_id is None:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("wagtailadmin_pages:edit", args=[obj.used_in_id]),
            obj.used_in.title,
        )

    @admin_attribute(_("original"))
    def original(self, obj):
        return obj.original_link()


class NewsSourceButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, **kwargs):
        buttons = super().get_buttons_for_obj(obj, exclude=exclude, **kwargs)
        if self.permission_helper.user_can_edit_obj(self.request.user, obj):
            buttons.append(
                {
                    "url": reverse("briefings_source_rules", args=[obj.pk]),
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
    index_template_name = "briefings/admin/newssource_index.html"

    def get_list_display(self, request):
        if request.user.has_perm("briefings.change_newssource"):
            return self.list_display
        return tuple(name for name in self.list_display if name != "fetch_now")

    @admin_attribute(_("health"))
    def health(self, obj):
        return obj.health_label()

    @admin_attribute(_("last error"))
    def error_in_words(self, obj):
        if not obj.last_error:
            return ""
        return format_html(
            '<span title="{}">{}</span>',
            obj.last_error,
            Truncator(obj.last_error).chars(120),
        )

    @admin_attribute(_("fetch"))
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


@hooks.register("before_edit_page")
def warn_about_digest_references(request, page):
    """Tell the editor when an issue cites a deleted item or unpublished report."""
    from briefings.outline import digest_reference_problems

    if request.method != "GET" or not hasattr(page.specific_class, "sections"):
        return None
    for problem in digest_reference_problems(page.get_latest_revision_as_object()):
        messages.warning(request, problem)
    return None


@hooks.register("register_admin_urls")
def register_news_admin_urls():
    return [
        path(
            "briefings/news/bulk/",
            admin_views.news_bulk_action,
            name="briefings_news_bulk",
        ),
        path(
            "briefings/sources/fetch-now/",
            admin_views.source_fetch_now_view,
            name="briefings_source_fetch_now",
        ),
        path(
            "briefings/sources/<int:source_id>/rules/",
            admin_views.source_rules_view,
            name="briefings_source_rules",
        ),
        path(
            "briefings/sources/import-opml/",
            admin_views.opml_import_view,
            name="briefings_opml_import",
        ),
        path(
            "briefings/sources/export-opml/",
            admin_views.opml_export_view,
            name="briefings_opml_export",
        ),
    ]


# --- Newsletter: mailing lists, subscribers, sending digests -----------------


class MailingListViewSet(SnippetViewSet):
    model = MailingList
    icon = "mail"
    list_display = ["name", "slug", "digest_type", "from_email", "is_public"]
    search_fields = ["name", "slug"]
    search_backend_name = None


register_snippet(MailingListViewSet)


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets():
    return admin_mailing.NewsletterMenuGroup()


@hooks.register("register_admin_urls")
def register_newsletter_admin_urls():
    return [
        path(
            "briefings/send/<int:page_id>/",
            admin_mailing.digest_send_view,
            name="briefings_digest_send",
        ),
        path(
            "briefings/send/<int:page_id>/test/",
            admin_mailing.digest_send_test_view,
            name="briefings_digest_send_test",
        ),
        path(
            "briefings/dispatches/",
            admin_mailing.dispatch_index_view,
            name="briefings_dispatch_index",
        ),
        path(
            "briefings/dispatches/<int:dispatch_id>/",
            admin_mailing.dispatch_progress_view,
            name="briefings_dispatch_progress",
        ),
        path(
            "briefings/subscribers/import/",
            admin_mailing.subscribers_import_view,
            name="briefings_subscribers_import",
        ),
    ]


@hooks.register("register_page_header_buttons")
def digest_send_buttons(page, user, view_name, next_url=None):
    """Send test / Send to list on a published digest, for staff who may send."""
    if not page.live or not user.has_perm(admin_mailing.SEND_PERMISSION):
        return
    if not admin_mailing.is_digest(page):
        return
    yield Button(
        _("Send to list"),
        reverse("briefings_digest_send", args=[page.pk]),
        icon_name="mail",
        priority=75,
    )
    yield Button(
        _("Send test to me"),
        reverse("briefings_digest_send_test", args=[page.pk]),
        icon_name="mail",
        priority=76,
        attrs={"data-send-test": "true"},
    )
