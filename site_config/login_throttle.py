"""Login throttling (django-axes): what a locked-out person sees, and the
screen where staff lift a lock.

The policy itself (five failures per username and address, an hour) is in
settings, "Security". Locks live in axes' database table `AccessAttempt`, one
row per username, address and browser; a lock is the sum over browsers.
"""

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max, Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.auth import permission_denied

from axes.models import AccessAttempt

from theme.admin_screen import AdminScreenMixin
from theme.client_address import UNKNOWN, client_address

logger = logging.getLogger(__name__)

# Who may lift a lock: superusers, and any group given axes' "Can delete access
# attempt" in Wagtail's group editor (site_config/wagtail_hooks.py offers it).
UNLOCK_PERMISSION = "axes.delete_accessattempt"

LOCKED_MESSAGE = _(
    "Too many failed sign-in attempts for this account from your network. "
    "Signing in is blocked for an hour after the last attempt. If you need "
    "access sooner, ask the site's administrators to unlock your account."
)


def sign_in_address(request) -> str | None:
    """The client's address for axes (AXES_CLIENT_IP_CALLABLE), None if unknown.

    Axes stores it in an address column, which refuses the "unknown" that
    `client_address` answers when there is none (a Unix socket, say).
    """
    address = client_address(request)
    return None if address == UNKNOWN else address


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, saying why signing in is refused (AXES_LOCKOUT_CALLABLE).

    Every sign-in form of the site (Wagtail's, Django's admin, Wagtail's login
    for private pages) is a Django LoginView: its response still holds the
    form, which is shown again with the lock as its only error.
    """
    status = settings.AXES_HTTP_RESPONSE_CODE
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if isinstance(original_response, TemplateResponse) and isinstance(form, forms.Form):
        form.errors.clear()
        form.add_error(None, ValidationError(LOCKED_MESSAGE, code="locked_out"))
        template = original_response.template_name
    else:
        template = "site_config/locked_out.html"
        context = {"message": LOCKED_MESSAGE}
    # A middleware's response is not rendered by Django: render it here.
    return TemplateResponse(request, template, context, status=status).render()


def locked_sign_ins():
    """Username and address pairs locked now, with their failures, newest first."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=255, required=False)
    ip_address = forms.GenericIPAddressField()


def sign_in_unlock(*, username: str, ip_address: str) -> int:
    """Lift the lock of one username at one address; the number of rows removed."""
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    if username:
        attempts = attempts.filter(username=username)
    else:
        attempts = attempts.filter(username__isnull=True) | attempts.filter(username="")
    removed, _details = attempts.delete()
    return removed


class LockedSignInsView(AdminScreenMixin, TemplateView):
    template_name = "site_config/admin/locked_sign_ins.html"
    page_title = _("Locked sign-ins")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(UNLOCK_PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["locks"] = locked_sign_ins()
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        return context

    def post(self, request, *args, **kwargs):
        form = UnlockForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Nothing to unlock: the form was incomplete."))
            return redirect(reverse("site_config_locked_sign_ins"))
        username = form.cleaned_data["username"]
        ip_address = form.cleaned_data["ip_address"]
        if sign_in_unlock(username=username, ip_address=ip_address):
            logger.info(
                "%s unlocked sign-in for %r from %s",
                request.user.get_username(),
                username,
                ip_address,
            )
            messages.success(
                request,
                _("“%(username)s” may sign in again from %(address)s.")
                % {"username": username, "address": ip_address},
            )
        else:
            messages.info(request, _("That sign-in was no longer locked."))
        return redirect(reverse("site_config_locked_sign_ins"))
