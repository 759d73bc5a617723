"""The sending process of test_bench_dispatch_memory.py, alone in its memory.

    python dispatch_process.py DISPATCH_ID MICROSECONDS_PER_MESSAGE

Runs `dispatch_send` against DATABASE_URL through a backend that costs a
fixed time per message, and prints its peak RSS, the MJML renders, and the
time spent composing, as JSON.

Peak RSS is this process's own high-water mark (VmHWM in /proc/self/status,
reset by execve). Not `getrusage().ru_maxrss`: Linux keeps it across execve
(getrusage(2)), and a child started by subprocess begins with its parent's
peak, here the test run's, whose in-memory SQLite test database grows with
the list (about 1 KB a subscriber): 165 MB at 10,000 and 250 MB at 100,000
were the parent's figures, not the sender's.
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


def peak_rss_mb() -> float:
    """This process's peak resident set size since it started, in MB."""
    try:
        with open("/proc/self/status") as status:  # noqa: PTH123 - Linux only
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    # Elsewhere ru_maxrss (kilobytes on Linux, bytes on macOS), which may
    # include the parent's peak.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def main(dispatch_id: int, microseconds: int) -> None:
    inherited_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
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
    print(  # noqa: T201 - the benchmark reads it
        json.dumps(
            {
                "sent": report.sent,
                "renders": sum(report.renders.values()),
                "seconds": seconds,
                "composing_seconds": composing[0],
                "peak_rss_mb": peak_rss_mb(),
                # What getrusage said at the start: the parent's peak.
                "inherited_ru_maxrss_mb": inherited_kb / 1024,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
