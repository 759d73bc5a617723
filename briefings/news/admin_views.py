"""Admin views of the news inbox: thin; validate, call a service, respond.

Registered by `wagtail_hooks.py` under the admin, so Wagtail's admin access
check applies first; each view then checks the model permission it needs.
Every view that changes something answers POST only (CSRF-protected).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from django_tasks import TaskResultStatus

from briefings.news.forms import NewsBulkActionForm, OpmlImportForm, SourceRulesForm
from briefings.news.inbox import news_items_status_set, news_items_tag
from briefings.news.ingest.opml import OpmlError, opml_export, opml_import
from briefings.news.ingest.rules import source_rules_test
from briefings.news.models import NewsSource
from briefings.news.tasks import source_fetch_now

ITEMS_INDEX = "news_newsitem_modeladmin_index"
SOURCES_INDEX = "news_newssource_modeladmin_index"


def _require(request, *permissions: str) -> None:
    if not any(request.user.has_perm(permission) for permission in permissions):
        raise PermissionDenied


def _back(request, fallback: str, target: str = "") -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(fallback)


@require_POST
def news_bulk_action(request):
    """Shortlist, dismiss, mark or tag the items ticked in the inbox, or hand
    them to an action another app offers (such as adding them to a digest)."""
    _require(request, "news.change_newsitem")
    form = NewsBulkActionForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(request, ITEMS_INDEX, request.POST.get("next", "")))
    data = form.cleaned_data
    item_ids = form.item_ids
    action = data["action"]
    if action in form.other_actions:
        message = form.other_actions[action].perform(
            request=request, item_ids=item_ids, form=form.action_form
        )
    elif action == "tag":
        count = news_items_tag(
            item_ids=item_ids,
            programme_ids=[programme.pk for programme in data["programmes"]],
            country_ids=[country.pk for country in data["countries"]],
        )
        message = ngettext(
            "%(count)d item tagged.", "%(count)d items tagged.", count
        ) % {"count": count}
    else:
        news_items_status_set(
            item_ids=item_ids, status=NewsBulkActionForm.STATUS_OF_ACTION[action]
        )
        label = dict(NewsBulkActionForm.ACTIONS)[action]
        message = _("%(action)s: %(count)d item(s).") % {
            "action": label,
            "count": len(item_ids),
        }
    messages.success(request, message)
    return redirect(_back(request, ITEMS_INDEX, data.get("next", "")))


@require_POST
def source_fetch_now_view(request):
    """Reset a source's backoff and fetch it now."""
    _require(request, "news.change_newssource")
    source = get_object_or_404(NewsSource, pk=request.POST.get("source") or 0)
    result = source_fetch_now(source=source)
    source.refresh_from_db()
    if result.status == TaskResultStatus.SUCCESSFUL:
        outcome = result.return_value or {}
        if outcome.get("error"):
            messages.error(
                request,
                _("%(source)s: fetch failed: %(error)s")
                % {"source": source.title, "error": outcome["error"]},
            )
        else:
            messages.success(
                request,
                _("%(source)s fetched: %(new)s new, %(updated)s updated (%(outcome)s).")
                % {
                    "source": source.title,
                    "new": outcome.get("new", 0),
                    "updated": outcome.get("updated", 0),
                    "outcome": source.get_last_outcome_display()
                    or outcome.get("note", ""),
                },
            )
    elif result.status == TaskResultStatus.FAILED:
        messages.error(
            request,
            _("%(source)s: fetch failed: %(error)s")
            % {"source": source.title, "error": source.last_error},
        )
    else:
        messages.success(
            request, _("%(source)s will be fetched shortly.") % {"source": source.title}
        )
    return redirect(_back(request, SOURCES_INDEX, request.POST.get("next", "")))


@require_http_methods(["GET", "POST"])
def opml_import_view(request):
    """Upload an OPML file of feeds; new ones become sources."""
    _require(request, "news.add_newssource")
    report = None
    form = OpmlImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = opml_import(data=upload.read(2 * 1024 * 1024 + 1))
        except OpmlError as error:
            form.add_error("file", str(error))
        else:
            messages.success(
                request,
                _("%(created)d sources added, %(existing)d already listed.")
                % {"created": len(report.created), "existing": len(report.existing)},
            )
    return TemplateResponse(
        request,
        "news/admin/opml_import.html",
        {"form": form, "report": report, "sources_url": reverse(SOURCES_INDEX)},
    )


@require_GET
def opml_export_view(request):
    """Download every source as an OPML file."""
    _require(
        request,
        "news.view_newssource",
        "news.change_newssource",
        "news.add_newssource",
    )
    response = HttpResponse(opml_export(), content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="news-sources.opml"'
    return response


@require_http_methods(["GET", "POST"])
def source_rules_view(request, source_id: int):
    """Try keyword rules on the source's recent items, then save them."""
    _require(request, "news.change_newssource")
    source = get_object_or_404(NewsSource, pk=source_id)
    form = SourceRulesForm(request.POST or None, instance=source)
    rows = None
    if request.method == "POST" and form.is_valid():
        if "save" in request.POST:
            form.save()
            messages.success(
                request,
                _("Keyword rules of %(source)s saved. They apply to new items.")
                % {"source": source.title},
            )
            return redirect(SOURCES_INDEX)
        rows = source_rules_test(
            source=source,
            include_keywords=form.cleaned_data["include_keywords"],
            exclude_keywords=form.cleaned_data["exclude_keywords"],
        )
    elif request.method == "GET":
        rows = source_rules_test(
            source=source,
            include_keywords=source.include_keywords,
            exclude_keywords=source.exclude_keywords,
        )
    return TemplateResponse(
        request,
        "news/admin/source_rules.html",
        {
            "source": source,
            "form": form,
            "rows": rows,
            "kept": sum(1 for row in rows or [] if row.kept),
            "sources_url": reverse(SOURCES_INDEX),
        },
    )
