"""Ranked full-text search on the index (theme.fulltext): one query, both databases."""

from django.db import connection

from wagtail.models import Page

import pytest
import snowballstemmer

from site_config.search import site_search
from tests.site_config.factories import StandardPageFactory
from theme.fulltext.configs import search_config
from theme.fulltext.forms import word_match
from theme.fulltext.ranked import fts5_query, ranked_ids, ranked_page

POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="stemming per language needs PostgreSQL's text-search configurations; "
    "SQLite matches words by prefix only (run with DATABASE_URL=postgres://…)",
)
SQLITE_ONLY = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="prefix matching is SQLite's FTS5 rule"
)


def _translate(page, locale, **fields):
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    translated.save_revision().publish()
    return translated


def _scope(locale):
    return Page.objects.live().filter(locale=locale, depth__gt=1)


# --- pure parts ---------------------------------------------------------------


def test_configuration_per_language():
    assert search_config("fr") == "french"
    assert search_config("en-GB") == "english"
    assert search_config("sw") == "simple"
    assert search_config("") == "simple"


def test_fts5_query_quotes_every_word_so_operators_are_words():
    expected = 'title : ("NEAR"* AND "and"*)'
    assert fts5_query(("NEAR", "and"), columns="title") == expected
    assert (
        fts5_query(("gold", "mi"), columns="{title body}", last_prefix_only=True)
        == '{title body} : ("gold" AND "mi"*)'
    )


def test_forms_on_postgresql_share_the_stem_of_a_term():
    english = word_match(terms=("mining",), language_code="en", vendor="postgresql")
    french = word_match(terms=("ressource",), language_code="fr", vendor="postgresql")
    swahili = word_match(terms=("madini",), language_code="sw", vendor="postgresql")

    assert english.forms("Gold mines, a miner, minerals") == ("mining", "mines")
    assert french.forms("Les Ressources du sous-sol") == ("ressource", "Ressources")
    assert swahili.forms("Madini na madinimadini") == ("madini", "Madini")


def test_forms_on_sqlite_are_longer_words_accents_ignored():
    match = word_match(terms=("econ", "mine"), language_code="fr", vendor="sqlite")

    assert match.forms("Économie des mines; determined") == (
        "econ",
        "mine",
        "Économie",
        "mines",
    )


# --- the ranked query ---------------------------------------------------------


def test_one_query_every_word_title_first_scope_kept(
    home_page, locales, django_assert_num_queries
):
    body_only = StandardPageFactory(
        parent=home_page, title="Annual report", intro="Cobalt and copper exports."
    )
    titled = StandardPageFactory(parent=home_page, title="Cobalt and copper")
    StandardPageFactory(parent=home_page, title="Cobalt alone")
    StandardPageFactory(parent=home_page, title="Cobalt copper draft", live=False)
    french_home = _translate(home_page, locales["fr"], title="Accueil")
    StandardPageFactory(parent=french_home, title="Cobalt et copper")

    with django_assert_num_queries(1):
        found = ranked_ids(
            scope=_scope(locales["en"]), terms=("cobalt", "copper"), limit=10
        )

    assert found.ids == [titled.pk, body_only.pk]
    assert found.total == 2


def test_a_slice_past_the_first_keeps_the_total(home_page, locales):
    pages = [
        StandardPageFactory(parent=home_page, title=f"Tin report {n}") for n in range(5)
    ]

    found = ranked_ids(scope=_scope(locales["en"]), terms=("tin",), limit=2, offset=4)

    assert len(found.ids) == 1 and found.total == 5
    assert found.ids[0] in {page.pk for page in pages}


def test_page_past_the_end_gives_the_last_in_three_queries(
    home_page, locales, django_assert_max_num_queries
):
    for n in range(5):
        StandardPageFactory(parent=home_page, title=f"Tin report {n}")

    with django_assert_max_num_queries(3):
        page = ranked_page(
            scope=_scope(locales["en"]), terms=("tin",), page_number=9, per_page=2
        )

    assert page.number == 3 and page.total == 5 and len(page.ids) == 1


