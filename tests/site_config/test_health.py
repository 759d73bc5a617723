"""`/healthz`: answered first, by address, with each part's state and no secrets."""

import json
from datetime import timedelta

from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

import pytest

from site_config import health
from site_config.models import SchedulerHeartbeat

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


def _ask(client, **headers):
    response = client.get("/healthz", **headers)
    return response, json.loads(response.content)


def test_a_load_balancer_asking_by_address_gets_every_check(
    client, django_assert_max_num_queries
):
    SchedulerHeartbeat.beat(process="pid 1")

    with django_assert_max_num_queries(3):
        response, report = _ask(client, HTTP_HOST="10.1.2.3")

    assert response.status_code == 200
    assert report["status"] == "ok"
    assert set(report["checks"]) == {"database", "cache", "task_queue", "scheduler"}
    assert all(check["status"] == "ok" for check in report["checks"].values())
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"
    assert not response.cookies
    assert "pid 1" not in response.content.decode()  # ages and counts only


def test_a_scheduler_that_stopped_beating_is_degraded_not_out_of_rotation(
    client, settings
):
    response, report = _ask(client)
    assert (response.status_code, report["status"]) == (200, "degraded")
    assert report["checks"]["scheduler"]["error"] == "no heartbeat recorded yet"

    SchedulerHeartbeat.beat()
    SchedulerHeartbeat.objects.update(
        beat_at=timezone.now() - timedelta(seconds=3 * settings.SCHEDULER_HEARTBEAT + 5)
    )
    response, report = _ask(client)

    assert (response.status_code, report["status"]) == (200, "degraded")
    assert report["checks"]["scheduler"]["last_beat_seconds_ago"] >= 185


def test_a_database_that_does_not_answer_takes_the_process_out(client, monkeypatch):
    def down():
        raise OperationalError("could not connect to server: secret-host:5432")

    monkeypatch.setitem(health.CHECKS, "database", (down, True))

    response, report = _ask(client)

    assert response.status_code == 503
    assert report["status"] == "failing"
    assert report["checks"]["database"] == {
        "status": "failing",
        "error": "OperationalError",
        "milliseconds": report["checks"]["database"]["milliseconds"],
    }
    assert "secret-host" not in response.content.decode()


def test_a_cache_that_loses_values_takes_the_process_out(client, monkeypatch):
    monkeypatch.setattr(health.cache, "get", lambda key: None)

    response, report = _ask(client)

    assert response.status_code == 503
    assert report["checks"]["cache"]["status"] == "failing"


def test_the_database_task_queue_reports_its_waiting_tasks(client, settings):
    from django_tasks_db.models import DBTaskResult

    SchedulerHeartbeat.beat()
    with override_settings(TASKS=DATABASE_QUEUE):
        from briefings.newsletter.tasks import subscribers_purge_task

        response, report = _ask(client)
        assert report["checks"]["task_queue"]["waiting"] == 0

        waiting = subscribers_purge_task.enqueue()
        DBTaskResult.objects.filter(id=waiting.id).update(
            enqueued_at=timezone.now()
            - timedelta(seconds=settings.HEALTH_TASK_QUEUE_MAX_WAIT + 60)
        )
        response, report = _ask(client)

    queue = report["checks"]["task_queue"]
    assert (response.status_code, report["status"]) == (200, "degraded")
    assert queue["status"] == "degraded"
    assert queue["waiting"] == 1
    assert queue["oldest_waiting_seconds"] >= settings.HEALTH_TASK_QUEUE_MAX_WAIT


def test_only_get_and_head_are_answered(client):
    assert client.head("/healthz").status_code == 200
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_other_paths_go_on_to_the_site(client):
    response = client.get("/healthz/more")

    assert response.status_code == 302
    assert response["Location"] == "/en/healthz/more/"


def test_the_rq_task_queue_reports_its_waiting_tasks(client, settings):
    import redis

    from site_config.settings.queue import task_queue

    redis_url = "redis://127.0.0.1:6379/13"
    try:
        redis.Redis.from_url(redis_url).flushdb()
    except redis.ConnectionError:
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    queue = task_queue("rq", redis_url=redis_url)
    SchedulerHeartbeat.beat()
    with override_settings(TASKS=queue["TASKS"], RQ_QUEUES=queue["RQ_QUEUES"]):
        from briefings.newsletter.tasks import subscribers_purge_task

        subscribers_purge_task.enqueue()
        response, report = _ask(client)
    redis.Redis.from_url(redis_url).flushdb()

    assert report["status"] == "ok"
    assert report["checks"]["task_queue"]["waiting"] == 1
    assert report["checks"]["task_queue"]["oldest_waiting_seconds"] <= 60
