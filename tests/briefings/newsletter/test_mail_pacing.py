"""The rate limiter: sliding windows under a fake clock; every send is paced."""

from django.core import mail
from django.test import override_settings

import pytest

from briefings.newsletter import pacing
from briefings.newsletter.send import OutgoingMessage, sending_backend_get


class FakeClock:
    """Time that moves only when the sender sleeps (or the test says so)."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _limiter(clock, **limits):
    return pacing.SlidingWindowLimiter(limits, clock=clock, sleep=clock.sleep)


def test_a_burst_waits_for_the_window_instead_of_failing():
    clock = FakeClock()
    limiter = _limiter(clock, second=3)
    sent_at = []
    for _ in range(7):
        limiter.wait()
        sent_at.append(clock.now - 1000)
    # Three at once, then each waits for the oldest of the last three to age.
    assert sent_at == [0, 0, 0, 1, 1, 1, 2]
    assert clock.sleeps == [1.0, 1.0]


def test_the_window_slides_rather_than_resetting_on_the_minute():
    clock = FakeClock()
    limiter = _limiter(clock, minute=2)
    limiter.wait()  # t=0
    clock.now += 59
    limiter.wait()  # t=59: a fixed "minute" would reset at t=60
    clock.now += 2  # t=61: the first left the window 1 second ago
    assert limiter.wait() == 0
    # The third waits until the send at t=59 is 60 seconds old.
    assert limiter.wait() == pytest.approx(58)
    assert clock.now - 1000 == pytest.approx(119)


def test_every_window_holds_at_once():
    clock = FakeClock()
    limiter = _limiter(clock, second=10, minute=15, day=20)
    for _ in range(20):
        limiter.wait()
    elapsed = clock.now - 1000
    # 10 at once, 5 more within the minute, then the minute is full.
    assert 60 <= elapsed < 61
    limiter.wait()  # the 21st waits for the day
    assert clock.now - 1000 == pytest.approx(86400)
    # Over time, the tightest window sets the pace.
    assert limiter.per_second() == pytest.approx(20 / 86400)


def test_limits_are_checked():
    with pytest.raises(ValueError, match="unknown"):
        pacing.SlidingWindowLimiter({"week": 5})
    with pytest.raises(ValueError, match="at least 1"):
        pacing.SlidingWindowLimiter({"second": 0})


@pytest.fixture
def fake_time(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(pacing, "_clock", clock)
    monkeypatch.setattr(pacing, "_sleep", clock.sleep)
    pacing.limiters_reset()
    yield clock
    pacing.limiters_reset()


@override_settings(
    NEWSLETTER_SENDING_RATES={
        "django.core.mail.backends.locmem.EmailBackend": {"second": 2}
    }
)
def test_the_configured_backend_is_paced_for_every_sender(fake_time):
    # Two instances (a dispatch's and a confirmation email's) share one window.
    for _ in range(3):
        backend = sending_backend_get()
        with backend.session():
            backend.send(OutgoingMessage(to="a@example.org", subject="s", text="t"))
            backend.send(OutgoingMessage(to="b@example.org", subject="s", text="t"))
    assert len(mail.outbox) == 6
    assert fake_time.sleeps == [1.0, 1.0]


@override_settings(NEWSLETTER_SENDING_RATES={"some.other.Backend": {"second": 1}})
def test_a_backend_without_limits_is_not_paced(fake_time):
    backend = sending_backend_get()
    for _ in range(5):
        backend.send(OutgoingMessage(to="a@example.org", subject="s", text="t"))
    assert len(mail.outbox) == 5
    assert fake_time.sleeps == []
