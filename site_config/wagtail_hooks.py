from django.contrib.auth.models import Permission
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from site_config.dashboard import dashboard_panels
from site_config.login_throttle import UNLOCK_PERMISSION, LockedSignInsView


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


@hooks.register("insert_global_admin_css")
def dashboard_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("site_config/dashboard.css")
    )


@hooks.register("construct_homepage_panels")
def dashboard_panels_add(request, panels):
    """The day's work first: inbox, feeds, drafts, dispatches, Voices reviews."""
    panels.extend(dashboard_panels(request.user))
