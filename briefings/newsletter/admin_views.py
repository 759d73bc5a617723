"""Staff views: send an issue, follow dispatches, import subscribers."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wagtail.models import Page

from briefings.models import DigestPage
from briefings.newsletter.choices import DeliveryStatus, DispatchStatus, SendWhen
from briefings.newsletter.csv_import import (
    MAX_IMPORT_BYTES,
    ImportRefused,
    subscribers_import,
)
from briefings.newsletter.dispatch import (
    DispatchRefused,
    digest_send_test,
    dispatch_cancel,
    dispatch_create,
    dispatch_for,
    dispatch_is_stalled,
    dispatch_pace,
    dispatch_pause,
    dispatch_progress,
    dispatch_resume,
    dispatch_retry_failed,
    dispatch_uncertain_drop,
    dispatch_uncertain_send,
    recipients_by_language,
)
from briefings.newsletter.forms import DigestSendForm, SubscriberImportForm
from briefings.newsletter.models import Delivery, Dispatch, MailingList, Subscriber
from briefings.newsletter.privacy import subscriber_erase
from briefings.newsletter.schedule import (
    ScheduleRefused,
    default_send_at,
    local_text,
    page_go_live_at,
    scheduled_send_cancel,
    scheduled_send_create,
    scheduled_sends_pending,
    scheduled_sends_refused,
)
from briefings.newsletter.send import RecipientRefused
from briefings.newsletter.tasks import dispatch_send_task

SEND_PERMISSION = "newsletter.send_digest"
ERASE_PERMISSION = "newsletter.erase_subscriber"
FAILURES_PER_PAGE = 100


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
    """Choose a list, see who gets the issue in which language; send or plan it.

    Sending now, at a time (typed in the institute's time zone) or when the
    page goes live; the planned sends of the issue are listed and can be
    cancelled here.
    """
    _require_sender(request)
    page = _digest_or_404(page_id)
    send_url = reverse("newsletter_digest_send", args=[page.pk])
    if request.method == "POST" and "cancel" in request.POST:
        return _scheduled_send_cancel(request, page, send_url)
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
    pending = list(scheduled_sends_pending(page=page))
    planned_lists = {scheduled.mailing_list_id for scheduled in pending}
    form = DigestSendForm(
        request.POST if request.method == "POST" else None,
        lists=[choice["list"] for choice in choices],
        initial={
            "when": SendWhen.NOW if page.live else SendWhen.ON_PUBLISH,
            "send_at": default_send_at(),
        },
    )
    error = ""
    if request.method == "POST":
        if not form.is_valid():
            error = form.errors.get("mailing_list", [""])[0] or _(
                "Check the time below."
            )
        else:
            mailing_list = form.cleaned_data["mailing_list"]
            when = form.cleaned_data["when"]
            if when == SendWhen.NOW:
                if mailing_list.pk in planned_lists:
                    error = _(
                        "A send of this issue to “%(list)s” is already planned. "
                        "Cancel it first to send now."
                    ) % {"list": mailing_list}
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
                        return redirect("newsletter_dispatch_progress", dispatch.pk)
            else:
                try:
                    scheduled = scheduled_send_create(
                        page=page,
                        mailing_list=mailing_list,
                        send_at=(
                            form.cleaned_data["send_at"]
                            if when == SendWhen.AT
                            else None
                        ),
                        user=request.user,
                    )
                except ScheduleRefused as refused:
                    error = str(refused)
                else:
                    if scheduled.on_publish:
                        text = _(
                            "“%(title)s” will be sent to %(list)s when the page "
                            "goes live."
                        )
                    else:
                        text = _("“%(title)s” will be sent to %(list)s at %(time)s.")
                    messages.success(
                        request,
                        text
                        % {
                            "title": page.title,
                            "list": mailing_list,
                            "time": scheduled.send_at and local_text(scheduled.send_at),
                        },
                    )
                    return redirect(send_url)
    go_live_at = page_go_live_at(page)
    return TemplateResponse(
        request,
        "newsletter/admin/send.html",
        {
            "page": page,
            "choices": choices,
            "form": form,
            "error": error,
            "pending": pending,
            "planned_lists": planned_lists,
            "refused": scheduled_sends_refused(page=page),
            "go_live_at": go_live_at,
            "can_schedule": page.live or go_live_at is not None,
            "institute_tz": settings.TIME_ZONE,
            "now": timezone.now(),
            "when": SendWhen,
        },
        status=400 if error else 200,
    )


def _scheduled_send_cancel(request, page, send_url: str):
    scheduled_id = request.POST.get("cancel", "")
    scheduled = (
        scheduled_sends_pending(page=page).filter(pk=scheduled_id).first()
        if scheduled_id.isdigit()
        else None
    )
    if scheduled is None:
        messages.error(request, _("This issue has no such planned send waiting."))
    elif scheduled_send_cancel(scheduled_send=scheduled, user=request.user):
        messages.success(
            request,
            _("The planned send to %(list)s is cancelled.")
            % {"list": scheduled.mailing_list},
        )
    else:
        messages.error(request, _("It could not be cancelled: it has just started."))
    return redirect(send_url)


@require_http_methods(["GET", "POST"])
def digest_send_test_view(request, page_id: int):
    """Send the issue to the staff member's own address (GET asks first)."""
    _require_sender(request)
    page = _digest_or_404(page_id)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    if request.method != "POST":
        return TemplateResponse(
            request, "newsletter/admin/send_test.html", {"page": page}
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
        Dispatch.objects.select_related("page", "mailing_list", "created_by").annotate(
            sent=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
            uncertain=Count(
                "deliveries", filter=Q(deliveries__status=DeliveryStatus.UNCERTAIN)
            ),
        )[:100]
    )
    for dispatch in dispatches:
        dispatch.stalled = dispatch_is_stalled(dispatch)
    return TemplateResponse(
        request,
        "newsletter/admin/dispatch_index.html",
        {"dispatches": dispatches},
    )


def _dispatch_act(request, dispatch: Dispatch) -> None:
    """One of staff's decisions on a dispatch, from the progress screen."""
    action = request.POST.get("action", "retry")
    start = False
    if action == "retry":
        count = dispatch_retry_failed(dispatch=dispatch)
        start = bool(count)
        messages.success(
            request, _("%(count)d failed messages queued again.") % {"count": count}
        )
    elif action == "pause":
        if dispatch_pause(dispatch=dispatch, user=request.user):
            messages.success(request, _("Paused: nothing more is sent until resumed."))
        else:
            messages.error(request, _("Only a dispatch under way can be paused."))
    elif action == "resume":
        start = dispatch_resume(dispatch=dispatch)
        if start:
            messages.success(request, _("Resumed: a worker sends what is left."))
        else:
            messages.error(request, _("There is nothing to resume."))
    elif action == "cancel":
        count = dispatch_cancel(dispatch=dispatch, user=request.user)
        messages.success(
            request,
            _("Cancelled: %(count)d messages will not be sent.") % {"count": count},
        )
    elif action == "uncertain_send":
        count = dispatch_uncertain_send(dispatch=dispatch)
        start = bool(count)
        messages.warning(
            request,
            _("%(count)d messages in doubt queued again.") % {"count": count},
        )
    elif action == "uncertain_drop":
        count = dispatch_uncertain_drop(dispatch=dispatch)
        messages.success(
            request,
            _("%(count)d messages in doubt recorded as not sent.") % {"count": count},
        )
    else:
        raise Http404("Unknown action.")
    if start:
        dispatch_send_task.enqueue(dispatch.pk)


@require_http_methods(["GET", "POST"])
def dispatch_progress_view(request, dispatch_id: int):
    """Progress, pace, failures and messages in doubt, and staff's decisions."""
    _require_sender(request)
    dispatch = get_object_or_404(
        Dispatch.objects.select_related(
            "page", "mailing_list", "created_by", "paused_by", "cancelled_by"
        ),
        pk=dispatch_id,
    )
    if request.method == "POST":
        _dispatch_act(request, dispatch)
        return redirect("newsletter_dispatch_progress", dispatch.pk)
    progress = dispatch_progress(dispatch=dispatch)
    failures = Paginator(
        Delivery.objects.filter(dispatch=dispatch, status=DeliveryStatus.FAILED)
        .select_related("subscriber")
        .order_by("pk"),
        FAILURES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    uncertain = list(
        Delivery.objects.filter(dispatch=dispatch, status=DeliveryStatus.UNCERTAIN)
        .select_related("subscriber")
        .order_by("pk")[:FAILURES_PER_PAGE]
    )
    running = dispatch.status in (DispatchStatus.QUEUED, DispatchStatus.SENDING)
    return TemplateResponse(
        request,
        "newsletter/admin/dispatch_progress.html",
        {
            "dispatch": dispatch,
            "progress": progress,
            "failures": failures,
            "uncertain": uncertain,
            "stalled": dispatch_is_stalled(dispatch),
            "pace": dispatch_pace(dispatch=dispatch, pending=progress["pending"]),
            "can_pause": running,
            "can_resume": dispatch.status == DispatchStatus.PAUSED,
            "can_cancel": running or dispatch.status == DispatchStatus.PAUSED,
            "can_decide": dispatch.status != DispatchStatus.CANCELLED,
            "percent": (
                round(100 * progress["sent"] / progress["total"])
                if progress["total"]
                else 100
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def subscribers_import_view(request):
    """Upload a CSV; people are confirmed only when the file records consent."""
    if not request.user.has_perm("newsletter.add_subscriber"):
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
        "newsletter/admin/subscribers_import.html",
        {"form": form, "report": report, "errors": errors},
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def subscriber_erase_view(request, subscriber_id: int):
    """Erase a person on their request: only a hashed suppression entry stays."""
    if not request.user.has_perm(ERASE_PERMISSION):
        raise PermissionDenied
    subscriber = get_object_or_404(Subscriber, pk=subscriber_id)
    if request.method == "POST":
        subscriber_erase(subscriber=subscriber)
        # The address is not repeated: it is no longer held.
        messages.success(request, _("The subscriber's data is erased."))
        return redirect("subscriber:index")
    return TemplateResponse(
        request,
        "newsletter/admin/subscriber_erase.html",
        {"subscriber": subscriber},
    )
