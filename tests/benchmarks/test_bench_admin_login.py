import pytest

pytestmark = pytest.mark.django_db


def test_bench_admin_login_page(client, bench):
    assert client.get("/admin/login/").status_code == 200

    result = bench(
        "admin_login",
        lambda: client.get("/admin/login/"),
        rounds=50,
        warmup=5,
        count_queries=True,
    )

    assert result.rounds == 50
    assert result.min_ms <= result.median_ms <= result.p90_ms <= result.max_ms
