"""Staff views: send an issue, follow dispatches, import subscribers."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wagtail.models import Page

from briefings.email.render import render_digest_email
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
    issue_translations,
    recipients_by_language,
)
from briefings.newsletter.forms import (
    DigestSendConfirmForm,
    DigestSendForm,
    DigestTestForm,
    SubscriberImportForm,
)
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
from briefings.newsletter.subscriptions import site_base_url
from briefings.newsletter.tasks import dispatch_send_task

SEND_PERMISSION = "newsletter.send_digest"
ERASE_PERMISSION = "newsletter.erase_subscriber"
FAILURES_PER_PAGE = 100
# An issue older than this is probably not the one meant.
OLD_ISSUE_DAYS = 61
# A language without its translation is worth a warning from this many readers.
MANY_READERS = 10


def _screen(request, template, *, title, crumbs, context, status=200):
    """An admin screen in Wagtail's own design: header, breadcrumbs, icon."""
    return TemplateResponse(
        request,
        template,
        {
            **context,
            "header_title": title,
            "page_title": title,
            "header_icon": "mail",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                *({"url": url, "label": label} for label, url in crumbs),
                {"url": "", "label": title},
            ],
        },
        status=status,
    )


def _page_crumbs(page) -> list[tuple[str, str]]:
    return [(page.title, reverse("wagtailadmin_pages:edit", args=[page.pk]))]


