import json
from datetime import UTC, datetime
from itertools import count

import django

import pytest

from tests.benchmarks.harness import (
    BenchResult,
    benchmarks_requested,
    percentile,
    run_benchmark,
    scaling_payload,
    scaling_rows,
    scaling_table,
    summarize,
    write_results,
)


def test_percentile_interpolates_between_ranks():
    values = [5.0, 1.0, 4.0, 2.0, 3.0]

    assert percentile(values, 0.5) == 3.0
    assert percentile(values, 0.9) == pytest.approx(4.6)
    assert percentile(values, 0.0) == 1.0
    assert percentile(values, 1.0) == 5.0
    assert percentile([7.0], 0.9) == 7.0


def test_summary_is_in_milliseconds():
    result = summarize("page", [0.004, 0.001, 0.003, 0.002, 0.010], warmup=2)

    assert result == BenchResult(
        name="page",
        rounds=5,
        warmup=2,
        median_ms=3.0,
        p90_ms=7.6,
        min_ms=1.0,
        max_ms=10.0,
    )


def test_summary_refuses_no_rounds():
    with pytest.raises(ValueError, match="no timed rounds"):
        summarize("page", [])


def test_each_timed_round_is_one_call_after_the_warmup():
    calls = []
    ticks = count()  # the fake clock advances 1 s per reading

    result = run_benchmark(
        "fake",
        lambda: calls.append(1),
        rounds=4,
        warmup=3,
        timer=lambda: float(next(ticks)),
    )

    assert len(calls) == 7
    assert (result.rounds, result.warmup, result.median_ms) == (4, 3, 1000.0)
    assert result.queries is None


@pytest.mark.django_db
def test_count_queries_runs_one_more_call_under_capture(django_user_model):
    calls = []

    def query():
        calls.append(1)
        return django_user_model.objects.count()

    result = run_benchmark("users", query, rounds=2, warmup=0, count_queries=True)

    assert result.queries == 1
    assert len(calls) == 3


def test_results_are_written_with_their_environment(tmp_path):
    path = tmp_path / ".bench" / "latest.json"
    results = [
        summarize("home", [0.002, 0.004], queries=3),
        summarize("login", [0.001]),
    ]

    written = write_results(
        results,
        path,
        database="postgresql",
        now=datetime(2026, 11, 24, 12, 0, tzinfo=UTC),
    )

    data = json.loads(path.read_text())
    assert written == path
    assert data["timestamp"] == "2026-11-24T12:00:00+00:00"
    assert data["django"] == django.get_version()
    assert data["python"].startswith("3.11.")
    assert data["database"] == "postgresql"
    assert data["results"]["home"] == {
        "name": "home",
        "rounds": 2,
        "warmup": 0,
        "median_ms": 3.0,
        "p90_ms": 3.8,
        "min_ms": 2.0,
        "max_ms": 4.0,
        "queries": 3,
    }
    assert data["results"]["login"]["queries"] is None
    assert list(tmp_path.joinpath(".bench").iterdir()) == [path]


@pytest.mark.parametrize(
    ("args", "requested"),
    [
        (["tests/benchmarks"], True),
        (["tests/benchmarks/"], True),
        (["tests/benchmarks/test_bench_admin_login.py::test_x"], True),
        (["-q", "tests/utils", "tests/benchmarks"], True),
        (["tests"], False),
        (["tests/utils"], False),
        ([], False),
    ],
)
def test_benchmarks_run_only_when_their_folder_is_named(tmp_path, args, requested):
    bench_dir = tmp_path / "tests" / "benchmarks"

    assert (
        benchmarks_requested(args, invocation_dir=tmp_path, bench_dir=bench_dir)
        is requested
    )


def test_scaling_rows_compare_each_page_at_its_largest_and_smallest_size(tmp_path):
    results = [
        summarize("library@34", [0.020, 0.022], queries=11),
        summarize("library@10000", [0.025, 0.027], queries=11),
        summarize("search@34", [0.010]),
        summarize("search@10000", [0.050]),
        summarize("other", [0.001]),
    ]

    rows = scaling_rows(
        results, pages=["library", "search", "absent"], sizes=[34, 10000]
    )

    assert [row.page for row in rows] == ["library", "search"]
    assert rows[0].median_ms == (21.0, 26.0)
    assert rows[0].queries == (11, 11)
    assert rows[0].ratio == 1.24
    assert rows[1].ratio == 5.0
    table = scaling_table(rows, database="sqlite").splitlines()
    assert table[0].startswith("page (sqlite)")
    assert "10,000 median / p90" in table[0]
    assert table[1].split()[-1] == "1.24x"
    assert "21.0 / 21.8 ms" in table[1]

    # A run on PostgreSQL keeps SQLite's table beside its own.
    path = tmp_path / "latest.json"
    write_results(results, path, database="sqlite", scaling=scaling_payload(rows))
    write_results(
        results[:2], path, database="postgresql", scaling=scaling_payload(rows[:1])
    )
    data = json.loads(path.read_text())
    assert set(data["scaling"]) == {"sqlite", "postgresql"}
    assert data["scaling"]["sqlite"]["search"]["ratio"] == 5.0
    assert data["scaling"]["postgresql"]["library"]["median_ms"] == [21.0, 26.0]
