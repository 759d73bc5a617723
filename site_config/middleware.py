"""Middleware of the site: language handling and security headers."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from wagtail.admin.localization import get_available_admin_languages

from csp.middleware import CSPMiddleware
from csp.utils import default_config

from theme.embeds import embed_frame_sources

# "de", "xx", "en-gb", "pt_BR", "zh-hant": what a reader or a link may put
# where the language goes. Three-letter words ("faq") only when Django knows
# them as a language, so an unprefixed page slug still redirects to /en/<slug>/.
_PREFIX_RE = re.compile(r"^/([a-z]{2,3})(?:[-_]([a-z0-9]{2,8}))*(?:/|$)", re.I)


def unknown_language_prefix(path: str) -> bool:
    """Whether `path` starts with a language code the site does not publish."""
    match = _PREFIX_RE.match(path)
    if match is None:
        return False
    code = match.group(0).strip("/").lower().replace("_", "-")
    if code in {published for published, _name in settings.LANGUAGES}:
        return False
    base = match.group(1).lower()
    return len(base) == 2 or match.group(2) is not None or code in LANG_INFO


def _in_wagtail_admin(path: str) -> bool:
    try:
        return path.startswith(reverse("wagtailadmin_home"))
    except NoReverseMatch:  # pragma: no cover - a URLconf without the admin
        return False


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, with two changes.

    An unknown language prefix (`/de/`, `/en-gb/`) is a 404 in the default
    language. Django's middleware would activate the browser's language and
    then answer the 404 with a redirect to `/en/de/`, a path Wagtail's
    catch-all accepts, so the reader lands on a second 404 (or, worse, on a
    page with that slug).

    Wagtail's admin speaks only WAGTAILADMIN_PERMITTED_LANGUAGES: a browser
    asking for Swahili gets English there, not Wagtail's English mixed with
    our Swahili field labels under `<html lang="sw">`. (An editor's own
    language preference still wins: Wagtail applies it per view.)
    """

    def process_request(self, request):
        if unknown_language_prefix(request.path_info):
            request.unknown_language_prefix = True
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return None
        super().process_request(request)
        if _in_wagtail_admin(request.path_info):
            admin_languages = dict(get_available_admin_languages())
            if translation.get_language() not in admin_languages:
                translation.activate(settings.LANGUAGE_CODE)
                request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return None

    def process_response(self, request, response):
        if getattr(request, "unknown_language_prefix", False):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", settings.LANGUAGE_CODE)
            return response
        return super().process_response(request, response)


def _origin(url: str) -> str | None:
    """`https://media.example.org` for an absolute URL, None for a path."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own policy.

    Public pages get CONTENT_SECURITY_POLICY; paths under
    ADMIN_CONTENT_SECURITY_POLICY_PATHS get ADMIN_CONTENT_SECURITY_POLICY. A
    view's own `@csp_override` still wins. When media are served from another
    origin (an absolute MEDIA_URL), images may come from there too. Public
    pages may frame the hosts of the maps and videos editors can embed
    (EMBED_ALLOWED_HOSTS), and nothing else.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        media = _origin(settings.MEDIA_URL)
        self.extra_images = [media] if media else []
        self.admin_config = default_config(
            settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        )
        self.public_config = default_config(
            settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
        )
        for config in (self.admin_config, self.public_config):
            config["img-src"] = [*config["img-src"], *self.extra_images]
        # Wagtail renders a preview by sending a made-up request for the page's
        # public URL through the middleware, and shows the result in a frame of
        # the admin: the public policy, framed by this site only.
        self.preview_config = {**self.public_config, "frame-ancestors": ["'self'"]}

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if parts.config is None and not report_only:
            if getattr(request, "is_dummy", False):
                parts.config = self.preview_config
            elif request.path_info.startswith(
                tuple(settings.ADMIN_CONTENT_SECURITY_POLICY_PATHS)
            ):
                parts.config = self.admin_config
            else:
                parts.config = self.public_config
            if parts.config is not self.admin_config:
                # Read per request: the allowed hosts are a setting tests change.
                frames = embed_frame_sources()
                if frames:
                    parts.config = {**parts.config, "frame-src": frames}
        return parts


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every response, from PERMISSIONS_POLICY.

    `{"camera": []}` refuses the camera to the page and all its frames;
    `{"fullscreen": ["self"]}` would allow it to this origin only.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
