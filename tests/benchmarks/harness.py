"""Time callables, summarise the timings and write them to `.bench/latest.json`.

Pure functions, so `tests/utils/test_bench_harness.py` can check them in
`make test`; `conftest.py` wires them into the `bench` fixture.
"""

import gc
import json
import math
import os
import platform
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import django
from django.db import connection
from django.test.utils import CaptureQueriesContext

import wagtail

from tests.utils.tools import PROJECT_ROOT

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_FILE = PROJECT_ROOT / ".bench" / "latest.json"


@dataclass(frozen=True)
class BenchResult:
    name: str
    rounds: int
    warmup: int
    median_ms: float
    p90_ms: float
    min_ms: float
    max_ms: float
    queries: int | None = None

    def as_line(self) -> str:
        queries = "" if self.queries is None else f"  queries {self.queries}"
        return (
            f"bench {self.name}: median {self.median_ms:.3f} ms"
            f"  p90 {self.p90_ms:.3f}  min {self.min_ms:.3f}  max {self.max_ms:.3f}"
            f"  ({self.rounds} rounds){queries}"
        )


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile, interpolating linearly between closest ranks."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(
    name: str,
    seconds: Sequence[float],
    *,
    warmup: int = 0,
    queries: int | None = None,
) -> BenchResult:
    """Median, p90, min and max of the timed rounds, in milliseconds."""
    if not seconds:
        raise ValueError(f"benchmark {name!r} has no timed rounds")
    millis = [s * 1000 for s in seconds]
    return BenchResult(
        name=name,
        rounds=len(millis),
        warmup=warmup,
        median_ms=round(statistics.median(millis), 4),
        p90_ms=round(percentile(millis, 0.9), 4),
        min_ms=round(min(millis), 4),
        max_ms=round(max(millis), 4),
        queries=queries,
    )


def run_benchmark(
    name: str,
    func: Callable[[], object],
    *,
    rounds: int = 50,
    warmup: int = 5,
    count_queries: bool = False,
    timer: Callable[[], float] = time.perf_counter,
) -> BenchResult:
    """Call `func` warmup + rounds times, timing each timed call on its own.

    The garbage collector is paused while timing, as `timeit` does, so one
    round does not pay for the garbage of the others. With `count_queries`,
    one more untimed call counts the database queries.
    """
    if rounds < 1 or warmup < 0:
        raise ValueError("rounds must be at least 1 and warmup at least 0")
    for _ in range(warmup):
        func()
    seconds = []
    gc.collect()
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(rounds):
            start = timer()
            func()
            seconds.append(timer() - start)
    finally:
        if gc_was_enabled:
            gc.enable()
    queries = None
    if count_queries:
        with CaptureQueriesContext(connection) as captured:
            func()
        queries = len(captured.captured_queries)
    return summarize(name, seconds, warmup=warmup, queries=queries)


def write_results(
    results: Iterable[BenchResult],
    path: Path = RESULTS_FILE,
    *,
    database: str,
    now: datetime | None = None,
) -> Path:
    """Write the results with what they ran on; replace the file atomically."""
    payload = {
        "timestamp": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "database": database,
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "results": {result.name: asdict(result) for result in results},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    partial.replace(path)
    return path


def benchmarks_requested(
    args: Iterable[str], *, invocation_dir: Path, bench_dir: Path = BENCH_DIR
) -> bool:
    """True when a path argument is the benchmarks folder or inside it."""
    for arg in args:
        if arg.startswith("-"):
            continue
        target = Path(arg.split("::", 1)[0])
        if not target.is_absolute():
            target = invocation_dir / target
        target = target.resolve()
        if target == bench_dir or bench_dir in target.parents:
            return True
    return False
