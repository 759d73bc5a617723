"""Background tasks of the publications app: they take ids and call a service."""

from wagtail.documents import get_document_model

from django_tasks import task

from publications.pdf.read import document_publications_reindex, document_text_read


@task()
def document_text_read_task(document_id: int, force: bool = False) -> dict:
    """Read a document's PDF text in the sandbox, store it, reindex its pages."""
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return {"document_id": document_id, "status": "missing"}
    text = document_text_read(document=document, force=force)
    if text is None:
        return {"document_id": document_id, "status": "not a PDF"}
    return {
        "document_id": document_id,
        "status": text.status,
        "pages_read": text.pages_read,
    }


@task()
def document_publications_reindex_task(document_id: int) -> int:
    """Update the index entries of the publications listing a document."""
    return document_publications_reindex(document_id=document_id)
