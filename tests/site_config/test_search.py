"""Site-wide search: the service, the highlighting and the /<lang>/search/ page."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from wagtail.fields import RichTextField
from wagtail.models import PageViewRestriction

import pytest

from site_config.search import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    page_excerpt_text,
    search_query_clean,
    search_terms,
    site_search,
    text_excerpt,
    text_highlight,
)
from tests.site_config.factories import StandardPageFactory
from tests.utils.tools import PROJECT_ROOT

pytestmark = pytest.mark.django_db

XSS_PAYLOADS = PROJECT_ROOT.parent / "shared" / "corpora" / "xss_payloads.json"


def xss_payloads() -> list[str]:
    if not Path(XSS_PAYLOADS).is_file():
        pytest.skip(
            f"The XSS corpus is absent ({XSS_PAYLOADS}): these tests need "
            "../shared/corpora/xss_payloads.json beside the project."
        )
    return json.loads(Path(XSS_PAYLOADS).read_text(encoding="utf-8"))


def _published(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _translate(page, locale, **fields):
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    return _published(translated)


def _unmarked(html: str) -> str:
    return html.replace("<mark>", "").replace("</mark>", "")


class _ActiveMarkup(HTMLParser):
    """Collects what a browser would run or load from a document."""

    DANGEROUS_TAGS = frozenset({"script", "iframe", "object", "embed", "frame", "base"})
    URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href"})
    # The site's own scripts, loaded from its static files: the header search's.
    OWN_SCRIPTS = frozenset({"/static/theme/js/search-suggest.js"})

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("src") in self.OWN_SCRIPTS:
            return
        if tag in self.DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if (
                name in self.URL_ATTRIBUTES
                and value
                and re.match(r"\s*(javascript|vbscript|data):", value, re.I)
            ):
                self.found.append(f"{tag}[{name}={value[:40]}]")


def active_markup(html: str) -> list[str]:
    parser = _ActiveMarkup()
    parser.feed(html)
    return parser.found


# --- cleaning the query -----------------------------------------------------


def test_query_loses_control_characters_and_nul_bytes():
    assert search_query_clean("mines\x00 and\x07\tarmed\u200b groups\r\n") == (
        "mines and armed groups"
    )


def test_query_is_capped_at_the_maximum_length():
    cleaned = search_query_clean("conflict " * 2000)

    assert len(cleaned) <= MAX_QUERY_LENGTH
    assert cleaned.startswith("conflict conflict")


def test_terms_are_words_without_punctuation_or_repeats():
    assert search_terms('"Gold" OR gold; DROP TABLE--  (mines)* ...') == (
        "Gold",
        "OR",
        "DROP",
        "TABLE",
        "mines",
    )


def test_only_punctuation_gives_no_terms():
    assert search_terms("!!! ... --- ''' \"\" ;;") == ()


def test_terms_are_capped():
    assert len(search_terms(" ".join(f"word{n}" for n in range(50)))) == MAX_TERMS


def test_terms_keep_accented_and_non_latin_words():
    assert search_terms("sécurité, amani; мир") == ("sécurité", "amani", "мир")


# --- highlighting -----------------------------------------------------------


def test_highlight_marks_whole_words_ignoring_case():
    html = text_highlight("Gold mines and goldsmiths: GOLD.", ("gold",))

    assert html == "<mark>Gold</mark> mines and goldsmiths: <mark>GOLD</mark>."


def test_highlight_escapes_the_text_around_the_marks():
    html = text_highlight('Arms & <b>"ammunition"</b>', ("arms",))

    assert html == ("<mark>Arms</mark> &amp; &lt;b&gt;&quot;ammunition&quot;&lt;/b&gt;")


def test_highlight_never_marks_inside_an_entity():
    # Escaping first and matching afterwards would turn &amp; into &<mark>amp</mark>;
    html = text_highlight("Tom & Jerry quot amp", ("amp", "quot", "lt"))

    assert html == "Tom &amp; Jerry <mark>quot</mark> <mark>amp</mark>"


def test_highlight_without_terms_only_escapes():
    assert text_highlight("<i>x</i>", ()) == "&lt;i&gt;x&lt;/i&gt;"


def test_highlight_reflects_no_xss_payload_unescaped():
    for payload in xss_payloads():
        for text, query in ((payload, "script alert img svg"), ("alert", payload)):
            html = text_highlight(text, search_terms(search_query_clean(query)))

            assert "<" not in _unmarked(html), (payload, html)
            assert not active_markup(html), payload


# --- excerpts ---------------------------------------------------------------


def test_short_excerpt_is_the_whole_text():
    assert text_excerpt("Mines in eastern Congo.", ("congo",)) == (
        "Mines in eastern Congo."
    )


def test_long_excerpt_centres_on_a_late_match():
    text = " ".join(["filler"] * 100) + " the cobalt supply chain " + "end " * 50

    excerpt = text_excerpt(text, ("cobalt",), length=120)

    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert "cobalt" in excerpt
    assert len(excerpt) <= 124


def test_long_excerpt_without_a_match_starts_at_the_beginning():
    excerpt = text_excerpt("word " * 200, (), length=50)

    assert excerpt.startswith("word") and excerpt.endswith(" …")


def test_excerpt_prefers_the_search_description(home_page):
    page = StandardPageFactory(
        parent=home_page, intro="The intro.", search_description="The summary."
    )

    assert page_excerpt_text(page) == "The summary."
    page.search_description = ""
    assert page_excerpt_text(page) == "The intro."


def test_excerpt_from_rich_text_is_plain_text():
    page = SimpleNamespace(
        search_description="",
        intro=None,
        summary="<p>Mines &amp; <b>minerals</b></p>\n<p>in Ituri</p>",
        _meta=SimpleNamespace(get_field=lambda name: RichTextField()),
    )

    assert page_excerpt_text(page) == "Mines & minerals in Ituri"


def _no_such_field(name):
    raise FieldDoesNotExist(name)


def test_excerpt_skips_empty_rich_text_and_keeps_plain_text_as_text():
    page = SimpleNamespace(
        search_description="",
        intro="<p> </p>",
        summary="Tin & <b>tantalum</b>",
        _meta=SimpleNamespace(
            get_field=lambda name: (
                RichTextField() if name == "intro" else _no_such_field(name)
            )
        ),
    )

    assert page_excerpt_text(page) == "Tin & <b>tantalum</b>"
    assert text_highlight(page_excerpt_text(page), ("tin",)) == (
        "<mark>Tin</mark> &amp; &lt;b&gt;tantalum&lt;/b&gt;"
    )


# --- the service ------------------------------------------------------------


def test_search_finds_live_public_pages_of_the_locale_only(home_page, locales):
    live = _published(StandardPageFactory(parent=home_page, title="Cobalt mining"))
    StandardPageFactory(parent=home_page, title="Cobalt draft", live=False)
    unpublished = _published(StandardPageFactory(parent=home_page, title="Cobalt old"))
    unpublished.unpublish()
    private = _published(StandardPageFactory(parent=home_page, title="Cobalt secret"))
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    StandardPageFactory(parent=private, title="Cobalt under a private page")
    french_home = _translate(home_page, locales["fr"], title="Accueil")
    StandardPageFactory(parent=french_home, title="Cobalt en français")

    results = site_search(query="cobalt", locale=locales["en"], page_number=1)

    assert [hit.page.pk for hit in results.hits] == [live.pk]
    assert results.total == 1


def test_search_in_french_finds_french_pages(home_page, locales):
    StandardPageFactory(parent=home_page, title="Cobalt in English")
    french_home = _translate(home_page, locales["fr"], title="Accueil")
    french = StandardPageFactory(parent=french_home, title="Le cobalt congolais")

    results = site_search(query="cobalt", locale=locales["fr"], page_number=1)

    assert [hit.page.pk for hit in results.hits] == [french.pk]


def test_search_needs_every_word(home_page, locales):
    both = StandardPageFactory(parent=home_page, title="Gold and diamonds")
    StandardPageFactory(parent=home_page, title="Gold only")

    results = site_search(query="gold diamonds", locale=locales["en"], page_number=1)

    assert [hit.page.pk for hit in results.hits] == [both.pk]


def test_search_ranks_a_title_match_above_a_passing_mention(home_page, locales):
    StandardPageFactory(
        parent=home_page,
        title="Annual report",
        intro="Among many other subjects, tin appears once in this long text "
        "about the institute, its staff, its partners and its funders.",
    )
    titled = StandardPageFactory(parent=home_page, title="Tin", intro="Tin tin.")

    results = site_search(query="tin", locale=locales["en"], page_number=1)

    assert results.hits[0].page.pk == titled.pk
    assert results.total == 2


def test_hits_carry_type_date_and_highlighted_excerpt(home_page, locales):
    page = _published(
        StandardPageFactory(
            parent=home_page,
            title="Artisanal mining",
            intro="Artisanal diggers in Ituri.",
        )
    )

    (hit,) = site_search(query="artisanal", locale=locales["en"], page_number=1).hits

    assert hit.page.specific_class is type(page)
    assert hit.title == "<mark>Artisanal</mark> mining"
    assert hit.type_label == "Standard page"
    assert hit.date is None and hit.date_label == ""  # a page has no date of its own
    assert hit.excerpt == "<mark>Artisanal</mark> diggers in Ituri."


def test_empty_or_wordless_query_runs_no_search(locales, django_assert_num_queries):
    with django_assert_num_queries(0):
        empty = site_search(query="   ", locale=locales["en"], page_number=1)
        wordless = site_search(query="?!…", locale=locales["en"], page_number=1)

    assert not empty.searched and empty.query == "" and empty.hits == []
    assert not wordless.searched and wordless.query == "?!…"
    assert empty.total == 0 and empty.page_range == []


@pytest.fixture
def many_pages(home_page):
    return [
        StandardPageFactory(parent=home_page, title=f"Ceasefire report {n}")
        for n in range(45)
    ]


@pytest.mark.parametrize(
    ("page_number", "expected_number"),
    [(1, 1), ("2", 2), ("abc", 1), (None, 1), ("999999", 3), ("-1", 3), ("0", 3)],
)
def test_pages_of_twenty_and_out_of_range_numbers(
    many_pages, locales, page_number, expected_number
):
    results = site_search(
        query="ceasefire", locale=locales["en"], page_number=page_number
    )

    assert results.total == 45
    assert results.page_obj.number == expected_number
    assert len(results.hits) == (5 if expected_number == 3 else 20)


# --- the page ---------------------------------------------------------------


def test_search_url_is_language_prefixed():
    for code in ("en", "fr", "sw"):
        with translation.override(code):
            assert reverse("search") == f"/{code}/search/"


def test_results_page_links_highlights_and_is_not_indexed(client, home_page):
    page = _published(
        StandardPageFactory(
            parent=home_page, title="Mercury in gold mines", intro="Mercury use."
        )
    )

    response = client.get("/en/search/", {"q": "mercury"})
    html = response.content.decode()

    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in html
    assert (
        f'<a class="search-result__link" href="{page.url}"><mark>Mercury</mark> in gold'
        in html
    )
    assert "<mark>Mercury</mark> use." in html
    assert "1 result for “mercury”" in html
    # A plain page has no date of its own; when it went live is not one.
    assert '<time datetime="' not in html


def test_empty_query_shows_a_friendly_page_with_the_form(client, home_page):
    response = client.get("/en/search/")
    html = response.content.decode()

    assert response.status_code == 200
    assert response.context["search"].searched is False
    assert 'id="search-page-q"' in html
    assert "Type a few words above" in html
    assert '<meta name="robots" content="noindex">' in html


def test_no_results_says_so(client, home_page):
    html = client.get("/en/search/", {"q": "zanzibar"}).content.decode()

    assert "Nothing matches “zanzibar”" in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": "gold " * 2_000},
        {"q": "gold\x00mines\x01\x1b[31m"},
        {"q": "!!!...???"},
        {"q": "' OR 1=1; DROP TABLE wagtailcore_page; --"},
        {"q": '"unbalanced AND ( NEAR(a b) * ^ -'},
        {"q": "gold", "page": "abc"},
        {"q": "gold", "page": "999999"},
        {"q": "gold", "page": "9" * 60},
        {"q": "gold", "utm_source": "x", "q2": "<script>", "page[]": "1"},
        {"q": ["gold", "mines"]},
    ],
    ids=[
        "10k-chars",
        "10k-words",
        "control-chars",
        "punctuation",
        "sql",
        "fts-syntax",
        "page-abc",
        "page-huge",
        "page-overflow",
        "unknown-params",
        "repeated-q",
    ],
)
def test_bad_input_never_fails(client, home_page, params):
    StandardPageFactory(parent=home_page, title="Gold mines")

    response = client.get("/en/search/", params)

    assert response.status_code == 200
    html = response.content.decode()
    assert "\x00" not in html
    assert len(response.context["search"].query) <= MAX_QUERY_LENGTH


def test_page_links_keep_the_query_and_drop_other_parameters(client, many_pages):
    html = client.get(
        "/en/search/", {"q": "ceasefire", "page": "2", "utm_source": "mail"}
    ).content.decode()

    nav = html.split('<nav class="pagination"', 1)[1].split("</nav>", 1)[0]
    assert 'aria-label="Pagination"' in html
    assert 'href="?q=ceasefire&amp;page=1"' in nav
    assert 'rel="next" href="?q=ceasefire&amp;page=3"' in nav
    assert 'href="?q=ceasefire&amp;page=2" aria-current="page"' in nav
    assert "utm_source" not in nav


def test_search_page_reflects_no_xss_payload(client, home_page):
    payloads = xss_payloads()
    for payload in payloads:
        html = client.get("/en/search/", {"q": payload}).content.decode()

        cleaned = search_query_clean(payload)
        assert escape(cleaned) in html, payload
        if "<" in cleaned:
            assert cleaned not in html, payload
        assert not active_markup(html), payload


def test_stored_hostile_titles_are_escaped_in_results(client, home_page):
    StandardPageFactory(
        parent=home_page,
        title='<script>alert("title")</script> report',
        intro='<img src=x onerror=alert("intro")> alert',
    )

    html = client.get("/en/search/", {"q": "alert"}).content.decode()

    assert "&lt;script&gt;<mark>alert</mark>(&quot;title&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=<mark>alert</mark>" in html
    assert not active_markup(html)


def test_query_count_does_not_grow_with_the_results(
    client, home_page, django_assert_max_num_queries
):
    def queries_for(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured.captured_queries)

    for n in range(3):
        StandardPageFactory(parent=home_page, title=f"Uranium {n}")
    client.get("/en/search/?q=uranium")  # warm the site root paths cache
    few = queries_for("/en/search/?q=uranium")
    for n in range(40):
        StandardPageFactory(parent=home_page, title=f"Uranium more {n}")
    many = queries_for("/en/search/?q=uranium")

    assert many == few
    with django_assert_max_num_queries(12):
        client.get("/en/search/?q=uranium&page=2")
