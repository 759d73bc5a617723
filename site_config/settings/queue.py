"""Where background tasks wait: the database (one box) or Redis through RQ.

`TASKS_BACKEND=database` (the default in production) keeps tasks in the
database and runs them with `manage.py db_worker`. `TASKS_BACKEND=rq` keeps
them in Redis (`REDIS_URL`) and runs them with `manage.py rqworker
--job-class django_tasks_rq.Job default`, on as many machines as needed.
Either way the work itself is the same tasks: the dispatch leases, the feed
bounds and the exactly-once rules live in the database, not in the queue.
"""

from django.core.exceptions import ImproperlyConfigured

DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}
RQ_QUEUE = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def task_queue(backend: str, *, redis_url: str = "") -> dict:
    """The settings for one choice of queue: TASKS, RQ_QUEUES and extra apps."""
    backend = (backend or "database").strip().lower()
    if backend == "database":
        return {"TASKS": DATABASE_QUEUE, "RQ_QUEUES": {}, "APPS": []}
    if backend == "rq":
        if not redis_url:
            raise ImproperlyConfigured(
                "TASKS_BACKEND=rq needs REDIS_URL, e.g. redis://127.0.0.1:6379/0."
            )
        return {
            "TASKS": RQ_QUEUE,
            # No time limit from RQ: each task bounds its own work (a feed's
            # parse, a dispatch's lease), and a send killed by RQ half-way
            # would only leave a message in doubt.
            "RQ_QUEUES": {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": -1}},
            "APPS": ["django_rq"],
        }
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be 'database' or 'rq', not {backend!r}."
    )