def _dispatch_crumbs() -> list[tuple[str, str]]:
    return [(_("Dispatches"), reverse("newsletter_dispatch_index"))]


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
                error = _send_now_refusal(page, mailing_list, planned_lists)
                if not error:
                    # Nothing goes before the confirmation screen.
                    return redirect(
                        "newsletter_digest_send_confirm", page.pk, mailing_list.pk
                    )
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
    return _screen(
        request,
        "newsletter/admin/send.html",
        title=_("Send to a list"),
        crumbs=_page_crumbs(page),
        context={
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


def _send_now_refusal(page, mailing_list, planned_lists) -> str:
    """Why the issue cannot be sent to this list now ("" when it can)."""
    if not page.live:
        return _("Only a published issue can be sent.")
    if mailing_list.pk in planned_lists:
        return _(
            "A send of this issue to “%(list)s” is already planned. "
            "Cancel it first to send now."
        ) % {"list": mailing_list}
    if dispatch_for(page=page, mailing_list=mailing_list):
        return _("This issue has already been sent to “%(list)s”.") % {
            "list": mailing_list
        }
    return ""


def _language_names() -> dict[str, str]:
    return {code: str(name) for code, name in settings.LANGUAGES}


def send_summary(page, mailing_list) -> dict:
    """What the list would get: per subscriber language, the translation sent,
    the subject and preheader; and what deserves a warning."""
    available = issue_translations(page)
    names = _language_names()
    readers = dict(
        Subscriber.objects.receiving(mailing_list)
        .values_list("language")
        .annotate(count=Count("pk"))
        .order_by()
    )
    rendered = {}
    rows = []
    warnings = []
    for code, name in names.items():
        count = readers.get(code, 0)
        if code in available:
            sent_in = code
        elif settings.LANGUAGE_CODE in available:
            sent_in = settings.LANGUAGE_CODE
        else:
            sent_in = next(iter(sorted(available)), "")
        if sent_in and sent_in not in rendered:
            email = render_digest_email(available[sent_in], base_url=site_base_url())
            rendered[sent_in] = email
        email = rendered.get(sent_in)
        rows.append(
            {
                "code": code,
                "name": name,
                "count": count,
                "sent_in": sent_in,
                "sent_in_name": names.get(sent_in, sent_in),
                "falls_back": bool(sent_in) and sent_in != code,
                "subject": email.subject if email else "",
                "preheader": email.preheader if email else "",
            }
        )
        if count >= MANY_READERS and code not in available:
            warnings.append(
                _(
                    "%(count)d readers read %(language)s, and this issue has no "
                    "published %(language)s translation: they get it in "
                    "%(fallback)s."
                )
                % {
                    "count": count,
                    "language": name,
                    "fallback": names.get(sent_in, sent_in),
                }
            )
    total = sum(row["count"] for row in rows)
    if not total:
        warnings.insert(
            0,
            _("Nobody on “%(list)s” would get this issue.") % {"list": mailing_list},
        )
    issue_date = getattr(page, "issue_date", None)
    if issue_date and (timezone.localdate() - issue_date).days > OLD_ISSUE_DAYS:
        warnings.insert(
            0,
            _(
                "This issue is dated %(date)s, more than two months ago. Check "
                "that it is the issue you mean to send."
            )
            % {"date": date_format(issue_date)},
        )
    return {"rows": rows, "total": total, "warnings": warnings}


@require_http_methods(["GET", "POST"])
def digest_send_confirm_view(request, page_id: int, list_id: int):
    """The last step before sending: who gets what, and a typed confirmation.

    Nothing is sent unless the staff member types the list's name; a second
    submit of the same form finds the dispatch already made and sends nothing.
    """
    _require_sender(request)
    page = _digest_or_404(page_id)
    mailing_list = get_object_or_404(MailingList, pk=list_id)
    if not mailing_list.carries(page):
        raise Http404("This list does not carry this issue.")
    send_url = reverse("newsletter_digest_send", args=[page.pk])
    planned_lists = {
        scheduled.mailing_list_id for scheduled in scheduled_sends_pending(page=page)
    }
    form = DigestSendConfirmForm(
        request.POST if request.method == "POST" else None,
        mailing_list=mailing_list,
    )
    error = ""
    if request.method == "POST":
        if not form.is_valid():
            error = form.errors["confirm_name"][0]
        else:
            error = _send_now_refusal(page, mailing_list, planned_lists)
            if not error:
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
        error = _send_now_refusal(page, mailing_list, planned_lists)
    return _screen(
        request,
        "newsletter/admin/send_confirm.html",
        title=_("Confirm the send"),
        crumbs=[*_page_crumbs(page), (_("Send to a list"), send_url)],
        context={
            "page": page,
            "mailing_list": mailing_list,
            "summary": send_summary(page, mailing_list),
            "form": form,
            "error": error,
            "existing": dispatch_for(page=page, mailing_list=mailing_list),
            "send_url": send_url,
        },
        status=400 if request.method == "POST" and error else 200,
    )


def _test_versions(page) -> dict[str, Page]:
    """Each translation of the issue by language, at its latest revision
    (a draft as staff last saved it)."""
    versions = {}
    for translation in page.get_translations(inclusive=True).select_related("locale"):
        translation = translation.specific
        latest = translation.get_latest_revision_as_object()
        versions[translation.locale.language_code] = latest
    return versions


@require_http_methods(["GET", "POST"])
def digest_send_test_view(request, page_id: int):
    """Send the issue's latest revision, in a chosen language, to typed
    addresses, marked “[TEST]”. No dispatch: never counted in any report."""
    _require_sender(request)
    page = _digest_or_404(page_id)
    versions = _test_versions(page)
    names = _language_names()
    form = DigestTestForm(
        request.POST if request.method == "POST" else None,
        languages=[(code, names.get(code, code)) for code in sorted(versions)],
        initial={
            "addresses": request.user.email,
            "language": page.locale.language_code,
        },
    )
    title = _("Send a test")
    context = {"page": page, "form": form, "max_addresses": form.MAX_ADDRESSES}
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        version = versions[language]
        lists = _lists_for(page)
        sent, errors = [], []
        for address in form.cleaned_data["addresses"]:
            try:
                digest_send_test(
                    page=version,
                    mailing_list=lists[0] if lists else None,
                    to_email=address,
                )
            except RecipientRefused as error:
                errors.append(f"{address}: {error}")
            else:
                sent.append(address)
        if sent:
            messages.success(
                request,
                _("A test in %(language)s was sent to %(addresses)s.")
                % {
                    "language": names.get(language, language),
                    "addresses": ", ".join(sent),
                },
            )
        for error in errors:
            messages.error(request, _("The test could not be sent: %s") % error)
        return redirect("newsletter_digest_send_test", page.pk)
    return _screen(
        request,
        "newsletter/admin/send_test.html",
        title=title,
        crumbs=_page_crumbs(page),
        context=context,
        status=400 if form.is_bound else 200,
    )


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
    return _screen(
        request,
        "newsletter/admin/dispatch_index.html",
        title=_("Dispatches"),
        crumbs=[],
        context={"dispatches": dispatches},
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
    return _screen(
        request,
        "newsletter/admin/dispatch_progress.html",
        title=_("“%(title)s” to %(list)s")
        % {"title": dispatch.page.title, "list": dispatch.mailing_list},
        crumbs=_dispatch_crumbs(),
        context={
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
            "running": running,
            "progress_url": reverse(
                "newsletter_dispatch_progress_json", args=[dispatch.pk]
            ),
        },
    )


def progress_state(dispatch: Dispatch) -> dict:
    """The figures the progress screen shows, for its poll."""
    progress = dispatch_progress(dispatch=dispatch)
    pace = dispatch_pace(dispatch=dispatch, pending=progress["pending"])
    end = pace.estimated_end if pace else None
    return {
        "status": dispatch.status,
        "status_label": str(dispatch.get_status_display()),
        "running": dispatch.status in (DispatchStatus.QUEUED, DispatchStatus.SENDING),
        "total": progress["total"],
        "sent": progress["sent"],
        "sent_text": _("%(sent)s of %(total)s sent")
        % {"sent": progress["sent"], "total": progress["total"]},
        "failed": progress["failed"],
        "uncertain": progress["uncertain"],
        "pending": progress["pending"] + progress["sending"],
        "percent": (
            round(100 * progress["sent"] / progress["total"])
            if progress["total"]
            else 100
        ),
        "per_minute": pace.per_minute if pace else None,
        "estimated_end": end.isoformat() if end else None,
        "pace_text": _pace_text(pace),
    }


def _pace_text(pace) -> str:
    """The pace sentence of the progress screen, as its template words it."""
    if not pace:
        return _("Pace: not known yet.")
    text = _("Pace: %(rate)s messages a minute over the last minutes.") % {
        "rate": pace.per_minute
    }
    if pace.estimated_end:
        text += " " + _("Estimated end: %(when)s.") % {
            "when": date_format(timezone.localtime(pace.estimated_end), "j M Y H:i")
        }
    return text


@require_GET
def dispatch_progress_json_view(request, dispatch_id: int):
    """The progress of a dispatch as JSON, polled by its screen (staff only)."""
    _require_sender(request)
    dispatch = get_object_or_404(Dispatch, pk=dispatch_id)
    response = JsonResponse(progress_state(dispatch))
    response["Cache-Control"] = "no-store"
    return response


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
