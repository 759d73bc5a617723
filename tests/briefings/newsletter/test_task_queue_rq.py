"""TASKS_BACKEND=rq: a real RQ worker process on the local Redis runs a send
and a feed poll enqueued by another process, as across machines."""

import socket
from collections import Counter

import pytest

from site_config.settings.queue import DATABASE_QUEUE, RQ_QUEUE, task_queue
from tests.briefings.news.factories import NewsSourceFactory
from tests.briefings.news.feeds import local_feed_server, rss_feed
from tests.briefings.newsletter.test_engine_processes import (  # noqa: F401 - fixtures
    dispatch_of,
    processes,
)
from tests.utils.tools import tool_missing

# A database of its own on the local Redis, emptied before and after.
REDIS_URL = "redis://127.0.0.1:6379/13"


def test_the_switch_names_the_queue_and_refuses_what_it_cannot_run():
    from django.core.exceptions import ImproperlyConfigured

    assert task_queue("")["TASKS"] == DATABASE_QUEUE
    rq = task_queue("RQ", redis_url=REDIS_URL)
    assert rq["TASKS"] == RQ_QUEUE
    assert rq["RQ_QUEUES"]["default"] == {"URL": REDIS_URL, "DEFAULT_TIMEOUT": -1}
    assert rq["APPS"] == ["django_rq"]
    with pytest.raises(ImproperlyConfigured, match="needs REDIS_URL"):
        task_queue("rq")
    with pytest.raises(ImproperlyConfigured, match="'database' or 'rq'"):
        task_queue("celery")


@pytest.fixture
def redis_database():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            pass
    except OSError:
        tool_missing("Redis is not answering on 127.0.0.1:6379 (Debian: redis-server).")
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.mark.django_db(transaction=True)
def test_a_real_rq_worker_sends_a_dispatch_and_polls_a_feed_once(
    processes,  # noqa: F811
    dispatch_of,  # noqa: F811
    redis_database,
):
    dispatch, readers = dispatch_of(6)
    with local_feed_server() as server:
        server.expect_request("/feed").respond_with_data(
            rss_feed(4), content_type="application/rss+xml"
        )
        source = NewsSourceFactory(feed_url=server.url_for("/feed"))
        run = processes(
            lease=5,
            heartbeat=0.5,
            delay=0,
            environment={"TASKS_BACKEND": "rq", "REDIS_URL": REDIS_URL},
        )

        queued = run.run("enqueue", str(dispatch.pk), str(source.pk))
        assert redis_database.llen("rq:queue:default") == 2
        run.run("rqworker", timeout=180)

    assert run.run("results", queued["send"], queued["poll"]) == {
        queued["send"]: "SUCCESSFUL",
        queued["poll"]: "SUCCESSFUL",
    }
    assert run.recipients() == Counter({reader.email: 1 for reader in readers})
    assert set(run.run("report", str(dispatch.pk))["deliveries"].values()) == {"sent"}
    assert run.run("news", str(source.pk)) == {"items": 4}
    assert redis_database.llen("rq:queue:default") == 0
