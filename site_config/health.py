"""`/healthz`: what a load balancer or a monitor asks of one web process.

Answered by a middleware placed first, before host validation, HTTPS
redirects, sessions and languages: a load balancer asks by address, over
plain HTTP, and must get the same answer as a reader's request would.

Four checks, each timed:
- database: one query;
- cache: a value written and read back;
- task queue: how many tasks wait and how long the oldest has waited
  (the database queue or RQ; the immediate backend has nothing to count);
- scheduler: the age of its last heartbeat (`SchedulerHeartbeat`).

The status is 200 when this process can serve pages (database and cache
answer) and 503 when it cannot, so a load balancer takes it out of rotation
only then. A late scheduler or a backed-up queue is "degraded" in the body,
for a monitor to alert on, without taking the web away from readers. Only
counts and ages are shown: nothing a visitor could use.
"""

import json
import time
import uuid
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

PATH = "/healthz"
OK, DEGRADED, FAILING = "ok", "degraded", "failing"


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": OK}


def _cache() -> dict:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    read = cache.get(key)
    cache.delete(key)
    if read != value:
        return {"status": FAILING, "error": "a value written was not read back"}
    return {"status": OK}


def _age(moment: datetime | None) -> int | None:
    return None if moment is None else int((timezone.now() - moment).total_seconds())


def _waiting(count: int, oldest: datetime | None) -> dict:
    age = _age(oldest)
    late = age is not None and age > settings.HEALTH_TASK_QUEUE_MAX_WAIT
    return {
        "status": DEGRADED if late else OK,
        "waiting": count,
        "oldest_waiting_seconds": age,
    }


def _task_queue() -> dict:
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = task_backends["default"]
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.ready()
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True)
        return _waiting(waiting.count(), oldest.first())
    if type(backend).__name__ == "RQBackend":
        import django_rq

        queue = django_rq.get_queue("default")
        first = queue.get_jobs(0, 1)
        return _waiting(queue.count, first[0].enqueued_at if first else None)
    return {"status": OK, "backend": type(backend).__name__}


def _scheduler() -> dict:
    from site_config.models import SchedulerHeartbeat

    beat = SchedulerHeartbeat.objects.values_list("beat_at", flat=True).first()
    age = _age(beat)
    if age is None:
        return {"status": DEGRADED, "error": "no heartbeat recorded yet"}
    late = age > 3 * settings.SCHEDULER_HEARTBEAT
    return {"status": DEGRADED if late else OK, "last_beat_seconds_ago": age}


CHECKS: dict[str, tuple[Callable[[], dict], bool]] = {
    # name: (check, whether the web process needs it to serve pages)
    "database": (_database, True),
    "cache": (_cache, True),
    "task_queue": (_task_queue, False),
    "scheduler": (_scheduler, False),
}


def health_report() -> tuple[int, dict]:
    """The HTTP status and the report of every check."""
    checks, serving = {}, True
    for name, (check, needed) in CHECKS.items():
        started = time.perf_counter()
        try:
            result = check()
        except Exception as error:  # noqa: BLE001 - reported, never raised
            result = {"status": FAILING, "error": type(error).__name__}
        result["milliseconds"] = round((time.perf_counter() - started) * 1000, 1)
        checks[name] = result
        if needed and result["status"] == FAILING:
            serving = False
    statuses = {result["status"] for result in checks.values()}
    overall = FAILING if not serving else (OK if statuses == {OK} else DEGRADED)
    return (200 if serving else 503), {"status": overall, "checks": checks}


class HealthCheckMiddleware:
    """Answers GET/HEAD `/healthz` before anything else runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD"
            return response
        status, report = health_report()
        response = HttpResponse(
            json.dumps(report, indent=1),
            status=status,
            content_type="application/json",
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
