"""Server time of the library and a publication page with 2,000 publications,
and of the library and both searches as the site grows to 10,000."""

import sys
import time

from django.db import connection

from wagtail.models import Page

import pytest

from publications.models import (
    DocumentPageText,
    PublicationDownload,
    PublicationOrganisation,
    PublicationPage,
)
from site_config.demo.build import demo_site_build
from site_config.demo.scale import scale_content_ensure
from site_config.models import HomePage
from tests.benchmarks.harness import scaling_payload, scaling_rows, scaling_table
from tests.publications.bulk import publications_bulk_create
from tests.publications.factories import (
    CountryFactory,
    OrganisationFactory,
    PdfDocumentFactory,
    PersonFactory,
    ProgrammeFactory,
    PublicationIndexPageFactory,
    PublicationPageFactory,
)

pytestmark = pytest.mark.django_db

PUBLICATIONS = 2_000
LIBRARY = "/en/publications/"


@pytest.fixture
def big_library(home_page):
    library = PublicationIndexPageFactory(parent=home_page)
    programmes = [
        ProgrammeFactory(slug=slug, name=slug.replace("-", " ").title(), sort_order=n)
        for n, slug in enumerate(
            ["natural-resources", "conflict-mapping", "arms-trade-security"]
        )
    ]
    countries = [
        CountryFactory(iso_code=code, name=code) for code in ("CD", "TZ", "CF", "SS")
    ]
    people = [PersonFactory(name=f"Researcher {n}") for n in range(8)]
    publications_bulk_create(
        parent=library,
        count=PUBLICATIONS,
        programmes=programmes,
        countries=countries,
        people=people,
    )
    report = PublicationPageFactory(
        parent=library,
        title="Mapping artisanal mining",
        subtitle="A survey",
        programmes=programmes[:2],
        countries=countries[:2],
        authors=people[:3],
    )
    for number in range(3):
        PublicationDownload.objects.create(
            page=report, document=PdfDocumentFactory(), sort_order=number
        )
        PublicationOrganisation.objects.create(
            page=report, organisation=OrganisationFactory(), sort_order=number
        )
    return report


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("library_2000", ""),
        ("library_2000_filtered", "?programme=conflict-mapping&country=CD&type=report"),
        ("library_2000_last_page", "?sort=oldest&page=100"),
    ],
)
def test_bench_library(client, big_library, bench, name, query):
    url = LIBRARY + query
    assert client.get(url).status_code == 200

    result = bench(
        name, lambda: client.get(url), rounds=30, warmup=3, count_queries=True
    )

    assert result.queries is not None and result.queries <= 20
    assert result.median_ms < 500


def test_bench_publication_page(client, big_library, bench):
    url = big_library.url
    assert client.get(url).status_code == 200

    result = bench(
        "publication_page_2000",
        lambda: client.get(url),
        rounds=60,
        warmup=5,
        count_queries=True,
    )

    # 12 to render (tests/publications/test_queries.py) and 9 for Wagtail's
    # routing to a page three levels below the root.
    assert result.queries is not None and result.queries <= 22
    assert result.median_ms < 300


# The library and search at the demo's size, 2,000 and 10,000 publications.

SIZES = (2_000, 10_000)
SCALING_PAGES = {
    "library": "/en/publications/",
    "library_query": "/en/publications/?q=mining",
    "site_search": "/en/search/?q=mining",
}
# Rounds are fewer for a page too slow to time fifty times in a bench run.
SLOW_MS = 1_000


def _measure(get, bench, name: str, url: str):
    # The first request of a page warms its caches (on a slow machine the
    # demo's first library page took over a second): slowness is judged on
    # the second, or a cold start would cut the demo's rounds to five.
    assert get(url) == 200, url
    started = time.perf_counter()
    assert get(url) == 200, url
    slow = (time.perf_counter() - started) * 1000 > SLOW_MS
    return bench(
        name,
        lambda: get(url),
        rounds=5 if slow else 30,
        warmup=0 if slow else 3,
        count_queries=True,
    )


def _as_served() -> None:
    """The rows as a site serves them: committed, and on PostgreSQL vacuumed
    and analysed, as autovacuum keeps a live database. Rows of a transaction
    still open carry no hint bits, so each read checked each row's
    visibility against the transaction's own; the library's search measured
    that (1.70 times its demo time at 10,000; 1.34 times committed, here)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


# Committed (the tables are emptied after it, and the migrations' rows put
# back): see `_as_served`.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bench_library_and_search_scaling(server_get, bench, bench_scaling, settings):
    """One run, growing: the demo, then 2,000, then 10,000 publications."""
    # The demo as `make run` serves it, its PDFs read (the suite's settings skip
    # that): a search shows passages from the files at every size, as it does
    # for the generated publications, whose text is written with their files.
    settings.PDF_PROCESS_ON_SAVE = True
    build = demo_site_build()
    assert build.created
    assert DocumentPageText.objects.filter(text__icontains="mining").exists()
    home = Page.objects.get(pk=HomePage.objects.get(locale__language_code="en").pk)
    demo = PublicationPage.objects.live().count()
    sizes = (demo, *SIZES)
    results = []
    for size in sizes:
        if size != demo:
            started = time.perf_counter()
            scale_content_ensure(scale=size - demo, home=home)
            sys.stdout.write(
                f"\ngrew to {size:,} publications in "
                f"{time.perf_counter() - started:.0f} s\n"
            )
        _as_served()
        assert PublicationPage.objects.live().count() == size
        for page, url in SCALING_PAGES.items():
            results.append(_measure(server_get, bench, f"{page}@{size}", url))

    rows = scaling_rows(results, pages=list(SCALING_PAGES), sizes=sizes)
    bench_scaling.update(scaling_payload(rows))
    sys.stdout.write("\n" + scaling_table(rows, database=connection.vendor) + "\n")
    # No page asks more queries as the library grows (the demo's pictured
    # cards may ask one more than a page of generated ones), and each answers
    # within 1.5 times its time at the demo's size: the goal.
    for row in rows:
        assert max(row.queries[1:]) <= row.queries[0], row
    slow = [row for row in rows if row.ratio > 1.5]
    assert not slow, slow
