"""When a PDF's text is read: after its file is saved or replaced, in a task.

A save that keeps the file (a new title, a move to another collection) reads
nothing; it only refreshes the publications' index entries, since a move
into or out of a private collection changes what they may hold.
"""

from functools import partial

from django.conf import settings
from django.db import transaction

from publications.models import DocumentText


def document_saved(sender, *, instance, raw: bool = False, **kwargs) -> None:
    """post_save of the document model: queue a reading or a reindex."""
    from publications.pdf.read import document_is_pdf, document_text_current
    from publications.tasks import (
        document_publications_reindex_task,
        document_text_read_task,
    )

    if raw or not document_is_pdf(instance):
        return
    if document_text_current(document=instance):
        document_thumbnails_follow(document_ids=[instance.pk])
        transaction.on_commit(
            partial(document_publications_reindex_task.enqueue, instance.pk)
        )
        return
    if getattr(settings, "PDF_PROCESS_ON_SAVE", True):
        transaction.on_commit(partial(document_text_read_task.enqueue, instance.pk))


def study_published(sender=None, *, instance, **kwargs) -> None:
    """page_published: publishing a Voices study may move its files out of its
    partner's private collection after the page was indexed; index it again."""
    from wagtail.search import index

    from publications.models import PublicationPage

    if not isinstance(instance, PublicationPage):
        return
    document_ids = list(instance.downloads.values_list("document_id", flat=True))
    if DocumentText.objects.filter(document_id__in=document_ids).exists():
        document_thumbnails_follow(document_ids=document_ids)
        index.insert_or_update_object(instance)


def document_thumbnails_follow(*, document_ids: list[int]) -> int:
    """Move each first-page image into its document's collection, so it stays
    exactly as private as the file; returns how many moved."""
    from wagtail.images import get_image_model

    moved = 0
    texts = DocumentText.objects.filter(
        document_id__in=document_ids, thumbnail__isnull=False
    ).values_list("thumbnail_id", "document__collection_id", "thumbnail__collection_id")
    for image_id, collection_id, image_collection_id in texts:
        if collection_id != image_collection_id:
            moved += (
                get_image_model()
                .objects.filter(pk=image_id)
                .update(collection_id=collection_id)
            )
    return moved
