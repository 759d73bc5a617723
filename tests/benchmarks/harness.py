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


@dataclass(frozen=True)
class ScalingRow:
    """One page's times at each size, and how the largest compares to the smallest."""

    page: str
    sizes: tuple[int, ...]
    median_ms: tuple[float, ...]
    p90_ms: tuple[float, ...]
    queries: tuple[int | None, ...]

    @property
    def ratio(self) -> float:
        """Median at the largest size over the median at the smallest."""
        return round(self.median_ms[-1] / self.median_ms[0], 2)


def scaling_rows(
    results: Iterable[BenchResult], *, pages: Sequence[str], sizes: Sequence[int]
) -> list[ScalingRow]:
    """The results named `<page>@<size>`, one row per page, sizes in order."""
    by_name = {result.name: result for result in results}
    rows = []
    for page in pages:
        found = [by_name.get(f"{page}@{size}") for size in sizes]
        if any(result is None for result in found):
            continue
        rows.append(
            ScalingRow(
                page=page,
                sizes=tuple(sizes),
                median_ms=tuple(result.median_ms for result in found),
                p90_ms=tuple(result.p90_ms for result in found),
                queries=tuple(result.queries for result in found),
            )
        )
    return rows


def scaling_table(rows: Sequence[ScalingRow], *, database: str) -> str:
    """The rows as a text table: median / p90 per size, then the ratio."""
    if not rows:
        return ""
    sizes = rows[0].sizes
    header = f"{'page (' + database + ')':<28}" + "".join(
        f"{f'{size:,} median / p90':>26}" for size in sizes
    )
    lines = [header + f"{'ratio':>9}"]
    for row in rows:
        cells = "".join(
            f"{f'{median:.1f} / {p90:.1f} ms':>26}"
            for median, p90 in zip(row.median_ms, row.p90_ms, strict=True)
        )
        lines.append(f"{row.page:<28}{cells}{row.ratio:>8.2f}x")
    return "\n".join(lines)


def scaling_payload(rows: Sequence[ScalingRow]) -> dict:
    return {
        row.page: {
            "sizes": list(row.sizes),
            "median_ms": list(row.median_ms),
            "p90_ms": list(row.p90_ms),
            "queries": list(row.queries),
            "ratio": row.ratio,
        }
        for row in rows
    }


def write_results(
    results: Iterable[BenchResult],
    path: Path = RESULTS_FILE,
    *,
    database: str,
    now: datetime | None = None,
    scaling: dict | None = None,
) -> Path:
    """Write the results with what they ran on; replace the file atomically.

    `scaling` (per page, times at each size) is kept per database: a run on
    PostgreSQL after one on SQLite keeps SQLite's table beside its own.
    """
    kept: dict = {}
    if path.exists():
        try:
            kept = json.loads(path.read_text(encoding="utf-8")).get("scaling", {})
        except (ValueError, AttributeError):
            kept = {}
    if scaling:
        kept[database] = scaling
    payload = {
        "timestamp": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "database": database,
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "results": {result.name: asdict(result) for result in results},
        "scaling": kept,
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
