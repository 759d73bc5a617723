"""Staff views for sending digests and following dispatches."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.models import Page

import django_filters

from briefings.choices import DeliveryStatus, SubscriberStatus
from briefings.email.dispatch import (
    DispatchRefused,
    digest_send_test,
    dispatch_create,
    dispatch_for,
    dispatch_progress,
    dispatch_retry_failed,
    recipients_by_language,
)
from briefings.email.send import RecipientRefused
from briefings.models import (
    Delivery,
    DigestPage,
    Dispatch,
    MailingList,
    Subscriber,
    Subscription,
)
from briefings.subscriptions.csv_import import (
    MAX_IMPORT_BYTES,
    ImportRefused,
    subscribers_import,
)
from briefings.tasks import dispatch_send_task

SEND_PERMISSION = "briefings.send_digest"


class SubscriberImportForm(forms.Form):
    file = forms.FileField(
        label=_lazy("CSV file"),
        help_text=_lazy(
            "Columns: email, lists (slugs separated by ;), consent (yes/no); "
            "optional: name, language (en/fr/sw), consent_text. Rows without "
            "consent are recorded but get no email; people who left are kept out."
        ),
    )


FAILURES_SHOWN = 200


def _require_sender(request) -> None:
    if not request.user.has_perm(SEND_PERMISSION):
        raise PermissionDenied


def is_digest(page) -> bool:
    return isinstance(page.specific_deferred, DigestPage)


def _digest_or_404(page_id: int):
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, DigestPage):
        raise Http404("Not a digest issue.")
    return page


def _lists_for(page):
    return [
        mailing_list
        for mailing_list in MailingList.objects.all()
        if mailing_list.carries(page)
    ]


@require_http_methods(["GET", "POST"])
def digest_send_view(request, page_id: int):
    """Choose a list, see who gets the issue in which language, and send."""
    _require_sender(request)
    page = _digest_or_404(page_id)
    choices = []
    for mailing_list in _lists_for(page):
        counts = recipients_by_language(page=page, mailing_list=mailing_list)
        choices.append(
            {
                "list": mailing_list,
                "counts": counts,
                "total": sum(counts.values()),
                "dispatch": dispatch_for(page=page, mailing_list=mailing_list),
            }
        )
    error = ""
    if request.method == "POST":
        mailing_list = next(
            (
                choice["list"]
                for choice in choices
                if str(choice["list"].pk) == request.POST.get("mailing_list")
            ),
            None,
        )
        if mailing_list is None:
            error = _("Choose a list.")
        else:
            try:
                dispatch = dispatch_create(
                    page=page, mailing_list=mailing_list, user=request.user
                )
            except DispatchRefused as refused:
                error = str(refused)
            else:
                dispatch_send_task.enqueue(dispatch.pk)
                messages.success(
                    request,
                    _("Sending “%(title)s” to %(list)s.")
                    % {"title": page.title, "list": mailing_list},
                )
                return redirect("briefings_dispatch_progress", dispatch.pk)
    return TemplateResponse(
        request,
        "briefings/admin/mailing/send.html",
        {"page": page, "choices": choices, "error": error},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def digest_send_test_view(request, page_id: int):
    """Send the issue to the staff member's own address (GET asks first)."""
    _require_sender(request)
    page = _digest_or_404(page_id)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    if request.method != "POST":
        return TemplateResponse(
            request, "briefings/admin/mailing/send_test.html", {"page": page}
        )
    if not page.live:
        messages.error(request, _("Only a published issue can be sent."))
        return redirect(edit_url)
    if not request.user.email:
        messages.error(request, _("Your account has no email address to send to."))
        return redirect(edit_url)
    lists = _lists_for(page)
    try:
        digest_send_test(
            page=page,
            mailing_list=lists[0] if lists else None,
            to_email=request.user.email,
        )
    except RecipientRefused as error:
        messages.error(request, _("The test could not be sent: %s") % error)
    else:
        messages.success(
            request, _("A test was sent to %(email)s.") % {"email": request.user.email}
        )
    return redirect(edit_url)


def dispatch_index_view(request):
    """Every dispatch, newest first, with its progress."""
    _require_sender(request)
    dispatches = list(
        Dispatch.objects.select_related("page", "mailing_list", "created_by")[:100]
    )
    return TemplateResponse(
        request,
        "briefings/admin/mailing/dispatch_index.html",
        {"dispatches": dispatches},
    )


