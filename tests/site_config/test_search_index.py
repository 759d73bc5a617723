"""With index updates in the task queue, content added by a command is
searchable at once, and an index that fell behind catches up by itself."""

from django.test import override_settings

import pytest
from django_tasks_db.models import DBTaskResult

from site_config.demo.build import search_indexed_once
from site_config.models import StandardPage
from site_config.search_index import search_index_update_task, tasks_run_here
from tests.site_config.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}
# The task each save of an indexed object enqueues (Wagtail's search).
SEARCH_TASK = "insert_or_update_object_task"


def _found(word: str) -> list[str]:
    return [page.title for page in StandardPage.objects.live().search(word)]


def test_with_a_queue_and_no_worker_new_content_waits_for_the_index(home_page):
    with override_settings(TASKS=DATABASE_QUEUE):
        StandardPageFactory(parent=home_page, title="Cassiterite corridors")

        assert DBTaskResult.objects.filter(task_path__contains="index").exists()
        assert _found("cassiterite") == []

        # The daily job, run by a worker, brings the index up to date.
        search_index_update_task.enqueue()
        result = DBTaskResult.objects.get(
            task_path__endswith="search_index_update_task"
        )
        result.task.call()

    assert _found("cassiterite") == ["Cassiterite corridors"]


def test_work_done_inside_tasks_run_here_is_searchable_at_once(home_page):
    with override_settings(TASKS=DATABASE_QUEUE):
        with tasks_run_here():
            StandardPageFactory(parent=home_page, title="Tin supply chains")

        assert not DBTaskResult.objects.exists()  # nothing left for a worker
        assert _found("supply") == ["Tin supply chains"]


def test_the_demo_build_indexes_what_it_saved_once_at_its_end(home_page):
    with override_settings(TASKS=DATABASE_QUEUE):
        with search_indexed_once():
            page = StandardPageFactory(parent=home_page, title="Kivu corridors")
            page.title = "Kivu gold corridors"
            page.save()
            # Noted, not yet indexed, and no task left for a worker.
            assert _found("kivu") == []
        assert _found("gold") == ["Kivu gold corridors"]
        assert not DBTaskResult.objects.filter(task_path__endswith=SEARCH_TASK).exists()

        # After the block, a save goes through the task queue again.
        StandardPageFactory(parent=home_page, title="Ituri corridors")
        assert DBTaskResult.objects.filter(task_path__endswith=SEARCH_TASK).exists()
