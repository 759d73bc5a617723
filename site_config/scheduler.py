"""All periodic work, in one process: `manage.py run_scheduler`.

`JOBS` is the whole table. A job only queues a django-tasks task (the work
runs in the task worker) or runs a short management command; APScheduler
calls each at the interval named in settings.SCHEDULER_INTERVALS, never two
runs of one job at once, and skips the runs it missed while busy or stopped
rather than running them in a burst.

Only one scheduler may act for a database: two would queue everything twice.
The process holds a lock for as long as it runs: a session-level PostgreSQL
advisory lock (released by the server when the process dies, on any machine),
or, on SQLite, an exclusive `flock` on a file beside the database (released by
the kernel). A second scheduler finds the lock taken and stops at once with a
message; under a supervisor that restarts it, it takes over when the first
one dies. The holder checks every SCHEDULER_LOCK_CHECK seconds that its lock
session is alive, and stops if it is not.
"""

import fcntl
import hashlib
import io
import logging
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command, get_commands, load_command_class
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.module_loading import import_string

from apscheduler.schedulers.blocking import BlockingScheduler
from django_tasks import task_backends
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend

logger = logging.getLogger(__name__)

LOCK_NAME = "site_config.scheduler"


def _database_task_queue() -> bool:
    """Whether task results are kept in the database (anything to prune)."""
    return isinstance(task_backends["default"], DatabaseBackend)


def _prune_options() -> dict:
    return {
        "min_age_days": settings.SCHEDULER_TASK_RESULTS_MAX_AGE_DAYS,
        "failed_min_age_days": settings.SCHEDULER_TASK_RESULTS_MAX_AGE_DAYS,
        "queue_name": "*",
    }


def _connections_refresh() -> None:
    """A long-lived process: drop connections that are broken or too old.

    As Django does around each request; never one inside a transaction.
    """
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


@dataclass(frozen=True)
class Job:
    """One periodic job: a task to queue, or a command to run."""

    name: str
    kind: str  # "task" or "command"
    target: str  # a task's dotted path, or a command's name
    description: str
    options: Callable[[], dict] = dict
    only_if: Callable[[], bool] | None = field(default=None)

    def resolve(self):
        """The task object, or the command's app label; raises if it is missing."""
        if self.kind == "task":
            target = import_string(self.target)
            if not isinstance(target, Task):
                raise ImproperlyConfigured(f"{self.target} is not a task.")
            return target
        if self.kind == "command":
            app = get_commands()[self.target]
            return load_command_class(app, self.target)
        raise ImproperlyConfigured(f"Unknown kind of job: {self.kind}")

    def interval(self) -> int:
        try:
            return int(settings.SCHEDULER_INTERVALS[self.name])
        except KeyError:
            raise ImproperlyConfigured(
                f"SCHEDULER_INTERVALS has no interval for the job {self.name!r}."
            ) from None

    def run(self) -> None:
        """Queue the task or run the command (what APScheduler calls)."""
        if self.only_if is not None and not self.only_if():
            logger.info("Scheduler job %s skipped: nothing to do here", self.name)
            return
        started = time.monotonic()
        _connections_refresh()
        try:
            if self.kind == "task":
                self.resolve().enqueue(**self.options())
            else:
                output = io.StringIO()
                call_command(
                    self.target, stdout=output, stderr=output, **self.options()
                )
                if text := output.getvalue().strip():
                    logger.info("%s: %s", self.target, text)
        finally:
            _connections_refresh()
        logger.info(
            "Scheduler job %s done in %.2f s", self.name, time.monotonic() - started
        )


JOBS: tuple[Job, ...] = (
    Job(
        "feeds_poll",
        "task",
        "briefings.news.tasks.sources_due_ingest_task",
        "Queue a fetch of every news source that is due",
    ),
    Job(
        "scheduled_sends",
        "task",
        "briefings.newsletter.tasks.scheduled_sends_due_task",
        "Start the newsletter sends planned for now",
    ),
    Job(
        "dispatch_recovery",
        "task",
        "briefings.newsletter.tasks.dispatch_leases_recover_task",
        "Resume the newsletter dispatches whose worker died (lease run out)",
    ),
    Job(
        "publish_scheduled",
        "command",
        "publish_scheduled",
        "Publish and unpublish pages at their scheduled times (Wagtail)",
    ),
    Job(
        "task_results_prune",
        "command",
        "prune_db_task_results",
        "Delete finished task results older than SCHEDULER_TASK_RESULTS_MAX_AGE_DAYS",
        options=_prune_options,
        only_if=_database_task_queue,
    ),
    Job(
        "subscribers_purge",
        "task",
        "briefings.newsletter.tasks.subscribers_purge_task",
        "Apply the subscribers' retention periods",
    ),
    Job(
        "search_index_update",
        "task",
        "site_config.search_index.search_index_update_task",
        "Rebuild the search index, so one that fell behind catches up",
    ),
)


