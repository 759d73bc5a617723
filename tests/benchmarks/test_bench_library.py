"""Server time of the library and a publication page with 2,000 publications."""

import pytest

from publications.models import PublicationDownload, PublicationOrganisation
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
