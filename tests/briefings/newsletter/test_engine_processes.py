"""A real worker process killed with SIGKILL mid-dispatch, sending to a real
SMTP server process on loopback; recovered through the admin.

The database is shared with the processes: PostgreSQL's test database as is,
or, on SQLite, a file copied from the in-memory test database.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection

import pytest

from briefings.newsletter.dispatch import dispatch_create
from tests.briefings.newsletter.factories import SubscriberFactory
from tests.utils.processes import shared_database_url

pytestmark = pytest.mark.django_db(transaction=True)

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "engine_processes.py"
ROOT = HERE.parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Processes:
    def __init__(
        self,
        tmp_path: Path,
        *,
        lease: float,
        heartbeat: float,
        delay: float,
        environment: dict | None = None,
    ):
        self.received = tmp_path / "received.txt"
        self.port = _free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": shared_database_url(tmp_path),
            "SMTP_PORT": str(self.port),
            "LEASE_SECONDS": str(lease),
            "HEARTBEAT_SECONDS": str(heartbeat),
            "PYTHONUNBUFFERED": "1",
            **(environment or {}),
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.running: list[subprocess.Popen] = []
        self.smtp = self.start("smtp", str(self.port), str(self.received), str(delay))
        ready = Path(str(self.received) + ".ready")
        deadline = time.monotonic() + 20
        while not ready.exists():
            assert time.monotonic() < deadline, "the SMTP server did not start"
            time.sleep(0.05)

    def start(self, *arguments: str) -> subprocess.Popen:
        process = subprocess.Popen(  # noqa: S603 - our own script
            [sys.executable, str(SCRIPT), *arguments],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.running.append(process)
        return process

    def run(self, *arguments: str, timeout: float = 60) -> dict:
        process = self.start(*arguments)
        out, err = process.communicate(timeout=timeout)
        assert process.returncode == 0, err[-3000:]
        return json.loads(out.strip().splitlines()[-1]) if out.strip() else {}

    def recipients(self) -> Counter:
        if not self.received.exists():
            return Counter()
        return Counter(self.received.read_text().split())

    def stop(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture
def processes(tmp_path):
    started: list[Processes] = []

    def start(**options) -> Processes:
        started.append(Processes(tmp_path, **options))
        return started[-1]

    yield start
    for group in started:
        group.stop()


@pytest.fixture
def dispatch_of(tx_issue, briefing_list):
    def create(count: int):
        readers = [
            SubscriberFactory(
                email=f"reader{n:03d}@example.org",
                language=("en", "fr", "sw")[n % 3],
                lists=[briefing_list],
            )
            for n in range(count)
        ]
        get_user_model().objects.create_superuser(
            "operator", "operator@institute.example", "pw"
        )
        return dispatch_create(page=tx_issue, mailing_list=briefing_list), readers

    return create


def test_a_worker_killed_mid_dispatch_then_resumed_from_the_admin_sends_once(
    processes, dispatch_of
):
    dispatch, readers = dispatch_of(60)
    run = processes(lease=2, heartbeat=0.3, delay=0.03)
    started = time.monotonic()
    worker = run.start("worker", str(dispatch.pk), "--enqueue")
    deadline = time.monotonic() + 40
    while sum(run.recipients().values()) < 15:
        assert worker.poll() is None, worker.stderr.read()[-3000:]
        assert time.monotonic() < deadline, "nothing arrived"
        time.sleep(0.01)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    at_kill = sum(run.recipients().values())
    assert at_kill < len(readers), "the worker finished before it was killed"

    # Staff open the dispatch once its lease ran out: "Resume" is offered, and
    # a new worker (the old task is still RUNNING in the queue) finishes.
    screen = run.run("admin", str(dispatch.pk), "operator")
    assert screen == {"stalled": True, "get": 200, "post": 302}
    run.run("worker", str(dispatch.pk), "--batch")
    outcome = run.run("report", str(dispatch.pk))
    elapsed = time.monotonic() - started

    received = run.recipients()
    statuses = outcome["deliveries"]
    in_doubt = [email for email, status in statuses.items() if status == "uncertain"]
    assert max(received.values()) == 1, "someone got the issue twice"
    assert len(in_doubt) <= 1
    for reader in readers:
        if reader.email in in_doubt:
            assert received[reader.email] <= 1
        else:
            assert received[reader.email] == 1, reader.email
            assert statuses[reader.email] == "sent"
    assert outcome["status"] == ("failures" if in_doubt else "done")
    sys.stdout.write(
        f"\n{connection.vendor}: killed after {at_kill} of {len(readers)} messages, "
        f"{len(in_doubt)} in doubt, recovered in {elapsed:.1f} s\n"
    )


def test_a_worker_slower_than_its_lease_keeps_it_against_rival_processes(
    processes, dispatch_of
):
    """Each message takes longer than the lease; another process keeps
    trying to recover and to send meanwhile, and never gets the dispatch."""
    dispatch, readers = dispatch_of(4)
    run = processes(lease=0.6, heartbeat=0.1, delay=1.0)
    worker = run.start("worker", str(dispatch.pk), "--enqueue", "--batch")
    rival = run.run("rival", str(dispatch.pk), "3")
    out, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err[-3000:]
    outcome = run.run("report", str(dispatch.pk))
    assert rival["busy"] > 10, (rival, outcome, run.recipients())
    assert (rival["recovered"], rival["sent"]) == (0, 0)
    assert run.recipients() == Counter({reader.email: 1 for reader in readers})
    assert set(outcome["deliveries"].values()) == {"sent"}