class SchedulerLock:
    """Held by the one scheduler that acts; see the module's docstring."""

    def acquire(self) -> bool:
        raise NotImplementedError

    def held(self) -> bool:
        raise NotImplementedError

    def release(self) -> None:
        raise NotImplementedError


class AdvisoryLock(SchedulerLock):
    """A PostgreSQL session-level advisory lock on a connection of its own."""

    # pg_try_advisory_lock takes a signed 64-bit key.
    key = int.from_bytes(
        hashlib.sha256(LOCK_NAME.encode()).digest()[:8], "big", signed=True
    )

    def __init__(self, alias: str = DEFAULT_DB_ALIAS) -> None:
        self.connection = connections.create_connection(alias)
        # The lock check runs in the scheduler's worker threads.
        self.connection.inc_thread_sharing()
        self.mutex = threading.Lock()
        self.acquired = False

    def acquire(self) -> bool:
        with self.mutex, self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.key])
            self.acquired = bool(cursor.fetchone()[0])
        return self.acquired

    def held(self) -> bool:
        # The lock lasts as long as its session: a live session still holds it.
        if not self.acquired:
            return False
        try:
            with self.mutex, self.connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception:  # noqa: BLE001 - any failure means the session is gone
            logger.exception("The scheduler's lock session is gone")
            return False
        return True

    def release(self) -> None:
        with self.mutex:
            try:
                if self.acquired:
                    # At once: the server ends a closed session a moment later.
                    with self.connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_unlock(%s)", [self.key])
            except Exception:  # noqa: BLE001 - the session is gone: so is the lock
                logger.warning("The scheduler's lock session was already gone")
            finally:
                self.acquired = False
                self.connection.close()


class FileLock(SchedulerLock):
    """An exclusive flock on a file (SQLite: one machine by nature)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 - kept open while held
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{_process_label()}\n")
        handle.flush()
        self.file = handle
        return True

    def held(self) -> bool:
        return self.file is not None and not self.file.closed

    def release(self) -> None:
        if self.file is not None:
            self.file.close()  # closing drops the flock
            self.file = None


def _process_label() -> str:
    return f"pid {os.getpid()} on {socket.gethostname()} since {timezone.now():%c}"


def sqlite_lock_path(database_name: str) -> Path:
    """Beside the database file; in the temporary folder for in-memory ones."""
    name = str(database_name)
    if name == ":memory:" or "mode=memory" in name:
        digest = hashlib.sha256(name.encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"site-scheduler-{digest}.lock"
    return Path(f"{name}.scheduler.lock")


def scheduler_lock(alias: str = DEFAULT_DB_ALIAS) -> SchedulerLock:
    """The lock that makes one scheduler act at a time for this database."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        return AdvisoryLock(alias)
    return FileLock(sqlite_lock_path(connection.settings_dict["NAME"]))


def heartbeat() -> None:
    """Record that this scheduler is alive (read by `/healthz`)."""
    from site_config.models import SchedulerHeartbeat

    _connections_refresh()
    try:
        SchedulerHeartbeat.beat(process=_process_label())
    except Exception:  # noqa: BLE001 - a missed beat shows on /healthz
        logger.exception("The scheduler could not record its heartbeat")


def scheduler_build(*, lock: SchedulerLock | None = None) -> BlockingScheduler:
    """A scheduler with every job of JOBS, each first run at start."""
    scheduler = BlockingScheduler(
        timezone=settings.TIME_ZONE,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
    )
    now = timezone.now()
    for job in JOBS:
        job.resolve()  # fail at start, not in a week, if a target is gone
        scheduler.add_job(
            job.run,
            "interval",
            seconds=job.interval(),
            id=job.name,
            name=job.description,
            next_run_time=now,
        )
    if lock is not None:

        def lock_check() -> None:
            if not lock.held():
                logger.error("The scheduler lost its lock: it stops.")
                scheduler.lost_lock = True
                scheduler.shutdown(wait=False)

        scheduler.lost_lock = False
        scheduler.add_job(
            heartbeat,
            "interval",
            seconds=settings.SCHEDULER_HEARTBEAT,
            id="heartbeat",
            name="Tell the health check that the scheduler is alive",
            next_run_time=now,
        )
        scheduler.add_job(
            lock_check,
            "interval",
            seconds=settings.SCHEDULER_LOCK_CHECK,
            id="lock_check",
            name="Check that this scheduler still holds its lock",
        )
    return scheduler
