"""Public newsletter pages: thin views over `briefings.newsletter.subscriptions`."""

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from briefings.newsletter import privacy, subscriptions
from briefings.newsletter.clicks import click_counting_enabled
from briefings.newsletter.forms import CONSENT_TEXT, PreferencesForm, SubscribeForm
from briefings.newsletter.tokens import (
    TokenExpired,
    TokenInvalid,
    confirmation_token_read,
    link_token_read,
)
from theme.client_address import client_address

ONE_CLICK = "One-Click"
# Each page's heading (and title), shown by the layout all pages share.
HEADINGS = {
    "check_inbox": _("Check your inbox"),
    "confirm": _("Confirm your subscription"),
    "confirmed": _("You are subscribed"),
    "erase": _("Erase your data"),
    "erased": _("Your data is erased"),
    "invalid_link": _("This link does not work"),
    "preferences": _("Your newsletter preferences"),
    "privacy": _("How we handle your data"),
    "subscribe": _("Subscribe to our newsletters"),
    "unsubscribe": _("Unsubscribe"),
    "unsubscribed": _("You are unsubscribed"),
}


def _page(
    request: HttpRequest, name: str, context: dict | None = None, *, status: int = 200
) -> TemplateResponse:
    """One of the public newsletter pages (`newsletter/<name>.html`)."""
    return TemplateResponse(
        request,
        f"newsletter/{name}.html",
        {**(context or {}), "heading": HEADINGS[name]},
        status=status,
    )


# Why a link does not work, as the error page explains it (its `reason`).
CONFIRM_EXPIRED = "confirm_expired"  # older than seven days
CONFIRM_UNUSABLE = "confirm_unusable"  # cut, altered or already used
LINK_BROKEN = "link_broken"  # an unsubscribe or preferences link, cut or altered
LINK_GONE = "link_gone"  # genuine, but the address is no longer held


def _invalid_link(request: HttpRequest, reason: str) -> TemplateResponse:
    return _page(request, "invalid_link", {"reason": reason}, status=400)


def _invalid_confirmation(request: HttpRequest, error: TokenInvalid):
    reason = CONFIRM_EXPIRED if isinstance(error, TokenExpired) else CONFIRM_UNUSABLE
    return _invalid_link(request, reason)


def _invalid_subscriber_link(request: HttpRequest, token: str) -> TemplateResponse:
    """Unsubscribe and preferences links never expire: broken, or nobody left."""
    try:
        link_token_read(token)
    except TokenInvalid:
        return _invalid_link(request, LINK_BROKEN)
    return _invalid_link(request, LINK_GONE)


def _cross_site(request: HttpRequest) -> bool:
    """A browser's POST from another site's page (it names its origin)."""
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return origin == "null"
    trusted = {
        f"{request.scheme}://{request.get_host()}",
        *settings.CSRF_TRUSTED_ORIGINS,
    }
    return origin not in trusted


