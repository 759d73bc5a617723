"""The one scheduler: its job table, its lock, and a real run of the process."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone

import pytest
from django_tasks.base import Task

from briefings.newsletter.choices import ScheduledSendStatus
from briefings.newsletter.models import Dispatch, ScheduledSend
from site_config import scheduler
from site_config.models import SchedulerHeartbeat
from tests.briefings import conftest as briefings_fixtures
from tests.briefings.newsletter.factories import MailingListFactory, SubscriberFactory

ROOT = Path(__file__).resolve().parents[2]
# The digest fixtures of the briefings tests, here too.
issue = briefings_fixtures.issue
tx_issue = briefings_fixtures.tx_issue

EXPECTED_JOBS = {
    "feeds_poll",
    "scheduled_sends",
    "dispatch_recovery",
    "publish_scheduled",
    "task_results_prune",
    "subscribers_purge",
    "search_index_update",
}


def test_the_table_has_every_periodic_job_each_resolvable_with_an_interval():
    names = [job.name for job in scheduler.JOBS]
    assert len(names) == len(set(names))
    assert set(names) >= EXPECTED_JOBS
    for job in scheduler.JOBS:
        target = job.resolve()
        if job.kind == "task":
            assert isinstance(target, Task), job.name
        else:
            assert hasattr(target, "handle"), job.name
        assert job.interval() > 0
        assert job.name in settings.SCHEDULER_INTERVALS
    assert settings.SCHEDULER_INTERVALS["subscribers_purge"] == 24 * 60 * 60


def test_the_scheduler_holds_each_job_and_a_lock_check(tmp_path):
    lock = scheduler.FileLock(tmp_path / "lock")
    built = scheduler.scheduler_build(lock=lock)
    jobs = {job.id: job for job in built.get_jobs()}
    assert set(jobs) == {job.name for job in scheduler.JOBS} | {
        "lock_check",
        "heartbeat",
    }
    for job in scheduler.JOBS:
        trigger = jobs[job.name].trigger
        assert trigger.interval == timedelta(seconds=job.interval())


@pytest.mark.django_db
def test_the_scheduled_sends_job_starts_a_due_send(
    issue, django_capture_on_commit_callbacks
):
    mailing_list = MailingListFactory(briefing=True)
    SubscriberFactory(lists=[mailing_list])
    planned = ScheduledSend.objects.create(
        page=issue,
        mailing_list=mailing_list,
        send_at=timezone.now() - timedelta(seconds=5),
    )
    job = next(job for job in scheduler.JOBS if job.name == "scheduled_sends")
    with django_capture_on_commit_callbacks(execute=True):
        job.run()
    planned.refresh_from_db()
    assert planned.status == ScheduledSendStatus.STARTED
    assert Dispatch.objects.get() == planned.dispatch
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_pruning_runs_only_with_the_database_task_queue():
    from django_tasks_db.models import DBTaskResult

    job = next(job for job in scheduler.JOBS if job.name == "task_results_prune")
    assert job.only_if() is False  # the immediate backend keeps nothing
    job.run()  # skipped, no error

    database_queue = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    # django-tasks resets its backends when TASKS changes.
    with override_settings(TASKS=database_queue):
        from briefings.newsletter.tasks import subscribers_purge_task

        old = subscribers_purge_task.enqueue()
        DBTaskResult.objects.filter(id=old.id).update(
            status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=30)
        )
        recent = subscribers_purge_task.enqueue()
        DBTaskResult.objects.filter(id=recent.id).update(
            status="SUCCESSFUL", finished_at=timezone.now()
        )
        assert job.only_if() is True
        job.run()
        remaining = DBTaskResult.objects.values_list("id", flat=True)
        assert [str(pk) for pk in remaining] == [str(recent.id)]


@pytest.mark.django_db(transaction=True)
def test_only_one_lock_holder_at_a_time():
    first = scheduler.scheduler_lock()
    second = scheduler.scheduler_lock()
    try:
        assert first.acquire() is True
        assert first.held()
        assert second.acquire() is False
        first.release()
        assert not first.held()
        assert second.acquire() is True
    finally:
        first.release()
        second.release()


# A real process --------------------------------------------------------------


def _settings_module(tmp_path: Path, database: dict) -> str:
    """Test settings with one-second intervals, for a scheduler subprocess."""
    (tmp_path / "scheduler_test_settings.py").write_text(
        "from site_config.settings.test import *  # noqa: F403\n"
        f"DATABASES = {{'default': {database!r}}}\n"
        "SCHEDULER_INTERVALS = {name: 1 for name in SCHEDULER_INTERVALS}  # noqa\n"
        "SCHEDULER_LOCK_CHECK = 1\n"
        "SCHEDULER_HEARTBEAT = 1\n"
    )
    return "scheduler_test_settings"


def _shared_database(tmp_path: Path) -> tuple[dict, Path | None]:
    """The test database as another process can open it.

    PostgreSQL: the test database itself. SQLite's is in memory: a copy in a
    file (what was committed so far), read back after the run.
    """
    database = {
        key: value
        for key, value in connection.settings_dict.items()
        if key not in ("TEST",)
    }
    if connection.vendor != "sqlite":
        return database, None
    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    database["NAME"] = str(path)
    return database, path


def _start(settings_module: str, tmp_path: Path, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}",
        "DATABASE_URL": "",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def _wait_for(log: Path, text: str, *, count: int = 1, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        content = log.read_text()
        if content.count(text) >= count:
            return content
        time.sleep(0.2)
    raise AssertionError(f"{text!r} ×{count} not seen in:\n{log.read_text()}")


@pytest.mark.django_db(transaction=True)
def test_a_real_scheduler_runs_its_jobs_and_a_second_one_stops(tx_issue, tmp_path):
    mailing_list = MailingListFactory(briefing=True)
    reader = SubscriberFactory(lists=[mailing_list])
    planned = ScheduledSend.objects.create(
        page=tx_issue,
        mailing_list=mailing_list,
        send_at=timezone.now() - timedelta(seconds=1),
    )
    database, sqlite_path = _shared_database(tmp_path)
    module = _settings_module(tmp_path, database)

    first_log = tmp_path / "first.log"
    first = _start(module, tmp_path, first_log)
    try:
        _wait_for(first_log, "Scheduler job scheduled_sends done")
        # One-second intervals: every job comes round again.
        log = _wait_for(first_log, "Scheduler job publish_scheduled done", count=2)
        for name in ("feeds_poll", "subscribers_purge"):
            assert f"Scheduler job {name} done" in log
        assert "Scheduler job task_results_prune skipped" in log

        second_log = tmp_path / "second.log"
        second = _start(module, tmp_path, second_log)
        assert second.wait(timeout=90) != 0
        assert "Another scheduler is running" in second_log.read_text()
        assert first.poll() is None  # the first one carries on

        first.send_signal(signal.SIGTERM)
        # Its log says why, should it ever stop otherwise than cleanly.
        assert first.wait(timeout=30) == 0, first_log.read_text()[-4000:]
        assert "Scheduler stopped." in first_log.read_text()
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()

    if sqlite_path is None:
        assert SchedulerHeartbeat.objects.get().beat_at > planned.send_at
        planned.refresh_from_db()
        status, dispatch_id = planned.status, planned.dispatch_id
        sent = Dispatch.objects.get(pk=dispatch_id).deliveries.filter(
            status="sent", subscriber=reader
        )
        assert sent.count() == 1
    else:
        with sqlite3.connect(sqlite_path) as db:
            status, dispatch_id = db.execute(
                "SELECT status, dispatch_id FROM newsletter_scheduledsend WHERE id = ?",
                [planned.pk],
            ).fetchone()
            assert db.execute(
                "SELECT status FROM briefings_delivery WHERE dispatch_id = ?",
                [dispatch_id],
            ).fetchall() == [("sent",)]
            assert db.execute(
                "SELECT count(*) FROM site_config_schedulerheartbeat"
            ).fetchone() == (1,)
    assert status == ScheduledSendStatus.STARTED
    assert dispatch_id is not None


def _started_or_refused(log: Path, seconds: float = 90) -> bool:
    """True once the scheduler logged its start; False if it was turned away."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        content = log.read_text()
        if "Scheduler job" in content:
            return True
        if "Another scheduler is running" in content:
            return False
        time.sleep(0.2)
    raise AssertionError(log.read_text())


@pytest.mark.django_db(transaction=True)
def test_a_killed_scheduler_leaves_its_lock_to_the_next(tmp_path):
    database, _ = _shared_database(tmp_path)
    module = _settings_module(tmp_path, database)
    first_log, next_log = tmp_path / "first.log", tmp_path / "next.log"
    first = _start(module, tmp_path, first_log)
    following = None
    try:
        _wait_for(first_log, "Scheduler started")
        first.kill()  # SIGKILL: no clean-up code runs
        first.wait()
        # PostgreSQL frees a dead client's session (and lock) a moment after;
        # a supervisor restarting the next one would try again the same way.
        for _attempt in range(5):
            following = _start(module, tmp_path, next_log)
            if _started_or_refused(next_log):
                break
            following.wait(timeout=30)
            time.sleep(1)
        _wait_for(next_log, "Scheduler job feeds_poll done")
        assert following.poll() is None
    finally:
        for process in (first, following):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
