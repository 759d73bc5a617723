"""Keeping the search index current when index updates go through the queue.

Wagtail queues every index (and reference-index) update as a task. Under
production settings a fresh site therefore finds nothing until a worker has
run those tasks. Two things close the gap:

- `tasks_run_here()`: bulk work done by a command (the demo loader, imports)
  runs its tasks at once, in the command's process, so the content it adds
  is searchable the moment the command ends, with or without a worker;
- `search_index_update_task`: the whole index rebuilt by a worker, which the
  scheduler queues once a day, so an index that fell behind (tasks lost with
  a flushed queue, rows changed outside Django) catches up by itself.
"""

import contextlib
from collections.abc import Iterator

from django.core.management import call_command
from django.test.utils import override_settings

from django_tasks import task

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@contextlib.contextmanager
def tasks_run_here() -> Iterator[None]:
    """Run every task enqueued inside the block at once, in this process."""
    # django-tasks rebuilds its backends when TASKS changes, and again on exit.
    with override_settings(TASKS=IMMEDIATE):
        yield


@task()
def search_index_update_task() -> str:
    """Rebuild the search index of every indexed model (Wagtail's update_index)."""
    call_command("update_index", verbosity=0)
    return "updated"
