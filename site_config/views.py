"""Thin views: search, suggestions, robots.txt, 404 (work in `site_config.search`)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from wagtail.models import Locale

from publications.models import PublicationIndexPage
from site_config.search import search_suggestions, site_search
from theme.address import public_url

SEARCH_RESULTS_PER_PAGE = 20


@require_safe
def search(request: HttpRequest) -> TemplateResponse:
    """Search the live public pages in the language of the URL."""
    results = site_search(
        query=request.GET.get("q", ""),
        locale=Locale.get_active(),
        page_number=request.GET.get("page"),
        per_page=SEARCH_RESULTS_PER_PAGE,
    )
    # Page links carry the cleaned query only, never the other parameters.
    query_params = QueryDict(mutable=True)
    query_params["q"] = results.query
    return TemplateResponse(
        request,
        "site_config/search.html",
        {"search": results, "query_params": query_params},
    )


@require_safe
def search_suggest(request: HttpRequest) -> JsonResponse:
    """Titles for the header search's suggestions, as JSON, for everyone alike.

    The answer depends on the address only (live public pages of the URL's
    language), so shared caches and browsers may keep it like a public page:
    a reader typing sends a request per pause, and most are served by the
    cache in front (the script also keeps answers it already has).
    """
    suggestions = search_suggestions(
        query=request.GET.get("q", ""), locale=Locale.get_active(), request=request
    )
    response = JsonResponse(
        {"suggestions": [{"title": s.title, "url": s.url} for s in suggestions]}
    )
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PUBLIC_CACHE_BROWSER_SECONDS,
        s_maxage=settings.PUBLIC_CACHE_SHARED_SECONDS,
    )
    return response


ROBOTS_TXT = """\
User-agent: *
Disallow: /admin/
Disallow: /django-admin/
Disallow: /*/search/
Allow: /

Sitemap: {sitemap_url}
"""


@require_safe
@cache_control(max_age=24 * 60 * 60, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawl everything public but the admin and search pages; name the sitemap."""
    sitemap_url = public_url(reverse("sitemap"))
    return HttpResponse(
        ROBOTS_TXT.format(sitemap_url=sitemap_url),
        content_type="text/plain; charset=utf-8",
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page in the language of the address, with search and the library.

    An address under /fr/ or /sw/ is answered in that language even when the
    exception was raised before or outside the view that would have set it.
    """
    # Only an exact prefix: /fr-ca/ is unknown, answered in the default language.
    language = request.path_info.split("/", 2)[1]
    if language in dict(settings.LANGUAGES):
        translation.activate(language)
        request.LANGUAGE_CODE = language
    code = translation.get_language()
    library = (
        PublicationIndexPage.objects.live().filter(locale__language_code=code).first()
    )
    return render(
        request,
        "404.html",
        {"library_url": library.get_url(request=request) if library else ""},
        status=404,
    )
