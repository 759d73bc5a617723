"""Background tasks of the briefings app: they take ids and call a service."""

from django_tasks import task

from briefings.models import NewsSource


@task()
def source_ingest_task(source_id: int, force: bool = False) -> dict:
    """Fetch, parse, clean and store one news source."""
    from briefings.ingest.store import source_ingest

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


@task()
def dispatch_send_task(dispatch_id: int) -> dict:
    """Send what is pending of one dispatch, in batches (one worker at a time)."""
    from briefings.email.dispatch import dispatch_send
    from briefings.models import Dispatch

    dispatch = Dispatch.objects.filter(pk=dispatch_id).first()
    if dispatch is None:
        return {"dispatch_id": dispatch_id, "outcome": "missing"}
    return dispatch_send(dispatch=dispatch).as_dict()
