"""Server time of the public pages with the demo content (rendering included)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("home_page_en", "/en/"),
        ("home_page_fr", "/fr/"),
        ("standard_page_about", "/en/about/"),
        ("standard_page_team", "/en/team/"),
    ],
)
def test_bench_public_page(client, demo_site, bench, name, path):
    assert client.get(path).status_code == 200

    result = bench(
        name, lambda: client.get(path), rounds=60, warmup=5, count_queries=True
    )

    assert result.queries is not None and result.queries <= 20
    assert result.median_ms < 500
