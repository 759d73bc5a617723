"""The site's chrome (settings and main menu) served from the cache.

Every public page shows the header, the menu and the footer; reading them from
the database costs two queries per request. They change rarely (an editor
saves the settings or publishes, moves or deletes a page), so they are cached
under a version number that those events bump. With a shared cache (Redis via
``REDIS_URL``) a change shows everywhere at once; with the per-process local
memory cache, other processes see it within ``CHROME_TIMEOUT`` seconds.
"""

import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

CHROME_TIMEOUT = 300
VERSION_KEY = "site-chrome:version"


def chrome_version() -> int:
    """The current version of the cached chrome (one cache read)."""
    return cache.get_or_set(VERSION_KEY, time.time_ns, timeout=None)


def chrome_key(*parts) -> str:
    return ":".join(["site-chrome", str(chrome_version()), *map(str, parts)])


def chrome_cached(*parts, compute):
    """The value cached under `parts` for the current version, else `compute()`.

    The key is read again after computing: creating the settings on first use
    bumps the version, and the fresh value belongs under the new one.
    """
    value = cache.get(chrome_key(*parts))
    if value is None:
        value = compute()
        cache.set(chrome_key(*parts), value, CHROME_TIMEOUT)
    return value


def invalidate_chrome(**kwargs) -> None:
    """Make every cached piece of chrome stale (a signal receiver too)."""
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        invalidate_chrome()


def connect_signals() -> None:
    """Called once from the app config: what changes the header or footer."""
    from site_config.models import (
        NavigationItem,
        SiteSettings,
        SiteSettingsTranslation,
    )

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(invalidate_chrome, dispatch_uid=f"chrome-{id(signal)}")
    post_delete.connect(_page_deleted, dispatch_uid="chrome-page-deleted")
    for model in (SiteSettings, NavigationItem, SiteSettingsTranslation):
        for signal in (post_save, post_delete):
            signal.connect(
                invalidate_chrome,
                sender=model,
                dispatch_uid=f"chrome-{model.__name__}-{id(signal)}",
            )
