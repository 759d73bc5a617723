"""Page localisation helpers that stay at a constant number of queries."""

from collections.abc import Iterable

from wagtail.models import Locale, Page


def pages_localized(pages: Iterable[Page], *, locale: Locale) -> dict[int, Page]:
    """Map each page's id to its live translation in `locale`, or to itself.

    One query whatever the number of pages, where `page.localized` costs one each.
    """
    pages = [page for page in pages if page is not None]
    missing = {page.translation_key for page in pages if page.locale_id != locale.pk}
    translations = {}
    if missing:
        translations = {
            page.translation_key: page
            for page in Page.objects.live()
            .filter(translation_key__in=missing, locale=locale)
            .only("id", "title", "url_path", "translation_key", "locale_id", "depth")
        }
    return {
        page.pk: translations.get(page.translation_key, page)
        if page.locale_id != locale.pk
        else page
        for page in pages
    }
