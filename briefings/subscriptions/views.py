"""Public newsletter pages: thin views over `briefings.subscriptions.services`."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from briefings.email.tokens import TokenInvalid
from briefings.subscriptions import services
from briefings.subscriptions.forms import CONSENT_TEXT, PreferencesForm, SubscribeForm

ONE_CLICK = "One-Click"


def _client(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def _invalid_link(request: HttpRequest) -> TemplateResponse:
    return TemplateResponse(
        request, "briefings/newsletter/invalid_link.html", {}, status=400
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """The subscription form; every valid request ends on the same page."""
    language = get_language()
    status = 200
    if request.method == "POST":
        form = SubscribeForm(request.POST, language=language)
        try:
            services.rate_limit_check(client=_client(request))
        except services.TooManyRequests:
            form.add_error(None, _rate_message())
            status = 429
        else:
            if form.is_valid():
                if not form.is_robot:
                    services.subscription_request(
                        request=services.SubscribeRequest(
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
        form = SubscribeForm(language=language)
    return TemplateResponse(
        request,
        "briefings/newsletter/subscribe.html",
        {"form": form, "consent_text": CONSENT_TEXT},
        status=status,
    )


def _rate_message() -> str:
    return gettext(
        "Too many requests from your connection. Please try again in an hour."
    )


@require_safe
def check_inbox(request: HttpRequest) -> TemplateResponse:
    return TemplateResponse(request, "briefings/newsletter/check_inbox.html", {})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners only GET); its POST confirms."""
    if request.method != "POST":
        try:
            services.tokens.confirmation_token_read(token)
        except TokenInvalid:
            return _invalid_link(request)
        return TemplateResponse(request, "briefings/newsletter/confirm.html", {})
    try:
        subscriber = services.subscription_confirm(token=token)
    except TokenInvalid:
        return _invalid_link(request)
    return TemplateResponse(
        request,
        "briefings/newsletter/confirmed.html",
        {
            "subscriber": subscriber,
            "preferences_url": services.preferences_url(subscriber),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    """Change lists and language, or leave everything."""
    try:
        subscriber, _list = services.subscriber_from_link(token)
    except TokenInvalid:
        return _invalid_link(request)
    status = 200
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST, subscriber=subscriber)
        if "leave" in request.POST:
            services.subscriber_unsubscribe(
                subscriber=subscriber, mailing_list=None, source="preferences page"
            )
            return TemplateResponse(
                request,
                "briefings/newsletter/unsubscribed.html",
                {"mailing_list": None, "preferences_url": request.path},
            )
        if form.is_valid():
            services.preferences_update(
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
    return TemplateResponse(
        request,
        "briefings/newsletter/preferences.html",
        {"form": form, "subscriber": subscriber, "saved": saved},
        status=status,
    )


@csrf_exempt  # RFC 8058: mail clients POST without cookie or CSRF token.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; a POST of List-Unsubscribe=One-Click leaves at once."""
    try:
        subscriber, mailing_list = services.subscriber_from_link(token)
    except TokenInvalid:
        return _invalid_link(request)
    context = {"mailing_list": mailing_list, "subscriber": subscriber}
    if request.method != "POST":
        return TemplateResponse(
            request, "briefings/newsletter/unsubscribe.html", context
        )
    if request.POST.get("List-Unsubscribe") != ONE_CLICK:
        return TemplateResponse(
            request, "briefings/newsletter/unsubscribe.html", context, status=400
        )
    services.subscriber_unsubscribe(
        subscriber=subscriber,
        mailing_list=mailing_list,
        source="one-click unsubscribe",
    )
    context["preferences_url"] = services.preferences_url(subscriber)
    return TemplateResponse(request, "briefings/newsletter/unsubscribed.html", context)
