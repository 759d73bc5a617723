"""Pacing: at most so many messages per second, minute, hour and day.

Providers and SMTP relays cap how fast an account may send; past the cap they
refuse, throttle or mark the sender as abusive. So the sender waits instead:
before each message, `SlidingWindowLimiter.wait` sleeps until sending one more
keeps every window within its limit. The windows slide (the last 60 seconds,
not the current calendar minute), so a burst at the end of one minute and the
start of the next cannot double the rate.

Limits are set per backend in `NEWSLETTER_SENDING_RATES`, keyed by the
backend's dotted path (`EMAIL_BACKEND` for the default sending backend, or
the `BRIEFINGS_SENDING_BACKEND` class):

    NEWSLETTER_SENDING_RATES = {
        "anymail.backends.postmark.EmailBackend": {"second": 10, "day": 50_000},
    }

One limiter serves each backend in a process (every connection it opens, and
the newsletter's own confirmation emails too). Each worker process paces on
its own: with two `db_worker` processes, give each half the account's rate.
A window of limit N keeps the times of the last N sends (a day of 100,000
costs a few megabytes).
"""

import threading
import time
from collections import deque
from collections.abc import Callable

from django.conf import settings

WINDOWS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}

# The clock and sleep limiters use unless given others (tests give fake ones).
_clock: Callable[[], float] = time.monotonic
_sleep: Callable[[float], None] = time.sleep


class SlidingWindowLimiter:
    """Waits before each send so that no window holds more than its limit."""

    def __init__(
        self,
        limits: dict[str, int],
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        unknown = set(limits) - set(WINDOWS)
        if unknown:
            raise ValueError(f"unknown rate windows: {sorted(unknown)}")
        self.limits = {
            name: int(count) for name, count in limits.items() if count is not None
        }
        if any(count < 1 for count in self.limits.values()):
            raise ValueError("a rate limit is at least 1 message")
        self.clock = clock or _clock
        self.sleep = sleep or _sleep
        # The times of the last `limit` sends, per window.
        self._sent = {name: deque(maxlen=count) for name, count in self.limits.items()}
        self._lock = threading.Lock()
        self.waited = 0.0  # seconds spent waiting, in total

    def _delay(self, now: float) -> float:
        delay = 0.0
        for name, times in self._sent.items():
            if len(times) == times.maxlen:
                # The oldest of the last N sends must leave the window first.
                delay = max(delay, times[0] + WINDOWS[name] - now)
        return delay

    def wait(self) -> float:
        """Sleep until one more message fits every window, then count it sent."""
        with self._lock:
            waited = 0.0
            while (delay := self._delay(self.clock())) > 0:
                self.sleep(delay)
                waited += delay
            now = self.clock()
            for times in self._sent.values():
                times.append(now)
            self.waited += waited
            return waited

    def per_second(self) -> float | None:
        """The steady pace the limits allow, in messages per second (None: any)."""
        if not self.limits:
            return None
        return min(count / WINDOWS[name] for name, count in self.limits.items())


class PacedBackend:
    """A sending backend whose every message first waits for its limiter."""

    def __init__(self, backend, limiter: SlidingWindowLimiter) -> None:
        self.backend = backend
        self.limiter = limiter

    def send(self, message):
        self.limiter.wait()
        return self.backend.send(message)

    def __getattr__(self, name):
        return getattr(self.backend, name)


_limiters: dict[tuple, SlidingWindowLimiter] = {}
_limiters_lock = threading.Lock()


def limits_for(key: str) -> dict[str, int]:
    """The limits set for a backend (empty: no limit)."""
    return dict(getattr(settings, "NEWSLETTER_SENDING_RATES", {}).get(key) or {})


def limiter_for(key: str) -> SlidingWindowLimiter | None:
    """This process's limiter for a backend, or None when it has no limits."""
    limits = limits_for(key)
    if not limits:
        return None
    identity = (key, tuple(sorted(limits.items())))
    with _limiters_lock:
        if identity not in _limiters:
            _limiters[identity] = SlidingWindowLimiter(limits)
        return _limiters[identity]


def limiters_reset() -> None:
    """Forget every limiter (their windows start empty again)."""
    with _limiters_lock:
        _limiters.clear()


def paced(backend, key: str):
    """The backend, paced by the limits set for `key` if any."""
    limiter = limiter_for(key)
    return backend if limiter is None else PacedBackend(backend, limiter)