@SQLITE_ONLY
def test_sqlite_matches_a_word_as_a_prefix(home_page, locales):
    page = StandardPageFactory(parent=home_page, title="Cassiterite of Ituri")

    results = site_search(query="cassit", locale=locales["en"], page_number=1)

    assert [hit.page.pk for hit in results.hits] == [page.pk]
    assert str(results.hits[0].title) == "<mark>Cassiterite</mark> of Ituri"


@POSTGRES_ONLY
def test_postgresql_french_page_found_by_a_singular_in_french_search(
    client, home_page, locales
):
    french_home = _translate(home_page, locales["fr"], title="Accueil")
    page = StandardPageFactory(
        parent=french_home,
        title="Le secteur minier",
        intro="Les ressources naturelles de l'Ituri et leur commerce.",
    )
    page.save_revision().publish()

    html = client.get("/fr/search/", {"q": "ressource"}).content.decode()

    assert "Le secteur minier" in html
    assert "<mark>ressources</mark> naturelles" in html


@POSTGRES_ONLY
def test_postgresql_stems_english_pages_in_english(home_page, locales):
    page = StandardPageFactory(
        parent=home_page, title="Artisanal mines", intro="Diggers in Ituri."
    )

    results = site_search(query="mining", locale=locales["en"], page_number=1)

    # The home page mentions mines in its intro: a title match comes first.
    assert [hit.page.pk for hit in results.hits] == [page.pk, home_page.pk]
    assert str(results.hits[0].title) == "Artisanal <mark>mines</mark>"


@POSTGRES_ONLY
def test_postgresql_swahili_is_matched_as_written(home_page, locales):
    swahili_home = _translate(home_page, locales["sw"], title="Nyumbani")
    page = StandardPageFactory(parent=swahili_home, title="Madini ya Ituri")

    found = site_search(query="madini", locale=locales["sw"], page_number=1)
    stemmed = site_search(query="madin", locale=locales["sw"], page_number=1)

    assert [hit.page.pk for hit in found.hits] == [page.pk]
    assert stemmed.total == 0


@POSTGRES_ONLY
def test_postgresql_backend_search_finds_pages_stemmed_in_any_language(
    home_page, locales
):
    """The admin's and the API's searches go through the backend itself, which
    does not know a page's language: "Shabunda" is indexed as 'shabund' on a
    French page and must still be found."""
    from wagtail.models import Page

    french_home = _translate(home_page, locales["fr"], title="Accueil")
    french = StandardPageFactory(parent=french_home, title="Shabunda et ses mines")
    english = StandardPageFactory(parent=home_page, title="Shabunda studies")

    found = {page.pk for page in Page.objects.all().search("Shabunda")}

    assert {french.pk, english.pk} <= found


def test_an_index_row_whose_object_id_is_not_a_number_is_passed_over(
    home_page, locales
):
    """The matches find their pages by number (PostgreSQL reads the text id
    as one); a row whose id is not a number, which Wagtail's index allows for
    models with text keys, is never cast and never found, on either database."""
    from wagtail.search.models import IndexEntry

    page = StandardPageFactory(parent=home_page, title="Cobalt prices")
    stray = IndexEntry.objects.get(object_id=str(page.pk))
    stray.pk = None
    stray.object_id = "cobalt-0x1"
    stray.save()

    found = ranked_ids(scope=_scope(locales["en"]), terms=("cobalt",), limit=10)

    assert found.ids == [page.pk]
    assert found.total == 1


def test_words_stemmed_in_many_threads_at_once_get_their_own_stems():
    """Each thread has its own stemmer (one keeps its word while it works);
    the stems are remembered across threads."""
    from concurrent.futures import ThreadPoolExecutor

    from theme.fulltext.forms import _stem_function

    words = [
        f"{root}{ending}"
        for root in ("mine", "trade", "report")
        for ending in ("", "s", "d", "rs")
    ] * 50
    expected = [snowballstemmer.stemmer("english").stemWord(word) for word in words]
    stem = _stem_function("english")

    with ThreadPoolExecutor(max_workers=8) as pool:
        stems = list(pool.map(stem, words))

    assert stems == expected
    assert stem.cache_info().hits > 0
