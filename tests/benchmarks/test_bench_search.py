"""Server time of site search (rendering included): with the demo content, and
site search and the library's `?q=` at 34, 2,000 and 10,000 publications.

The sizes are built in one test, each on top of the last, so the 10,000 cost
one library. The searches here are the worst case: their words are in every
publication, so the matches grow with the library. Both searches rank every
match in one query (`theme.fulltext.ranked`), exactly, which is linear in the
matches by design; so the bench times the ranking query on its own and holds
each part to its own rule:

- everything but the ranking (the scope's other queries, the page of rows,
  passages, facets, rendering) stays within 1.5 times its time at 34;
- the ranking's cost per match at 10,000 stays within 1.5 times its cost per
  match at 2,000: one pass, nothing that grows faster than the matches.

`SEARCH_BENCH_SIZES=34,500,2000` tries other sizes. Search inside 2,000
publications with 50 pages of PDF text each is `test_bench_pdf.py`.
"""

import os
import sys
from urllib.parse import parse_qs, urlsplit

from django.db import connection

from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

import pytest

from publications.library.facets import library_entries
from publications.library.listing import MAX_SEARCH_MATCHES
from publications.models import PublicationPage
from site_config.search import search_scope, site_search
from site_config.views import SEARCH_RESULTS_PER_PAGE
from tests.publications.bulk import publications_bulk_create
from tests.publications.factories import (
    CountryFactory,
    PersonFactory,
    ProgrammeFactory,
    PublicationIndexPageFactory,
)
from theme.fulltext.ranked import ranked_ids
from theme.query import query_clean, query_terms

pytestmark = pytest.mark.django_db

SIZES = [
    int(n) for n in os.environ.get("SEARCH_BENCH_SIZES", "34,2000,10000").split(",")
]
# Each bulk publication's summary is "What bulk publication N found in the
# field.": "field" matches every one (the most work a ranking can have) and
# two words need both. (A narrower word would match more publications as the
# library grows: on SQLite "12" is a prefix of "120", "1200"...)
SEARCHES = {
    "site_search_every_match": "/en/search/?q=field",
    "site_search_two_words": "/en/search/?q=publication+field",
    "library_search_every_match": "/en/publications/?q=field",
    "library_search_two_words": "/en/publications/?q=publication+field",
}
FLAT_RATIO = 1.5
INDEX_BATCH = 500


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("search_page_one_word", "/en/search/?q=arms"),
        ("search_page_two_words", "/en/search/?q=arms+trade"),
        ("search_page_no_results", "/en/search/?q=zanzibar"),
        ("search_page_french", "/fr/search/?q=paix"),
    ],
)
def test_bench_search_page(client, demo_site, bench, name, path):
    assert client.get(path).status_code == 200

    result = bench(
        name, lambda: client.get(path), rounds=60, warmup=5, count_queries=True
    )

    # One query per page type on the page of results comes on top of a fixed few.
    assert result.queries is not None and result.queries <= 20
    assert result.median_ms < 500


def test_bench_site_search_service(demo_site, bench):
    locale = Locale.objects.get(language_code="en")

    def run():
        return site_search(query="arms trade", locale=locale, page_number=1)

    assert run().total > 0
    result = bench("site_search_service", run, rounds=100, count_queries=True)

    assert result.median_ms < 200


