"""Every page type in English, French and Swahili: lang, switcher, hreflang, UI text.

Plus the language prefix itself: an unknown one is a 404 in the default
language, never a redirect or a 500.
"""

import datetime
import re
from html.parser import HTMLParser

from django.utils import translation

import pytest

from tests.briefings.factories import BriefingIndexPageFactory, BriefingPageFactory
from tests.bulletins.factories import BulletinIndexPageFactory, BulletinPageFactory
from tests.publications.factories import (
    PublicationIndexPageFactory,
    PublicationPageFactory,
    VoicesSeriesPageFactory,
)
from tests.site_config.factories import (
    StandardPageFactory,
    home_page_make,
    locales_ensure,
)
from tests.utils.shared import rows_again
from theme.address import page_public_url

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "sw")
SKIP_LINK = {
    "en": "Skip to main content",
    "fr": "Aller au contenu principal",
    "sw": "Nenda kwenye maudhui makuu",
}
MARCH_2019 = {"en": "March 2019", "fr": "mars 2019", "sw": "Machi 2019"}


class _HeadAndSwitcher(HTMLParser):
    """The <html lang>, the head's hreflang links and the switcher's links."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.alternates: dict[str, str] = {}
        self.switcher: dict[str, dict] = {}
        self._in_switcher = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.alternates[attrs["hreflang"]] = attrs["href"]
        elif tag == "nav" and "language-switcher" in attrs.get("class", ""):
            self._in_switcher = True
        elif tag == "a" and self._in_switcher:
            self.switcher[attrs["hreflang"]] = attrs

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_switcher = False


def _parse(html: str) -> _HeadAndSwitcher:
    parser = _HeadAndSwitcher()
    parser.feed(html)
    return parser


def _translate(page, locale):
    """A published translation of `page` (and of any untranslated parent)."""
    translation_ = page.copy_for_translation(locale, copy_parents=True)
    translation_.title = f"{page.title} ({locale.language_code})"
    translation_.save_revision().publish()
    return translation_.specific


def rows_build() -> dict[str, dict[str, object]]:
    """One page of each type, live in en, fr and sw: {type: {lang: page}}."""
    locales = locales_ensure()
    home_page = home_page_make(locales)
    library = PublicationIndexPageFactory(parent=home_page)
    briefings = BriefingIndexPageFactory(parent=home_page)
    bulletins = BulletinIndexPageFactory(parent=home_page)
    english = {
        "home": home_page,
        "standard": StandardPageFactory(parent=home_page, title="About us"),
        "library": library,
        "publication": PublicationPageFactory(
            parent=library,
            title="Mapping mines",
            publication_date=datetime.date(2019, 3, 12),
        ),
        "voices series": VoicesSeriesPageFactory(parent=library, title="Voices"),
        "briefing archive": briefings,
        "briefing": BriefingPageFactory(
            parent=briefings,
            title="Briefing March",
            issue_date=datetime.date(2019, 3, 15),
        ),
        "bulletin archive": bulletins,
        "bulletin": BulletinPageFactory(
            parent=bulletins, title="Bulletin", issue_date=datetime.date(2019, 4, 30)
        ),
    }
    return {
        kind: {
            "en": page,
            **{code: _translate(page, locales[code]) for code in ("fr", "sw")},
        }
        for kind, page in english.items()
    }


@pytest.fixture
def pages(module_rows, db) -> dict[str, dict[str, object]]:
    return rows_again(module_rows)


@pytest.fixture
def home_page(pages):
    """The English home of the module's pages."""
    return pages["home"]["en"]


