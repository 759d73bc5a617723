"""Purging the front cache (Varnish, a CDN) when content changes.

Pages are cached whole for anonymous readers (`site_config/caching.py`), so
when an editor publishes, unpublishes, moves or deletes a page, every cached
URL that shows it is purged: the page and its translations, the listings
above each (their feeds too), the home page of every language, the site's
digest feeds and the sitemap. Wagtail's frontend-cache backends do the
purging (`WAGTAILFRONTENDCACHE`, set from `FRONTEND_CACHE_URL`), through a
task, so a slow cache never holds up the editor.
"""

from django.conf import settings
from django.db.models.signals import pre_delete
from django.urls import reverse
from django.utils import translation

from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import Page, Site
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    pre_page_move,
)

LISTING_PATHS = ("", "feed/", "feed/atom/")


def _site_urls() -> list[str]:
    """The home page of every language, the digest feeds and the sitemap."""
    urls = []
    for site in Site.objects.select_related("root_page"):
        root = site.root_url.rstrip("/")
        urls.append(f"{root}/")
        urls.append(f"{root}/sitemap.xml")
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                urls.append(f"{root}/{code}/")
                urls.append(root + reverse("briefings_feed"))
                urls.append(root + reverse("bulletins_feed"))
    return urls


def page_purge_urls(page: Page) -> list[str]:
    """Every cached URL that may show `page` (see the module docstring)."""
    urls: list[str] = []
    pages = [page, *page.get_translations().exclude(pk=page.pk)]
    for one in pages:
        url = one.get_full_url()
        if url is None:
            continue
        urls.extend(
            url + path.lstrip("/") for path in one.specific_deferred.get_cached_paths()
        )
        for listing in one.get_ancestors().filter(depth__gt=2):
            listing_url = listing.get_full_url()
            if listing_url:
                urls.extend(listing_url + path for path in LISTING_PATHS)
    urls.extend(_site_urls())
    return list(dict.fromkeys(urls))


def _purge(page: Page) -> None:
    if settings.WAGTAILFRONTENDCACHE:
        purge_urls_from_cache(page_purge_urls(page))


def _published_or_unpublished(instance, **kwargs):
    _purge(instance)


def _before_move(instance, **kwargs):
    # Where it was, before the move changes its URL.
    if settings.WAGTAILFRONTENDCACHE:
        instance._purge_before_move = page_purge_urls(instance)


def _after_move(instance, **kwargs):
    if settings.WAGTAILFRONTENDCACHE:
        before = getattr(instance, "_purge_before_move", [])
        purge_urls_from_cache(
            list(dict.fromkeys([*before, *page_purge_urls(instance)]))
        )


def _before_delete(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.live:
        _purge(instance)


def purge_signals_connect() -> None:
    """Connected once, from the app's ready()."""
    page_published.connect(_published_or_unpublished, dispatch_uid="purge_published")
    page_unpublished.connect(
        _published_or_unpublished, dispatch_uid="purge_unpublished"
    )
    pre_page_move.connect(_before_move, dispatch_uid="purge_before_move")
    post_page_move.connect(_after_move, dispatch_uid="purge_after_move")
    pre_delete.connect(_before_delete, dispatch_uid="purge_before_delete")
