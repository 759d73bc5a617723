"""How an issue did with a list (staff), counted links and the sent issue (public).

The click redirect and the archived issue are public: the links are in
emails. Neither records anything about who opens them.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from csp.decorators import csp

from briefings.newsletter import views
from briefings.newsletter.choices import DeliveryStatus, ProviderEvent
from briefings.newsletter.clicks import (
    archive_for_reading,
    archive_token_read,
    click_count,
    click_counting_enabled,
    click_token_read,
)
from briefings.newsletter.dispatch import dispatch_progress
from briefings.newsletter.models import (
    Delivery,
    DeliveryEvent,
    Dispatch,
    DispatchArchive,
    DispatchLink,
    Subscription,
)
from briefings.newsletter.subscriptions import site_base_url
from briefings.newsletter.tokens import TokenInvalid
from theme.csv_safety import csv_writer

SEND_PERMISSION = "newsletter.send_digest"
FAILURE_REASONS_SHOWN = 20

# The archived email alone: its inline styles and its images, nothing that
# runs, submits or frames anything; a sandbox on top.
ARCHIVE_POLICY = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["'self'", "https:", "data:"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "frame-ancestors": ["'self'"],
    "sandbox": ["allow-popups", "allow-popups-to-escape-sandbox"],
}


# Public ----------------------------------------------------------------------


def _broken_link(request: HttpRequest) -> TemplateResponse:
    return views._page(
        request, "invalid_link", {"reason": views.LINK_BROKEN}, status=404
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
def click_redirect(request: HttpRequest, token: str) -> HttpResponse:
    """Count one click on a link of a dispatched issue and go there.

    Only the link's total changes; the destination is the URL stored for
    that dispatch, never one read from the request. HEAD (link previews,
    scanners) is answered without counting."""
    try:
        if request.method == "HEAD":
            dispatch_id, link_id = click_token_read(token)
            link = DispatchLink.objects.filter(
                pk=link_id, dispatch_id=dispatch_id
            ).first()
            if link is None:
                raise TokenInvalid("no such link")
            url = link.url
        else:
            url = click_count(token=token)
    except TokenInvalid:
        return _broken_link(request)
    response = HttpResponseRedirect(url)
    response["Referrer-Policy"] = "no-referrer"
    return response


def _archived_response(archive: DispatchArchive) -> HttpResponse:
    html, _text = archive_for_reading(archive, base_url=site_base_url())
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@csp(ARCHIVE_POLICY)
@require_http_methods(["GET", "HEAD"])
def archived_view(request: HttpRequest, token: str) -> HttpResponse:
    """The issue as a dispatch sent it, for the email's "view in browser"."""
    try:
        dispatch_id, language = archive_token_read(token)
    except TokenInvalid:
        return _broken_link(request)
    archive = (
        DispatchArchive.objects.filter(dispatch_id=dispatch_id, language=language)
        .select_related("dispatch__page")
        .first()
    )
    # An issue taken off the site (unpublished) is no longer served either.
    if archive is None or not archive.dispatch.page.live:
        return _broken_link(request)
    return _archived_response(archive)


# Staff -----------------------------------------------------------------------


def _dispatch_for_staff(request, dispatch_id: int) -> Dispatch:
    if not request.user.has_perm(SEND_PERMISSION):
        raise PermissionDenied
    return get_object_or_404(
        Dispatch.objects.select_related("page", "mailing_list"), pk=dispatch_id
    )


def dispatch_report(dispatch: Dispatch) -> dict:
    """Everything the report shows, counted in a few queries."""
    progress = dispatch_progress(dispatch=dispatch)
    failures = list(
        Delivery.objects.filter(dispatch=dispatch, status=DeliveryStatus.FAILED)
        .values("error")
        .annotate(count=Count("pk"))
        .order_by("-count", "error")[:FAILURE_REASONS_SHOWN]
    )
    events = dict(
        DeliveryEvent.objects.filter(delivery__dispatch=dispatch)
        .values_list("kind")
        .annotate(count=Count("delivery", distinct=True))
        .order_by()
    )
    since = dispatch.started_at or dispatch.created_at
    unsubscribed = (
        Subscription.objects.filter(
            mailing_list_id=dispatch.mailing_list_id,
            ended_at__gte=since,
            subscriber__deliveries__dispatch=dispatch,
        )
        .distinct()
        .count()
    )
    links = list(DispatchLink.objects.filter(dispatch=dispatch).order_by("position"))
    return {
        "recipients": dispatch.total,
        "sent": progress[DeliveryStatus.SENT],
        "failed": progress[DeliveryStatus.FAILED],
        "uncertain": progress[DeliveryStatus.UNCERTAIN],
        "pending": progress[DeliveryStatus.PENDING] + progress[DeliveryStatus.SENDING],
        "skipped": progress[DeliveryStatus.SKIPPED],
        "not_sent": progress[DeliveryStatus.CANCELLED]
        + progress[DeliveryStatus.NOT_SENT],
        "failures": failures,
        "bounced": events.get(ProviderEvent.BOUNCED, 0)
        + events.get(ProviderEvent.SOFT_BOUNCE, 0),
        "complained": events.get(ProviderEvent.COMPLAINED, 0),
        "unsubscribed": unsubscribed,
        "links": links,
        "clicks": sum(link.clicks for link in links),
    }


