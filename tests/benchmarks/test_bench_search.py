"""Server time of site search with the demo content (rendering included)."""

from wagtail.models import Locale

import pytest

from site_config.search import site_search

pytestmark = pytest.mark.django_db


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