# The form is on cached public pages (the home page), so it carries no CSRF
# token: a token would set a cookie and make every such page personal. What a
# forged request could do is ask for a subscription, which is what the form
# offers anyone: nothing happens until the address's owner confirms by email
# (double opt-in), requests are rate-limited per client, and a browser POST
# from another site's page (its Origin header) is refused.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """The subscription form; every valid request ends on the same page."""
    language = get_language()
    status = 200
    if request.method == "POST" and _cross_site(request):
        return HttpResponse(
            gettext("Subscriptions are taken only from this site's own form."),
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    if request.method == "POST":
        form = SubscribeForm(request.POST, language=language)
        try:
            subscriptions.rate_limit_check(client=client_address(request))
        except subscriptions.TooManyRequests:
            form.add_error(None, _rate_message())
            status = 429
        else:
            if form.is_valid():
                if not form.is_robot:
                    subscriptions.subscription_request(
                        request=subscriptions.SubscribeRequest(
                            email=form.cleaned_data["email"],
                            name=form.cleaned_data["name"],
                            mailing_lists=list(form.cleaned_data["lists"]),
                            language=form.cleaned_data["language"],
                            form_text=str(CONSENT_TEXT),
                            source=request.path,
                        )
                    )
                return redirect("newsletter:check_inbox")
            status = 400
    else:
        # A link from an issue or archive ticks that digest's list(s).
        form = SubscribeForm(language=language, preselect=request.GET)
    return _page(
        request,
        "subscribe",
        {"form": form, "consent_text": CONSENT_TEXT},
        status=status,
    )


def _rate_message() -> str:
    return gettext(
        "Too many requests from your connection. Please try again in an hour."
    )


@require_safe
def check_inbox(request: HttpRequest) -> TemplateResponse:
    return _page(request, "check_inbox")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners only GET); its POST confirms."""
    if request.method != "POST":
        try:
            confirmation_token_read(token)
        except TokenInvalid as error:
            return _invalid_confirmation(request, error)
        return _page(request, "confirm")
    try:
        subscriber = subscriptions.subscription_confirm(token=token)
    except TokenInvalid as error:
        return _invalid_confirmation(request, error)
    return _page(
        request,
        "confirmed",
        {
            "subscriber": subscriber,
            "preferences_url": subscriptions.preferences_url(subscriber),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    """Change lists and language, or leave everything."""
    try:
        subscriber, _list = subscriptions.subscriber_from_link(token)
    except TokenInvalid:
        return _invalid_subscriber_link(request, token)
    status = 200
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST, subscriber=subscriber)
        if "leave" in request.POST:
            subscriptions.subscriber_unsubscribe(
                subscriber=subscriber, mailing_list=None, source="preferences page"
            )
            return _page(
                request,
                "unsubscribed",
                {"mailing_list": None, "preferences_url": request.path},
            )
        if form.is_valid():
            subscriptions.preferences_update(
                subscriber=subscriber,
                mailing_lists=list(form.cleaned_data["lists"]),
                language=form.cleaned_data["language"],
                form_text=str(CONSENT_TEXT),
            )
            subscriber.refresh_from_db()
            form = PreferencesForm(subscriber=subscriber)
            saved = True
        else:
            status = 400
    else:
        form = PreferencesForm(subscriber=subscriber)
    return _page(
        request,
        "preferences",
        {"form": form, "subscriber": subscriber, "saved": saved, "token": token},
        status=status,
    )


@csrf_exempt  # RFC 8058: mail clients POST without cookie or CSRF token.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; a POST of List-Unsubscribe=One-Click leaves at once."""
    try:
        subscriber, mailing_list = subscriptions.subscriber_from_link(token)
    except TokenInvalid:
        return _invalid_subscriber_link(request, token)
    context = {"mailing_list": mailing_list, "subscriber": subscriber}
    if request.method != "POST":
        return _page(request, "unsubscribe", context)
    if request.POST.get("List-Unsubscribe") != ONE_CLICK:
        return _page(request, "unsubscribe", context, status=400)
    subscriptions.subscriber_unsubscribe(
        subscriber=subscriber,
        mailing_list=mailing_list,
        source="one-click unsubscribe",
    )
    context["preferences_url"] = subscriptions.preferences_url(subscriber)
    return _page(request, "unsubscribed", context)


@require_safe
def privacy_notice(request: HttpRequest) -> TemplateResponse:
    """What we hold about subscribers, why, for how long, how to get or erase it."""
    return _page(
        request,
        "privacy",
        {
            "retention": privacy.retention(),
            "institute": subscriptions.institute_name(),
            "click_counting": click_counting_enabled(),
        },
    )


@never_cache
@require_safe
def data_export(request: HttpRequest, token: str) -> HttpResponse:
    """Everything we hold about the link's subscriber, as a JSON download."""
    try:
        subscriber, _list = subscriptions.subscriber_from_link(token)
    except TokenInvalid:
        return _invalid_subscriber_link(request, token)
    data = privacy.subscriber_data_export(subscriber=subscriber)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="newsletter-data.json"'
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def erase(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners only GET); its POST erases the subscriber."""
    try:
        subscriber, _list = subscriptions.subscriber_from_link(token)
    except TokenInvalid:
        return _invalid_subscriber_link(request, token)
    if request.method != "POST":
        return _page(
            request,
            "erase",
            {"subscriber": subscriber, "retention": privacy.retention()},
        )
    privacy.subscriber_erase(subscriber=subscriber)
    return _page(request, "erased")
