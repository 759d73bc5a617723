"""The sending process of test_bench_dispatch_memory.py, alone in its memory.

    python dispatch_process.py DISPATCH_ID MICROSECONDS_PER_MESSAGE

Runs `dispatch_send` against DATABASE_URL through a backend that costs a
fixed time per message, and prints its peak RSS, the MJML renders, and the
time spent composing, as JSON.
"""

import json
import os
import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class FixedCostBackend:
    """Takes each message and spends a fixed time on it (a provider's cost)."""

    def __init__(self, microseconds: int) -> None:
        self.cost = microseconds / 1_000_000
        self.count = 0

    @contextmanager
    def session(self):
        yield self

    def send(self, message) -> None:
        end = time.perf_counter() + self.cost
        while time.perf_counter() < end:
            pass
        self.count += 1


def main(dispatch_id: int, microseconds: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "site_config.settings.test"
    import django

    django.setup()
    from briefings.newsletter import dispatch as engine
    from briefings.newsletter.models import Dispatch

    composing = [0.0]
    real_message = engine._Composer.message

    def timed_message(self, delivery):
        start = time.perf_counter()
        try:
            return real_message(self, delivery)
        finally:
            composing[0] += time.perf_counter() - start

    engine._Composer.message = timed_message
    backend = FixedCostBackend(microseconds)
    start = time.perf_counter()
    report = engine.dispatch_send(
        dispatch=Dispatch.objects.get(pk=dispatch_id), backend=backend
    )
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(  # noqa: T201 - the benchmark reads it
        json.dumps(
            {
                "sent": report.sent,
                "renders": sum(report.renders.values()),
                "seconds": seconds,
                "composing_seconds": composing[0],
                "peak_rss_mb": peak_kb / 1024,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
