from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import LocaleColumn, UpdatedAtColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from publications.models import Country, Organisation, Person, Programme
from publications.partner_admin import PARTNER_ADMIN_PERMISSION, PartnerAddView
from publications.partner_home import main_menu_for_partner, summary_items_for_partner
from publications.permissions import partner_visible_pages
from publications.term_choosers import TermChooserViewSet

# Wagtail adds a locale filter to every translatable snippet listing by itself
# (once more than one locale exists), so "locale" is not named in list_filter.
# Listing search uses each model's own index (its search_fields): naming fields
# on the viewset would be passed to the search backend as column names, which
# the SQLite full-text index of the database backend does not have.


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    chooser_viewset_class = TermChooserViewSet
    icon = "folder-open-inverse"
    list_display = [
        "name",
        "slug",
        "landing_page",
        "sort_order",
        LocaleColumn(),
        UpdatedAtColumn(),
    ]
    ordering = ["sort_order", "name"]

    def get_queryset(self, request):
        return Programme.objects.select_related("landing_page")


class CountryViewSet(SnippetViewSet):
    model = Country
    chooser_viewset_class = TermChooserViewSet
    icon = "globe"
    list_display = ["name", "iso_code", "region", LocaleColumn(), UpdatedAtColumn()]
    list_filter = ["region"]
    ordering = "name"


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    chooser_viewset_class = TermChooserViewSet
    icon = "group"
    list_display = [
        "name",
        "acronym",
        "kind",
        "country",
        LocaleColumn(),
        UpdatedAtColumn(),
    ]
    list_filter = ["kind"]
    ordering = "name"

    def get_queryset(self, request):
        return Organisation.objects.select_related("country")


class PersonViewSet(SnippetViewSet):
    model = Person
    chooser_viewset_class = TermChooserViewSet
    icon = "user"
    list_display = [
        "name",
        "role",
        "group",
        "organisation",
        LocaleColumn(),
        UpdatedAtColumn(),
    ]
    list_filter = ["group"]
    ordering = ["sort_order", "name"]

    def get_queryset(self, request):
        return Person.objects.select_related("organisation")


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomy")
    menu_icon = "tag"
    menu_order = 300
    items = (ProgrammeViewSet, CountryViewSet, OrganisationViewSet, PersonViewSet)


register_snippet(TaxonomyViewSetGroup)


# Voices partners ---------------------------------------------------------------


@hooks.register("register_admin_urls")
def partner_admin_urls():
    return [
        path(
            "voices-partners/",
            PartnerAddView.as_view(),
            name="publications_partner_add",
        )
    ]


class PartnerMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PARTNER_ADMIN_PERMISSION)


@hooks.register("register_settings_menu_item")
def partner_menu_item():
    return PartnerMenuItem(
        _("Voices partners"),
        reverse("publications_partner_add"),
        icon_name="group",
        order=650,
    )


# Wagtail's admin API lists every document and image to anyone who can open the
# admin; a partner author must see only the collections they may choose from.
# Registered late (order), so these replace Wagtail's own endpoints.
@hooks.register("construct_admin_api", order=100)
def admin_api_collection_scoped(router):
    from publications.admin_api import (
        CollectionScopedDocumentsAPIViewSet,
        CollectionScopedImagesAPIViewSet,
    )

    router.register_endpoint("documents", CollectionScopedDocumentsAPIViewSet)
    router.register_endpoint("images", CollectionScopedImagesAPIViewSet)


@hooks.register("construct_page_chooser_queryset")
def page_chooser_hides_others_drafts(pages, request):
    """Partner authors may link to live pages and their own drafts, nothing else."""
    return partner_visible_pages(pages, request.user)


@hooks.register("before_move_page")
def move_needs_permission(request, page, destination):
    """Wagtail checks the move itself, but shows its confirmation page (with the
    page's title) to anyone; ask for the permission before that too."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        return permission_denied(request)
    return None


# A partner author's start: their series, and the studies they may see ----------


@hooks.register("construct_main_menu")
def partner_pages_menu(request, menu_items):
    main_menu_for_partner(request, menu_items)


@hooks.register("construct_homepage_summary_items", order=100)
def partner_summary_items(request, summary_items):
    summary_items_for_partner(request, summary_items)


# Download counts ----------------------------------------------------------------


@hooks.register("register_admin_urls")
def download_report_urls():
    from publications.download_admin import (
        DownloadsReportView,
        PublicationDownloadsView,
    )

    return [
        path(
            "reports/downloads/",
            DownloadsReportView.as_view(),
            name="publications_downloads",
        ),
        path(
            "reports/downloads/results/",
            DownloadsReportView.as_view(results_only=True),
            name="publications_downloads_results",
        ),
        path(
            "reports/downloads/<int:page_id>/",
            PublicationDownloadsView.as_view(),
            name="publications_downloads_publication",
        ),
    ]


class DownloadsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("publications.view_downloadcount")


@hooks.register("register_reports_menu_item")
def downloads_menu_item():
    return DownloadsMenuItem(
        _("Downloads"),
        reverse("publications_downloads"),
        icon_name="download",
        order=900,
    )
