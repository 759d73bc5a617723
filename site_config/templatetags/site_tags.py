"""Site-wide template tags: main navigation and the language switcher."""

from django import template
from django.conf import settings
from django.utils.translation import get_language_info

from wagtail.models import Locale, Page, Site

from site_config.models import SiteSettings
from theme.i18n import pages_localized

register = template.Library()


def _active_locale(context) -> Locale:
    page = context.get("page")
    if isinstance(page, Page):
        return page.locale
    return Locale.get_active()


@register.simple_tag(takes_context=True)
def main_navigation(context) -> list[dict]:
    """The menu items of the site settings, each in the reader's language."""
    request = context.get("request")
    if request is None:
        return []
    site_settings = SiteSettings.for_request(request)
    items = list(site_settings.navigation_items.select_related("page"))
    locale = _active_locale(context)
    localized = pages_localized([item.page for item in items], locale=locale)
    current = context.get("page")
    current_path = current.url_path if isinstance(current, Page) else None
    entries = []
    for item in items:
        page = localized[item.page_id]
        same_language = page.locale_id == item.page.locale_id
        entries.append(
            {
                "label": (item.label if same_language and item.label else page.title),
                "url": page.get_url(request=request),
                "is_current": current_path is not None
                and current_path.startswith(page.url_path),
            }
        )
    return entries


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language: the same page where translated, else that home page."""
    request = context.get("request")
    page = context.get("page")
    active = _active_locale(context)
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    translations = {}
    if isinstance(page, Page):
        translations = {
            translation.locale_id: translation
            for translation in page.get_translations(inclusive=True)
            .live()
            .only("id", "url_path", "locale_id", "translation_key", "depth")
        }
    homes = {}
    site = Site.find_for_request(request) if request else None
    if site is not None and len(translations) < len(locales):
        homes = {
            home.locale_id: home
            for home in Page.objects.live()
            .filter(translation_key=site.root_page.translation_key)
            .only("id", "url_path", "locale_id", "translation_key", "depth")
        }
    links = []
    for code, _name in settings.LANGUAGES:
        locale = locales.get(code)
        if locale is None:
            continue
        target = translations.get(locale.pk)
        is_translation = target is not None
        if target is None:
            target = homes.get(locale.pk)
        if target is None:
            continue
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": target.get_url(request=request),
                "is_current": locale.pk == active.pk,
                "is_translation": is_translation,
            }
        )
    return links
