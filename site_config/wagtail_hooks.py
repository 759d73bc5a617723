from django.contrib.auth.models import Permission
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.models import Page

from publications.licences import DEFAULT_LICENCE_HOOK
from site_config.dashboard import dashboard_panels
from site_config.login_throttle import UNLOCK_PERMISSION, LockedSignInsView
from site_config.translations.services import (
    OUT_OF_DATE,
    translation_state,
)
from site_config.translations.services import (
    PERMISSION as REVIEW_TRANSLATIONS,
)
from site_config.translations.views import MarkUpToDateView, TranslationsReportView


@hooks.register("register_admin_urls")
def login_throttle_admin_urls():
    return [
        path(
            "locked-sign-ins/",
            LockedSignInsView.as_view(),
            name="site_config_locked_sign_ins",
        )
    ]


class LockedSignInsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(UNLOCK_PERMISSION)


@hooks.register("register_settings_menu_item")
def locked_sign_ins_menu_item():
    return LockedSignInsMenuItem(
        _("Locked sign-ins"),
        reverse("site_config_locked_sign_ins"),
        icon_name="lock",
        order=660,
    )


@hooks.register("register_permissions")
def unlock_permission():
    """Offer "unlock sign-ins" in Wagtail's group editor."""
    app_label, codename = UNLOCK_PERMISSION.split(".")
    return Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    )


# Translations that stay in step (site_config/translations).
@hooks.register("register_admin_urls")
def translations_admin_urls():
    urls = [
        path("", TranslationsReportView.as_view(), name="report"),
        path(
            "results/",
            TranslationsReportView.as_view(results_only=True),
            name="report_results",
        ),
        path(
            "<int:page_id>/mark-up-to-date/",
            MarkUpToDateView.as_view(),
            name="mark_up_to_date",
        ),
    ]
    return [path("translations/", include((urls, "site_config_translations")))]


class TranslationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REVIEW_TRANSLATIONS)


@hooks.register("register_reports_menu_item")
def translations_report_menu_item():
    return TranslationsMenuItem(
        _("Translations"),
        reverse("site_config_translations:report"),
        name="translations",
        icon_name="globe",
        order=1150,
    )


@hooks.register("register_permissions")
def review_translations_permission():
    """Offer "review translations" in Wagtail's group editor."""
    app_label, codename = REVIEW_TRANSLATIONS.split(".")
    return Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    )


@hooks.register("before_edit_page")
def translation_out_of_date_notice(request, page):
    """Warn on a translation's edit screen that its source was published since."""
    if request.method != "GET" or not request.user.has_perm(REVIEW_TRANSLATIONS):
        return
    state = translation_state(translation=page)
    if state.state != OUT_OF_DATE:
        return
    source = Page.objects.select_related("locale").get(pk=state.source_id)
    message = _(
        "The %(language)s source has changed since this translation was made or "
        "last checked: it was published again on %(date)s."
    ) % {
        "language": source.locale.get_display_name(),
        "date": date_format(timezone.localtime(state.since), "DATE_FORMAT")
        if state.since
        else "?",
    }
    mark_url = reverse("site_config_translations:mark_up_to_date", args=[page.pk])
    buttons = [
        messages.button(state.compare_url, _("See what changed")),
        messages.button(
            f"{mark_url}?{urlencode({'next': request.get_full_path()})}",
            _("Mark up to date"),
        ),
    ]
    messages.warning(request, message, buttons=buttons, extra_tags="translation")


@hooks.register("insert_global_admin_css")
def dashboard_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("site_config/dashboard.css")
    )


@hooks.register("construct_homepage_panels")
def dashboard_panels_add(request, panels):
    """The day's work first: inbox, feeds, drafts, dispatches, Voices reviews."""
    panels.extend(dashboard_panels(request.user))


@hooks.register(DEFAULT_LICENCE_HOOK)
def publication_default_licence(site) -> str:
    """A new publication starts with the licence chosen in the site settings."""
    from site_config.models import SiteSettings

    if site is None:
        return ""
    return SiteSettings.for_site(site).default_licence
