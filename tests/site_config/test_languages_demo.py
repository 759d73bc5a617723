"""The demo read in French and Swahili: no English page where a translation
exists, and none of the site's own texts left in English."""

import html
import re
from urllib.parse import urlsplit

import pytest

from briefings.newsletter.demo import DEMO_LISTS
from site_config.demo import facts
from tests.utils.demo_snapshot import demo_lent

pytestmark = pytest.mark.django_db

READER_LANGUAGES = ("fr", "sw")

# Texts of ours that a French or Swahili reader must never meet in English.
ENGLISH_TEXTS = [
    "Our research",
    "Our team",
    "Civilians and arms",
    "Our publications",
    "Read with our map",
    "Board member",
    "Associate researcher",
    facts.TAGLINE,
    facts.FOOTER_TEXT,
    *(
        fields["name"]
        for fields in DEMO_LISTS
        if fields["name"] != "Arms Trade Bulletin"
    ),
    *(fields["description"] for fields in DEMO_LISTS),
]

HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture(scope="module")
def demo_pages(demo_copies, django_db_blocker):
    """The demo lent to the module: {language: [live page urls]} and
    {url path: (translation key, language)} of every live page."""
    from wagtail.models import Page

    with django_db_blocker.unblock(), demo_lent():
        pages = list(Page.objects.live().filter(depth__gt=1).select_related("locale"))
        by_path = {}
        urls = {code: [] for code in READER_LANGUAGES}
        for page in pages:
            url = page.get_url()
            if url is None:
                continue
            by_path[url] = (page.translation_key, page.locale.language_code)
            if page.locale.language_code in urls:
                urls[page.locale.language_code].append(url)
        yield urls, by_path


def _body(page_html: str) -> str:
    """The page's body without the language switcher, which links every language
    on purpose."""
    body = page_html.split("<body", 1)[1]
    return re.sub(r'<nav class="language-switcher".*?</nav>', "", body, flags=re.DOTALL)


def _reader_pages(client, urls, language):
    for url in [*urls[language], f"/{language}/newsletter/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        yield url, _body(response.content.decode())


@pytest.mark.parametrize("language", READER_LANGUAGES)
def test_no_page_links_to_english_where_a_translation_exists(
    client, demo_pages, language
):
    urls, by_path = demo_pages
    translated = {key for key, code in by_path.values() if code == language}
    assert len(urls[language]) >= 12  # research, team, programmes, archives…
    wrong = []
    for url, body in _reader_pages(client, urls, language):
        for href in HREF.findall(body):
            path = urlsplit(html.unescape(href)).path
            target = by_path.get(path)
            if target and target[1] == "en" and target[0] in translated:
                wrong.append((url, path))
    assert wrong == []


@pytest.mark.parametrize("language", READER_LANGUAGES)
def test_no_fixed_text_of_ours_is_shown_in_english(client, demo_pages, language):
    urls, _by_path = demo_pages
    found = []
    for url, body in _reader_pages(client, urls, language):
        text = html.unescape(body)
        found += [(url, english) for english in ENGLISH_TEXTS if english in text]
    assert found == []


def test_menu_tagline_and_lists_are_in_the_readers_language(client, demo_pages):
    french = client.get("/fr/").content.decode()
    nav = french.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/fr/recherche/">Nos recherches<' in nav
    assert 'href="/fr/equipe/">Notre équipe<' in nav
    assert 'href="/fr/briefing/">Briefing<' in nav
    assert "Recherche indépendante pour la paix" in french
    assert "Briefing mensuel" in french
    assert 'id="programmes-title">Nos recherches<' in french
    swahili = client.get("/sw/newsletter/").content.decode()
    assert "Briefing ya kila mwezi" in swahili
    assert "Utafiti huru kwa ajili ya amani" in swahili


def test_french_library_names_countries_in_french(client, demo_pages):
    page = client.get("/fr/publications/?language=en&language=fr")
    text = html.unescape(page.content.decode())
    assert "République démocratique du Congo" in text
    assert "Democratic Republic of the Congo" not in text
    assert len(re.findall(r'name="country" value="CD"', text)) == 1
