"""The live language versions of a page, read once per request.

The header's language links, the head's hreflang links and a publication's
schema.org translations all need the same rows: one query fetches the live
translations of a page and of the site's home page, and the request keeps it.
"""

from django.db.models import Q
from django.http import HttpRequest

from wagtail.models import Page, Site


def live_versions(
    *, page_key, site: Site | None, request: HttpRequest | None
) -> list[Page]:
    """Live pages sharing `page_key`, or the translation key of the site's root.

    Pages come with their locale and the fields their URL needs, by id.
    """
    cache_key = (page_key, site.pk if site is not None else None)
    cache = getattr(request, "_live_versions", None) if request else None
    if cache is not None and cache_key in cache:
        return cache[cache_key]
    wanted = Q(pk__in=[])
    if page_key:
        wanted |= Q(translation_key=page_key)
    if site is not None:
        wanted |= Q(
            translation_key__in=Page.objects.filter(pk=site.root_page_id).values(
                "translation_key"
            )
        )
    versions = list(
        Page.objects.live()
        .filter(wanted)
        .select_related("locale")
        .only(
            "id",
            "title",
            "url_path",
            "locale__language_code",
            "translation_key",
            "depth",
        )
        .order_by("pk")
    )
    if request is not None:
        request._live_versions = {**(cache or {}), cache_key: versions}
    return versions