def _breadcrumbs(dispatch: Dispatch, *last: dict) -> list[dict]:
    return [
        {"url": reverse("newsletter_dispatch_index"), "label": _("Dispatches")},
        {
            "url": reverse("newsletter_dispatch_progress", args=[dispatch.pk]),
            "label": f"{dispatch.page.title} → {dispatch.mailing_list}",
        },
        *last,
    ]


def dispatch_report_view(request, dispatch_id: int):
    dispatch = _dispatch_for_staff(request, dispatch_id)
    return TemplateResponse(
        request,
        "newsletter/admin/report.html",
        {
            "dispatch": dispatch,
            "report": dispatch_report(dispatch),
            "archives": dispatch.archives.only("pk", "language", "subject"),
            "click_counting": click_counting_enabled(),
            "breadcrumbs_items": _breadcrumbs(
                dispatch, {"url": "", "label": _("Delivery report")}
            ),
        },
    )


def dispatch_report_csv_view(request, dispatch_id: int):
    """The report as CSV (every cell through theme.csv_safety)."""
    dispatch = _dispatch_for_staff(request, dispatch_id)
    report = dispatch_report(dispatch)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="dispatch-{dispatch.pk}-report.csv"'
    )
    writer = csv_writer(response)
    writer.writerow([_("Issue"), dispatch.page.title])
    writer.writerow([_("List"), dispatch.mailing_list.name])
    writer.writerow([_("Started"), dispatch.started_at or ""])
    for label, key in (
        (_("Recipients"), "recipients"),
        (_("Sent"), "sent"),
        (_("Failed"), "failed"),
        (_("In doubt"), "uncertain"),
        (_("Not sent yet"), "pending"),
        (_("Bounced"), "bounced"),
        (_("Reported as spam"), "complained"),
        (_("Unsubscribed after this issue"), "unsubscribed"),
        (_("Clicks"), "clicks"),
    ):
        writer.writerow([label, report[key]])
    writer.writerow([])
    writer.writerow([_("Reason of failure"), _("Messages")])
    for failure in report["failures"]:
        writer.writerow([failure["error"], failure["count"]])
    writer.writerow([])
    writer.writerow([_("Link"), _("Clicks")])
    for link in report["links"]:
        writer.writerow([link.url, link.clicks])
    return response


def _archive_for_staff(request, dispatch_id: int, language: str) -> DispatchArchive:
    dispatch = _dispatch_for_staff(request, dispatch_id)
    archive = dispatch.archives.filter(language=language).first()
    if archive is None:
        raise Http404("Nothing was sent in this language.")
    return archive


def dispatch_archive_view(request, dispatch_id: int, language: str):
    """The sent issue in one language: the HTML in a sandboxed frame, the text."""
    archive = _archive_for_staff(request, dispatch_id, language)
    _html, text = archive_for_reading(archive, base_url=site_base_url())
    return TemplateResponse(
        request,
        "newsletter/admin/archive.html",
        {
            "dispatch": archive.dispatch,
            "archive": archive,
            "text": text,
            "breadcrumbs_items": _breadcrumbs(
                archive.dispatch,
                {
                    "url": reverse(
                        "newsletter_dispatch_report", args=[archive.dispatch_id]
                    ),
                    "label": _("Delivery report"),
                },
                {"url": "", "label": archive.language.upper()},
            ),
        },
    )


@xframe_options_sameorigin
@csp(ARCHIVE_POLICY)
def dispatch_archive_html_view(request, dispatch_id: int, language: str):
    """The archived HTML alone, for the frame of `dispatch_archive_view`."""
    return _archived_response(_archive_for_staff(request, dispatch_id, language))