def _index(ids: list[int]) -> None:
    """Put the bulk publications in the search index, as `update_index` would."""
    backend = get_search_backend()
    for start in range(0, len(ids), INDEX_BATCH):
        batch = list(
            PublicationPage.objects.filter(pk__in=ids[start : start + INDEX_BATCH])
        )
        backend.add_bulk(PublicationPage, batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE wagtailsearch_indexentry")


def _index_size() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('wagtailsearch_indexentry')")
            return f"{cursor.fetchone()[0] / 2**20:.1f} MB (table, tsvectors, indexes)"
        cursor.execute(
            "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'wagtailsearch_indexentry%'"
        )
        return f"{(cursor.fetchone()[0] or 0) / 2**20:.1f} MB (entries and FTS5)"


def _ranking(name: str, path: str, *, library, locale):
    """The ranking query the page `name` runs, alone: the same scope, words
    (as the page cleans its `q`) and limit."""
    terms = query_terms(query_clean(parse_qs(urlsplit(path).query)["q"][0]))
    if name.startswith("library"):
        return library_entries(library=library), terms, MAX_SEARCH_MATCHES
    return search_scope(locale), terms, SEARCH_RESULTS_PER_PAGE


def test_bench_search_flat_in_the_number_of_publications(server_get, home_page, bench):
    library = PublicationIndexPageFactory(parent=home_page, slug="publications")
    taxonomy = {
        "programmes": [
            ProgrammeFactory(slug=slug, name=slug.title(), sort_order=n)
            for n, slug in enumerate(["resources", "mapping", "arms"])
        ],
        "countries": [
            CountryFactory(iso_code=code, name=code) for code in ("CD", "TZ")
        ],
        "people": [PersonFactory(name=f"Researcher {n}") for n in range(4)],
    }
    pages: dict[str, dict[int, float]] = {name: {} for name in SEARCHES}
    rankings: dict[str, dict[int, float]] = {name: {} for name in SEARCHES}
    matches: dict[str, dict[int, int]] = {name: {} for name in SEARCHES}
    built = 0
    for size in SIZES:
        ids = publications_bulk_create(parent=library, count=size - built, **taxonomy)
        _index(ids)
        built = size
        sys.stdout.write(f"\nsearch index at {size} publications: {_index_size()}\n")
        for name, path in SEARCHES.items():
            assert server_get(path) == 200, path
            result = bench(
                f"{name}_{size}",
                lambda path=path: server_get(path),
                rounds=20,
                warmup=3,
                count_queries=True,
            )
            assert result.queries is not None and result.queries <= 25, path
            pages[name][size] = result.median_ms
            scope, terms, limit = _ranking(
                name, path, library=library, locale=home_page.locale
            )
            matches[name][size] = ranked_ids(scope=scope, terms=terms, limit=1).total
            # Every publication matches: the worst case, by construction.
            assert matches[name][size] >= size, (name, matches[name][size])
            rankings[name][size] = bench(
                f"{name}_ranking_{size}",
                lambda scope=scope, terms=terms, limit=limit: ranked_ids(
                    scope=scope, terms=terms, limit=limit
                ),
                rounds=20,
                warmup=3,
            ).median_ms

    smallest, largest = SIZES[0], SIZES[-1]
    middle = SIZES[-2] if len(SIZES) > 2 else smallest
    rest_slow, ranking_slow = {}, {}
    for name in SEARCHES:
        rest = {size: pages[name][size] - rankings[name][size] for size in SIZES}
        per_match = {
            size: rankings[name][size] / matches[name][size] * 1000 for size in SIZES
        }
        rest_ratio = rest[largest] / rest[smallest]
        per_match_ratio = per_match[largest] / per_match[middle]
        page = pages[name]
        sys.stdout.write(
            f"{name}: page {page[smallest]:.1f} -> {page[largest]:.1f} ms "
            f"({page[largest] / page[smallest]:.2f}x); without the "
            f"ranking {rest[smallest]:.1f} -> {rest[largest]:.1f} ms "
            f"({rest_ratio:.2f}x); ranking {matches[name][largest]:,} matches in "
            f"{rankings[name][largest]:.1f} ms, {per_match[middle]:.2f} -> "
            f"{per_match[largest]:.2f} us a match ({per_match_ratio:.2f}x)\n"
        )
        if rest_ratio > FLAT_RATIO:
            rest_slow[name] = round(rest_ratio, 2)
        if per_match_ratio > FLAT_RATIO:
            ranking_slow[name] = round(per_match_ratio, 2)
    assert not rest_slow, (
        f"the page around the ranking is more than {FLAT_RATIO}x slower at "
        f"{largest}: {rest_slow}"
    )
    assert not ranking_slow, (
        f"the ranking costs more than {FLAT_RATIO}x as much per match at "
        f"{largest} as at {middle}: {ranking_slow}"
    )