def _absolute(page) -> str:
    return page_public_url(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_renders_in_each_language_with_lang_switcher_and_hreflang(
    client, pages, language
):
    for kind, versions in pages.items():
        page = versions[language]
        response = client.get(page.url)

        assert response.status_code == 200, kind
        html = response.content.decode()
        found = _parse(html)
        assert found.lang == language, kind
        assert response.headers["Content-Language"] == language, kind
        assert SKIP_LINK[language] in html, kind
        assert {code: link["href"] for code, link in found.switcher.items()} == {
            code: versions[code].url for code in LANGUAGES
        }, kind
        assert found.switcher[language]["aria-current"] == "true", kind
        assert "language-switcher__link--home" not in html, kind
        assert found.alternates == {
            **{code: _absolute(versions[code]) for code in LANGUAGES},
            "x-default": _absolute(versions["en"]),
        }, kind


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_are_written_the_way_each_language_writes_them(client, pages, language):
    publication = client.get(pages["publication"][language].url).content.decode()
    briefing = client.get(pages["briefing"][language].url).content.decode()

    assert f'<time datetime="2019-03-12">{MARCH_2019[language]}</time>' in publication
    assert f'<time datetime="2019-03-15">{MARCH_2019[language]}</time>' in briefing


def test_swahili_uses_day_month_year_and_tanzanian_numbers():
    from django.utils import formats

    with translation.override("sw"):
        assert formats.date_format(datetime.date(2019, 3, 12)) == "12 Machi 2019"
        assert formats.number_format(1234567.5, 1, force_grouping=True) == (
            "1,234,567.5"
        )
    with translation.override("fr"):
        assert formats.date_format(datetime.date(2019, 3, 12)) == "12 mars 2019"


def test_page_without_translation_links_to_each_language_home(client, pages, home_page):
    only_english = StandardPageFactory(parent=home_page, title="Only in English")

    html = client.get(only_english.url).content.decode()
    found = _parse(html)

    assert found.lang == "en"
    assert found.switcher["en"]["href"] == only_english.url
    for code in ("fr", "sw"):
        link = found.switcher[code]
        assert link["href"] == pages["home"][code].url
        assert "language-switcher__link--home" in link["class"]
        assert "home page" in link["title"]
    assert html.count("(home page, no translation of this page)") == 2
    # No hreflang alternates for a page that exists in one language only.
    assert found.alternates == {}


def test_partly_translated_page_lists_only_its_translations_as_alternates(
    client, pages, home_page, locales
):
    english = StandardPageFactory(parent=home_page, title="Team")
    french = _translate(english, locales["fr"])

    found = _parse(client.get(french.url).content.decode())

    assert found.lang == "fr"
    assert found.alternates == {
        "en": page_public_url(english),
        "fr": page_public_url(french),
        "x-default": page_public_url(english),
    }
    assert found.switcher["sw"]["href"] == pages["home"]["sw"].url
    assert "Kiswahili" in found.switcher["sw"]["title"]


def test_language_links_cost_one_query_for_switcher_and_head_together(
    client, pages, django_assert_max_num_queries
):
    url = pages["standard"]["fr"].url
    client.get(url)  # warm the site and page caches
    with django_assert_max_num_queries(60) as counted:
        client.get(url)
    switcher_queries = [
        query
        for query in counted.captured_queries
        if "translation_key" in query["sql"] and "wagtailcore_locale" in query["sql"]
    ]
    assert len(switcher_queries) == 1


UNKNOWN_PREFIXES = [
    "/de/",
    "/xx/",
    "/en-gb/",
    "/EN/",
    "/pt_BR/",
    "/zz/publications/",
    "/de/about-us/",
    "/ast/",
    "/fr-ca/publications/",
]


@pytest.mark.parametrize("path", UNKNOWN_PREFIXES)
def test_unknown_language_prefix_is_a_not_found_page_in_english(
    client, home_page, path
):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr,sw;q=0.8")

    assert response.status_code == 404
    html = response.content.decode()
    assert _parse(html).lang == "en"
    assert response.headers["Content-Language"] == "en"
    assert "We could not find that page" in html
    assert 'href="/en/"' in html


def test_unknown_language_prefix_is_not_a_server_error(client, home_page):
    client.raise_request_exception = False

    assert client.get("/xx/?q=%00").status_code == 404


@pytest.mark.parametrize(
    ("path", "target"),
    [("/", "/fr/"), ("/about-us/", "/fr/about-us/"), ("/faq/", "/fr/faq/")],
)
def test_paths_without_a_language_still_redirect_by_browser_language(
    client, home_page, path, target
):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 302
    assert response.headers["Location"] == target


def test_not_found_page_inside_a_language_speaks_that_language(client, pages):
    assert pages["home"]["sw"].live
    response = client.get("/sw/hakuna-ukurasa/")

    assert response.status_code == 404
    html = response.content.decode()
    assert _parse(html).lang == "sw"
    assert "Hatukuweza kupata ukurasa huo" in html


@pytest.mark.parametrize(
    ("path", "unknown"),
    [
        ("/de/", True),
        ("/xx", True),
        ("/en-GB/", True),
        ("/ast/", True),
        ("/en/", False),
        ("/sw/habari/", False),
        ("/faq/", False),
        ("/api/v2/pages/", False),
        ("/admin/", False),
        ("/django-admin/", False),
        ("/sitemap.xml", False),
        ("/robots.txt", False),
        ("/documents/1/report.pdf", False),
    ],
)
def test_unknown_language_prefix_detection(path, unknown):
    from site_config.middleware import unknown_language_prefix

    assert unknown_language_prefix(path) is unknown


def test_sitemap_pairs_every_page_with_its_translations(client, pages):
    xml = client.get("/sitemap.xml").content.decode()

    for versions in pages.values():
        for code in LANGUAGES:
            link = (
                f'<xhtml:link rel="alternate" hreflang="{code}" '
                f'href="{_absolute(versions[code])}"'
            )
            assert xml.count(link) == 3, link
    assert xml.count('hreflang="x-default"') == 3 * len(pages)


def test_language_names_are_written_in_their_own_language(client, pages):
    html = client.get(pages["home"]["fr"].url).content.decode()
    switcher = _parse(html).switcher

    assert re.search(r">English<", html)
    assert {code: link["lang"] for code, link in switcher.items()} == {
        "en": "en",
        "fr": "fr",
        "sw": "sw",
    }
    assert ">français<" in html and ">Kiswahili<" in html
