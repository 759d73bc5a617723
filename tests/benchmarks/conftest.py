"""The `bench` fixture for `make bench`; benchmarks are skipped in `make test`."""

import sys
from collections.abc import Callable, Iterator

from django.db import connection
from django.test import RequestFactory
from django.test.client import ClientHandler

import pytest

from tests.benchmarks.harness import (
    BENCH_DIR,
    RESULTS_FILE,
    BenchResult,
    benchmarks_requested,
    run_benchmark,
    write_results,
)

SKIP_REASON = "benchmarks run with make bench"


def pytest_collection_modifyitems(config, items):
    # `config.args` holds the paths pytest was given, or the testpaths it fell
    # back to: `make bench` names tests/benchmarks, `make test` names tests.
    if benchmarks_requested(config.args, invocation_dir=config.invocation_params.dir):
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    # The hook sees the whole session's items, not only this folder's.
    for item in items:
        if BENCH_DIR in item.path.parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def bench_scaling() -> dict:
    """Times per page at each size (`test_bench_library`), for latest.json."""
    return {}


@pytest.fixture(scope="session")
def bench_results(bench_scaling: dict) -> Iterator[list[BenchResult]]:
    """Every result of the session; written to `.bench/latest.json` at the end."""
    results: list[BenchResult] = []
    yield results
    if results:
        path = write_results(
            results, RESULTS_FILE, database=connection.vendor, scaling=bench_scaling
        )
        sys.stdout.write(f"\nwrote {len(results)} benchmark results to {path}\n")


@pytest.fixture
def bench(bench_results: list[BenchResult]) -> Callable[..., BenchResult]:
    """`bench(name, func, rounds=50, warmup=5, count_queries=False)` times func."""

    def run(
        name: str,
        func: Callable[[], object],
        *,
        rounds: int = 50,
        warmup: int = 5,
        count_queries: bool = False,
    ) -> BenchResult:
        if any(result.name == name for result in bench_results):
            raise ValueError(f"a benchmark named {name!r} already ran")
        result = run_benchmark(
            name, func, rounds=rounds, warmup=warmup, count_queries=count_queries
        )
        bench_results.append(result)
        sys.stdout.write(f"\n{result.as_line()}\n")
        return result

    return run


@pytest.fixture
def server_get() -> Callable[[str], int]:
    """`server_get(url)` serves a GET through Django's handler; its status.

    The test client also copies every template's context for its
    `response.context` (about 1 ms per template rendered, so a page of 20
    cards looked slower than one of 5): a server does none of that. This is
    the handler the test client wraps (it keeps the test's database
    connection open), without that copying.
    """
    handler = ClientHandler()
    factory = RequestFactory()

    def get(url: str) -> int:
        # The handler closes the response as a WSGI server does.
        return handler(factory.get(url).environ).status_code

    return get
