"""The XML sitemap: every live public page in every language, with hreflang links."""

from collections import defaultdict
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale, Page

from theme.address import page_public_url


class MultilingualSitemap(Sitemap):
    """Wagtail's sitemap over all language trees of the site, not only the root's.

    Each page lists its live public translations (itself included) as
    `<xhtml:link rel="alternate" hreflang=…>`, plus `x-default` pointing at the
    default language's version. Queries stay constant in the number of pages:
    one for the translations of a whole sitemap page, one for the locales.
    """

    def _language_roots_q(self) -> Q:
        """Pages under the site's root page or any of its translations."""
        if not hasattr(self, "_roots_q"):
            root = self.get_wagtail_site().root_page
            roots = [root, *root.get_translations()]
            self._roots_q = reduce(
                or_, (Q(path__startswith=page.path) for page in roots)
            )
        return self._roots_q

    def items(self):
        return (
            Page.objects.live()
            .public()
            .filter(self._language_roots_q())
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        alternates = self._alternates_by_translation_key(pages)
        urls = []
        last_mods = set()
        for item in pages:
            own_url = item.get_full_url(self.request)
            public = page_public_url(item, self.request)
            for url_info in item.get_sitemap_urls(self.request):
                if url_info.get("location") == own_url:
                    # Wagtail names the Site's host; links name BASE_URL.
                    url_info = {**url_info, "location": public}
                languages = alternates.get(item.translation_key, [])
                translated = sum(
                    entry["lang_code"] != "x-default" for entry in languages
                )
                if url_info.get("location") == public and translated > 1:
                    url_info = {**url_info, "alternates": languages}
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        # As Wagtail's: the Last-Modified header only when every URL has a date.
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls

    def _alternates_by_translation_key(self, pages: list[Page]) -> dict:
        """Map each translation key to its `{"lang_code", "location"}` entries."""
        codes = dict(Locale.objects.values_list("pk", "language_code"))
        translations = (
            Page.objects.live()
            .public()
            .filter(translation_key__in={page.translation_key for page in pages})
            .filter(self._language_roots_q())
            .only("id", "url_path", "translation_key", "locale_id", "depth", "path")
        )
        order = {code: index for index, (code, _name) in enumerate(settings.LANGUAGES)}
        alternates = defaultdict(list)
        for translation in sorted(
            translations, key=lambda page: order.get(codes[page.locale_id], len(order))
        ):
            code = codes[translation.locale_id]
            location = page_public_url(translation, self.request)
            if location is None:  # not routable on any site
                continue
            alternates[translation.translation_key].append(
                {"lang_code": code, "location": location}
            )
        for entries in alternates.values():
            default = [e for e in entries if e["lang_code"] == settings.LANGUAGE_CODE]
            if default:
                location = default[0]["location"]
                entries.append({"lang_code": "x-default", "location": location})
        return alternates
