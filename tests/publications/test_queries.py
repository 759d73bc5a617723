"""The library and publication pages cost the same number of queries at any size."""

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

import pytest

from publications.models import (
    PublicationDownload,
    PublicationOrganisation,
    RelatedPublication,
)
from tests.publications.bulk import publications_bulk_create
from tests.publications.factories import (
    CoverImageFactory,
    OrganisationFactory,
    PdfDocumentFactory,
    PublicationPageFactory,
    VoicesSeriesPageFactory,
)

pytestmark = pytest.mark.django_db

URL = "/en/publications/"
LIBRARY_MAX_QUERIES = 20
PUBLICATION_MAX_QUERIES = 15
# The listing variants a reader can ask for; each must stay within the limit.
LISTINGS = [
    "",
    "?programme=natural-resources",
    "?country=CD&country=TZ&type=report&year=2005&year=2006",
    "?language=en&language=fr&sort=oldest&page=3",
    "?q=bulk&programme=conflict-mapping&country=CD",
    "?q=bulk+publication&sort=newest&page=2",
]


def _query_count(client, url: str) -> int:
    client.get(url)  # warm the caches a first visit fills (site root paths)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _fill(library, taxonomy, count: int) -> None:
    publications_bulk_create(
        parent=library,
        count=count,
        programmes=[taxonomy.natural_resources, taxonomy.conflict_mapping],
        countries=[taxonomy.congo, taxonomy.tanzania, taxonomy.car],
        people=[taxonomy.merket, taxonomy.mawala],
    )


def _index_some(library) -> None:
    """Index a handful of publications, so a search has matches to rank."""
    from modelsearch.backends import get_search_backend

    from publications.models import PublicationPage

    backend = get_search_backend()
    backend.add_bulk(
        PublicationPage, list(PublicationPage.objects.child_of(library)[:60])
    )


def test_library_queries_do_not_grow_with_its_size(
    client, library, taxonomy, django_assert_max_num_queries
):
    _fill(library, taxonomy, 30)
    _index_some(library)
    small = {url: _query_count(client, URL + url) for url in LISTINGS}

    _fill(library, taxonomy, 270)
    _index_some(library)
    large = {url: _query_count(client, URL + url) for url in LISTINGS}

    assert large == small
    assert max(large.values()) <= LIBRARY_MAX_QUERIES, large
    with django_assert_max_num_queries(LIBRARY_MAX_QUERIES):
        client.get(URL + LISTINGS[4])


def test_french_library_with_both_languages_stays_within_the_limit(
    client, library, fr_library, taxonomy, django_assert_max_num_queries
):
    _fill(library, taxonomy, 40)
    _fill(fr_library, taxonomy, 40)
    url = "/fr/publications/?language=fr&language=en&programme=natural-resources"
    client.get(url)

    with django_assert_max_num_queries(LIBRARY_MAX_QUERIES):
        response = client.get(url)

    assert response.context["library"].total == 40


def _rich_publication(library, taxonomy, *, authors: int, files: int):
    publication = PublicationPageFactory(
        parent=library,
        cover_image=CoverImageFactory(),
        programmes=[taxonomy.natural_resources, taxonomy.conflict_mapping],
        countries=[taxonomy.congo, taxonomy.tanzania],
        authors=[taxonomy.merket, *(f"Author {n}" for n in range(authors))],
    )
    for number in range(files):
        PublicationDownload.objects.create(
            page=publication,
            document=PdfDocumentFactory(),
            language="en" if number % 2 else "fr",
            sort_order=number,
        )
        PublicationOrganisation.objects.create(
            page=publication,
            organisation=OrganisationFactory(),
            role="supported_by" if number % 2 else "in_cooperation_with",
            sort_order=number,
        )
    related = PublicationPageFactory(parent=library)
    RelatedPublication.objects.create(page=publication, related=related, sort_order=0)
    return publication


def _render_count(publication) -> int:
    """Queries to render the page, without Wagtail's routing to it."""
    request = RequestFactory().get(publication.url)
    publication.serve(request).render()  # warm renditions and caches
    fresh = type(publication).objects.get(pk=publication.pk)
    with CaptureQueriesContext(connection) as captured:
        response = fresh.serve(request)
        response.render()
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_publication_page_queries_do_not_grow_with_its_lists(client, library, taxonomy):
    small = _rich_publication(library, taxonomy, authors=1, files=1)
    large = _rich_publication(library, taxonomy, authors=12, files=8)

    assert _render_count(small) == _render_count(large)
    assert _render_count(large) <= PUBLICATION_MAX_QUERIES
    # The whole request, Wagtail's routing and privacy check included: the site
    # chrome comes from the cache and the page is found by its URL path.
    assert _query_count(client, small.url) == _query_count(client, large.url)
    assert _query_count(client, large.url) <= PUBLICATION_MAX_QUERIES


def test_voices_study_request_stays_within_the_limit(client, library, taxonomy):
    """A study sits one level deeper (library, series, study): same count."""
    series = VoicesSeriesPageFactory(parent=library)
    study = PublicationPageFactory(parent=series, authors=[taxonomy.merket])

    assert _query_count(client, study.url) <= PUBLICATION_MAX_QUERIES


def test_library_cards_with_covers_cost_the_same_at_any_number(client, library):
    """Each card shows its cover as AVIF, WebP and JPEG in two sizes: the
    renditions come with the page of publications, not one query per card."""
    for _ in range(2):
        PublicationPageFactory(parent=library, cover_image=CoverImageFactory())
    few = _query_count(client, URL)
    for _ in range(3):
        PublicationPageFactory(parent=library, cover_image=CoverImageFactory())

    html = client.get(URL).content.decode()

    assert _query_count(client, URL) == few <= LIBRARY_MAX_QUERIES
    assert html.count('type="image/avif"') == html.count('type="image/webp"') == 5
