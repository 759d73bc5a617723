"""What shared caches (Varnish, a CDN) and browsers may keep of a response.

A page an anonymous reader gets is the same for every anonymous reader, so it
is marked `public`: browsers keep it `PUBLIC_CACHE_BROWSER_SECONDS`, shared
caches `PUBLIC_CACHE_SHARED_SECONDS` (a day when a front cache is purged on
publish, `FRONTEND_CACHE_URL`; five minutes otherwise). Nothing else is marked
public: a response that sets a cookie, any response to a request carrying a
session cookie or credentials (an editor, a partner, a reader of a restricted
page), the admin, files (served after their own privacy check), and views that
chose their own `Cache-Control` (a subscriber's token pages say `no-store`).

The read-only API (/api/v2/) answers the same to everyone (it reads no
session), so its JSON is public too; shared caches keep it at most
`PUBLIC_CACHE_API_SHARED_SECONDS`, because a publish purges a page's own URLs
but not the many API queries that may list it.

For that to cover the home page, no public page sets a cookie for an
anonymous reader: the subscription form carries no CSRF token (see
`briefings.newsletter.views.subscribe` for what protects it instead).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

CACHEABLE_STATUSES = {200, 203, 300, 301, 404, 410}
CACHEABLE_TYPES = (
    "text/html",
    "text/plain",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/json",
)


def _anonymous(request: HttpRequest) -> bool:
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def response_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether every anonymous reader may be given this same response."""
    return (
        request.method in ("GET", "HEAD")
        and _anonymous(request)
        and response.status_code in CACHEABLE_STATUSES
        and not response.has_header("Cache-Control")
        and not response.cookies
        and response.get("Content-Type", "").startswith(CACHEABLE_TYPES)
        and (
            not response.get("Content-Type", "").startswith("application/json")
            or request.path_info.startswith(settings.PUBLIC_CACHE_API_PATH)
        )
        and not request.path_info.startswith(settings.PUBLIC_CACHE_EXCLUDED_PATHS)
    )


class PublicCacheMiddleware:
    """Marks the responses every anonymous reader shares as `public`.

    Placed above the session and CSRF middleware, so it sees the cookies and
    headers they add.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response_cacheable(request, response):
            patch_cache_control(
                response,
                public=True,
                max_age=settings.PUBLIC_CACHE_BROWSER_SECONDS,
                s_maxage=(
                    settings.PUBLIC_CACHE_API_SHARED_SECONDS
                    if request.path_info.startswith(settings.PUBLIC_CACHE_API_PATH)
                    else settings.PUBLIC_CACHE_SHARED_SECONDS
                ),
            )
        elif not _anonymous(request) and not response.has_header("Cache-Control"):
            # A signed-in person's answer: never kept by a shared cache.
            patch_cache_control(response, private=True)
        return response
