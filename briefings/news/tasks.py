"""Background tasks of news ingestion: they take ids and call a service."""

from django.utils import timezone

from django_tasks import task

from briefings.news.ingest.refresh import source_ingest, source_update
from briefings.news.models import NewsSource


@task()
def source_ingest_task(source_id: int, force: bool = False) -> dict:
    """Fetch, parse, clean and store one news source."""
    source = NewsSource.objects.filter(pk=source_id).first()
    if source is None:
        return {"source_id": source_id, "outcome": "missing"}
    return source_ingest(source=source, force=force).as_dict()


@task()
def sources_due_ingest_task() -> list[int]:
    """Queue one ingestion task per source that is due (for a scheduler)."""
    source_ids = list(NewsSource.objects.due().values_list("pk", flat=True))
    for source_id in source_ids:
        source_ingest_task.enqueue(source_id)
    return source_ids


def source_fetch_now(*, source: NewsSource):
    """Reset the backoff and fetch the source now (through the task queue)."""
    source_update(source, failure_count=0, next_poll_at=timezone.now())
    return source_ingest_task.enqueue(source.pk, True)
