"""Language handling of requests: Django's LocaleMiddleware, minus one redirect."""

import re

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

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
    if code in {code for code, _name in settings.LANGUAGES}:
        return False
    base = match.group(1).lower()
    return len(base) == 2 or match.group(2) is not None or code in LANG_INFO


class LocaleMiddleware(DjangoLocaleMiddleware):
    """An unknown language prefix (`/de/`, `/en-gb/`) is a 404 in the default language.

    Django's middleware would activate the browser's language and then answer
    the 404 with a redirect to `/en/de/`, a path Wagtail's catch-all accepts,
    so the reader lands on a second 404 (or, worse, on a page with that slug).
    """

    def process_request(self, request):
        if unknown_language_prefix(request.path_info):
            request.unknown_language_prefix = True
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return None
        return super().process_request(request)

    def process_response(self, request, response):
        if getattr(request, "unknown_language_prefix", False):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", settings.LANGUAGE_CODE)
            return response
        return super().process_response(request, response)
