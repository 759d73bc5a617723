"""Real processes for test_engine_processes.py: an SMTP server, a worker, staff.

    python engine_processes.py smtp PORT FILE DELAY   # records each recipient
    python engine_processes.py worker DISPATCH [--enqueue] [--batch]
    python engine_processes.py admin DISPATCH USERNAME  # "Resume" on the screen
    python engine_processes.py rival DISPATCH SECONDS   # tries to take over
    python engine_processes.py report DISPATCH
    python engine_processes.py enqueue DISPATCH SOURCE  # a send and a feed poll
    python engine_processes.py rqworker                 # RQ, until the queue is empty
    python engine_processes.py results ID [ID ...]      # the tasks' statuses
    python engine_processes.py news SOURCE              # items stored from it

Everything but `smtp` runs Django with the test settings against
DATABASE_URL, SMTP on 127.0.0.1:SMTP_PORT and the queue of django-tasks-db,
or, with TASKS_BACKEND=rq, RQ on REDIS_URL (the production settings' switch).
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def smtp(port: int, path: str, delay: float) -> None:
    from aiosmtpd.controller import Controller

    class Recorder:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            with open(path, "a") as out:
                for address in envelope.rcpt_tos:
                    out.write(address + "\n")
                out.flush()
                os.fsync(out.fileno())
            # The message is in; the answer is late: the window in which a
            # killed worker leaves a message in doubt.
            time.sleep(delay)
            return "250 Message accepted for delivery"

    controller = Controller(Recorder(), hostname="127.0.0.1", port=port)
    controller.start()
    Path(path + ".ready").write_text("ready")
    while True:
        time.sleep(3600)


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "site_config.settings.test"
    from django.conf import settings

    from site_config.settings.queue import task_queue

    queue = task_queue(
        os.environ.get("TASKS_BACKEND", "database"),
        redis_url=os.environ.get("REDIS_URL", ""),
    )
    settings.TASKS, settings.RQ_QUEUES = queue["TASKS"], queue["RQ_QUEUES"]
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, *queue["APPS"]]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = int(os.environ["SMTP_PORT"])
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    settings.NEWSLETTER_DISPATCH_LEASE_SECONDS = float(os.environ["LEASE_SECONDS"])
    settings.NEWSLETTER_DISPATCH_HEARTBEAT_SECONDS = float(
        os.environ["HEARTBEAT_SECONDS"]
    )
    import django

    django.setup()


def worker(dispatch_id: int, *, enqueue: bool, batch: bool) -> None:
    from django.core.management import call_command

    from briefings.newsletter.tasks import dispatch_send_task

    if enqueue:
        dispatch_send_task.enqueue(dispatch_id)
    arguments = ["db_worker", "--no-startup-delay", "--interval", "0.1"]
    call_command(*arguments, *(["--batch"] if batch else []), "--no-reload")


def admin(dispatch_id: int, username: str) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from briefings.newsletter.models import Dispatch

    dispatch = Dispatch.objects.get(pk=dispatch_id)
    while dispatch.lease_until and dispatch.lease_until >= timezone.now():
        time.sleep(0.1)
        dispatch.refresh_from_db()
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    url = reverse("newsletter_dispatch_progress", args=[dispatch_id])
    before = client.get(url)
    after = client.post(url, {"action": "resume"})
    print(  # noqa: T201 - the test reads it
        json.dumps(
            {
                "stalled": "data-dispatch-stalled" in before.content.decode(),
                "get": before.status_code,
                "post": after.status_code,
            }
        )
    )


def rival(dispatch_id: int, seconds: float) -> None:
    from briefings.newsletter.dispatch import dispatch_leases_recover, dispatch_send
    from briefings.newsletter.models import Dispatch

    recovered, busy, sent = 0, 0, 0
    # Compete from the moment the worker holds the dispatch.
    deadline = time.monotonic() + 60
    while not Dispatch.objects.filter(pk=dispatch_id).exclude(runner="").exists():
        assert time.monotonic() < deadline, "the worker never took the dispatch"
        time.sleep(0.02)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        recovered += dispatch_leases_recover(enqueue=lambda pk: None)
        report = dispatch_send(dispatch=Dispatch.objects.get(pk=dispatch_id))
        busy += report.busy
        sent += report.sent
        time.sleep(0.05)
    print(json.dumps({"recovered": recovered, "busy": busy, "sent": sent}))  # noqa: T201


def enqueue(dispatch_id: int, source_id: int) -> None:
    from briefings.news.tasks import source_ingest_task
    from briefings.newsletter.tasks import dispatch_send_task

    sent = dispatch_send_task.enqueue(dispatch_id)
    polled = source_ingest_task.enqueue(source_id, True)
    print(json.dumps({"send": sent.id, "poll": polled.id}))  # noqa: T201


def rqworker() -> None:
    from django.core.management import call_command

    call_command("rqworker", "default", burst=True, job_class="django_tasks_rq.Job")


def results(ids: list[str]) -> None:
    from django_tasks import default_task_backend

    statuses = {pk: default_task_backend.get_result(pk).status for pk in ids}
    print(json.dumps(statuses))  # noqa: T201


def news(source_id: int) -> None:
    from briefings.news.models import NewsItem

    count = NewsItem.objects.filter(source_id=source_id).count()
    print(json.dumps({"items": count}))  # noqa: T201


def report(dispatch_id: int) -> None:
    from briefings.newsletter.models import Delivery, Dispatch

    rows = Delivery.objects.filter(dispatch_id=dispatch_id).values_list(
        "subscriber__email", "status"
    )
    dispatch = Dispatch.objects.get(pk=dispatch_id)
    print(  # noqa: T201 - the test reads it
        json.dumps({"status": dispatch.status, "deliveries": dict(rows)})
    )


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "smtp":
        smtp(int(rest[0]), rest[1], float(rest[2]))
    else:
        django_setup()
        if command == "worker":
            worker(int(rest[0]), enqueue="--enqueue" in rest, batch="--batch" in rest)
        elif command == "admin":
            admin(int(rest[0]), rest[1])
        elif command == "rival":
            rival(int(rest[0]), float(rest[1]))
        elif command == "report":
            report(int(rest[0]))
        elif command == "enqueue":
            enqueue(int(rest[0]), int(rest[1]))
        elif command == "rqworker":
            rqworker()
        elif command == "results":
            results(rest)
        elif command == "news":
            news(int(rest[0]))