@require_http_methods(["GET", "POST"])
def dispatch_progress_view(request, dispatch_id: int):
    """Sent/total, failures with their reasons, and a retry button."""
    _require_sender(request)
    dispatch = get_object_or_404(
        Dispatch.objects.select_related("page", "mailing_list", "created_by"),
        pk=dispatch_id,
    )
    if request.method == "POST":
        count = dispatch_retry_failed(dispatch=dispatch)
        if count:
            dispatch_send_task.enqueue(dispatch.pk)
        messages.success(
            request, _("%(count)d failed messages queued again.") % {"count": count}
        )
        return redirect("briefings_dispatch_progress", dispatch.pk)
    progress = dispatch_progress(dispatch=dispatch)
    failures = list(
        Delivery.objects.filter(dispatch=dispatch, status=DeliveryStatus.FAILED)
        .select_related("subscriber")
        .order_by("pk")[:FAILURES_SHOWN]
    )
    return TemplateResponse(
        request,
        "briefings/admin/mailing/dispatch_progress.html",
        {
            "dispatch": dispatch,
            "progress": progress,
            "failures": failures,
            "percent": (
                round(100 * progress["sent"] / progress["total"])
                if progress["total"]
                else 100
            ),
        },
    )


# --- Subscribers: listing, search, filters, CSV export and import -------------


class SubscriberFilterSet(WagtailFilterSet):
    mailing_list = django_filters.ModelChoiceFilter(
        label=_lazy("List"),
        field_name="subscriptions__mailing_list",
        queryset=MailingList.objects.all(),
        method="filter_list",
    )

    class Meta:
        model = Subscriber
        fields = ["status", "language"]

    def filter_list(self, queryset, name, value):
        return queryset.filter(
            subscriptions__mailing_list=value, subscriptions__active=True
        ).distinct()


class SubscriberIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .prefetch_related(
                Prefetch(
                    "subscriptions",
                    queryset=Subscription.objects.filter(active=True).select_related(
                        "mailing_list"
                    ),
                    to_attr="active_subscriptions",
                )
            )
        )

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if self.request.user.has_perm("briefings.add_subscriber"):
            buttons.append(
                Button(
                    _lazy("Import from CSV"),
                    url=reverse("briefings_subscribers_import"),
                    icon_name="upload",
                )
            )
        return buttons


class SubscriberAdminForm(forms.ModelForm):
    """Staff may record a bounce, a complaint or a departure, never a consent."""

    class Meta:
        model = Subscriber
        fields = ["email", "name", "language", "status"]

    def clean_status(self):
        status = self.cleaned_data["status"]
        before = self.instance.status if self.instance.pk else SubscriberStatus.PENDING
        if (
            status == SubscriberStatus.CONFIRMED
            and before != SubscriberStatus.CONFIRMED
        ):
            raise forms.ValidationError(
                _lazy(
                    "Only the person can confirm, with the link in the confirmation "
                    "email, or a CSV import that records their consent."
                )
            )
        return status

    def save(self, commit=True):
        if "status" in self.changed_data:
            self.instance.status_changed_at = timezone.now()
        return super().save(commit=commit)


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "user"
    menu_label = _lazy("Subscribers")
    index_view_class = SubscriberIndexView
    list_display = ["email", "name", "language", "status", "list_names", "created_at"]
    list_export = [
        "email",
        "name",
        "language",
        "status",
        "list_slugs",
        "created_at",
        "confirmed_at",
    ]
    export_filename = "subscribers"
    filterset_class = SubscriberFilterSet
    search_fields = ["email", "name"]
    search_backend_name = None
    form_fields = ["email", "name", "language", "status"]

    def get_form_class(self, for_update=False):
        return SubscriberAdminForm

    inspect_view_enabled = True
    inspect_view_fields = [
        "email",
        "name",
        "language",
        "status",
        "created_at",
        "confirmed_at",
        "status_changed_at",
        "list_names",
        "consent_history",
    ]


class DispatchMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(SEND_PERMISSION)


class NewsletterMenuGroup(ViewSetGroup):
    menu_label = _lazy("Newsletter")
    menu_icon = "mail"
    menu_order = 250
    items = [SubscriberViewSet]

    def get_submenu_items(self):
        return [
            *super().get_submenu_items(),
            DispatchMenuItem(
                _lazy("Dispatches"),
                reverse("briefings_dispatch_index"),
                icon_name="mail",
                order=900,
            ),
        ]


@require_http_methods(["GET", "POST"])
def subscribers_import_view(request):
    """Upload a CSV; people are confirmed only when the file records consent."""
    if not request.user.has_perm("briefings.add_subscriber"):
        raise PermissionDenied
    form = SubscriberImportForm(request.POST or None, request.FILES or None)
    report = None
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = subscribers_import(
                data=upload.read(MAX_IMPORT_BYTES + 1),
                source=f"CSV import “{upload.name}” by {request.user.get_username()}",
            )
        except ImportRefused as refused:
            errors = refused.errors
        else:
            messages.success(
                request,
                _("%(confirmed)d confirmed, %(pending)d without consent (not mailed).")
                % {"confirmed": report.confirmed, "pending": report.pending},
            )
    return TemplateResponse(
        request,
        "briefings/admin/mailing/subscribers_import.html",
        {"form": form, "report": report, "errors": errors},
        status=400 if errors else 200,
    )
