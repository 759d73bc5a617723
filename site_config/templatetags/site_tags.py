"""Site-wide template tags: main navigation and the language switcher."""

from django import template
from django.conf import settings
from django.utils.translation import get_language_info

from wagtail.models import Locale, Page, Site

from site_config.chrome import chrome_cached
from site_config.models import SiteSettings
from theme.address import page_public_url
from theme.i18n import pages_localized
from theme.translations import live_versions

register = template.Library()


def _active_locale(context) -> Locale:
    page = context.get("page")
    if isinstance(page, Page):
        return page.locale
    return Locale.get_active()


def _menu_entries(request, site_settings, locale: Locale) -> list[dict]:
    items = list(site_settings.navigation_items.select_related("page"))
    localized = pages_localized([item.page for item in items], locale=locale)
    entries = []
    for item in items:
        page = localized[item.page_id]
        same_language = page.locale_id == item.page.locale_id
        entries.append(
            {
                "label": (item.label if same_language and item.label else page.title),
                "url": page.get_url(request=request),
                "url_path": page.url_path,
            }
        )
    return entries


@register.simple_tag(takes_context=True)
def main_navigation(context) -> list[dict]:
    """The menu items of the site settings, each in the reader's language.

    Cached per site and language (see site_config.chrome); no query when warm.
    """
    request = context.get("request")
    if request is None:
        return []
    site_settings = SiteSettings.for_request(request)
    locale = _active_locale(context)
    entries = chrome_cached(
        "menu",
        site_settings.site_id,
        locale.language_code,
        compute=lambda: _menu_entries(request, site_settings, locale),
    )
    current = context.get("page")
    current_path = current.url_path if isinstance(current, Page) else None
    return [
        {
            **entry,
            "is_current": current_path is not None
            and current_path.startswith(entry["url_path"]),
        }
        for entry in entries
    ]


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language: the same page where translated, else that home page.

    One query: the live translations of this page and of the site's home page,
    made once per request and page (the head's hreflang links reuse it).
    """
    request = context.get("request")
    page = context.get("page")
    active = _active_locale(context)
    if context.get("language_versions") is not None:
        # A page's sub-route with language versions of its own (a person's
        # page in each library), which the page's translations are not.
        return _links_from_versions(context["language_versions"], active)
    cache_key = (page.pk if isinstance(page, Page) else None, active.pk)
    cache = getattr(request, "_language_links", None) if request else None
    if cache is not None and cache_key in cache:
        return cache[cache_key]
    site = Site.find_for_request(request) if request else None
    page_key = page.translation_key if isinstance(page, Page) else None
    translations, homes = {}, {}
    for candidate in live_versions(page_key=page_key, site=site, request=request):
        found = translations if candidate.translation_key == page_key else homes
        found[candidate.locale.language_code] = candidate
    links = []
    for code, _name in settings.LANGUAGES:
        target = translations.get(code) or homes.get(code)
        if target is None:
            continue
        links.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": target.get_url(request=request),
                "full_url": page_public_url(target, request),
                "is_current": code == active.language_code,
                "is_translation": code in translations,
            }
        )
    if request is not None:
        request._language_links = {**(cache or {}), cache_key: links}
    return links


def _links_from_versions(versions, active: Locale) -> list[dict]:
    """Language links from (code, url, full_url) versions, in the site's order."""
    by_code = {version.code: version for version in versions}
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": by_code[code].url,
            "full_url": by_code[code].full_url,
            "is_current": code == active.language_code,
            "is_translation": True,
        }
        for code, _name in settings.LANGUAGES
        if code in by_code
    ]


@register.simple_tag(takes_context=True)
def hreflang_alternates(context) -> list[dict]:
    """`<link rel="alternate" hreflang>` entries: live translations of this page.

    Empty unless the page exists in more than one language; `x-default` points
    at the default language's version when there is one.
    """
    if not isinstance(context.get("page"), Page):
        return []
    translated = [
        link
        for link in language_links(context)
        if link["is_translation"] and link["full_url"]
    ]
    if len(translated) < 2:
        return []
    alternates = [
        {"hreflang": link["code"], "href": link["full_url"]} for link in translated
    ]
    alternates += [
        {"hreflang": "x-default", "href": link["full_url"]}
        for link in translated
        if link["code"] == settings.LANGUAGE_CODE
    ]
    return alternates
