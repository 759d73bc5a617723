"""Read a document's PDF text in the sandbox, store it page by page, reindex.

`document_text_read` is what the task, the command and the tests call. The
file is read where the storage keeps it, or from a bounded temporary copy
when the storage has no local path (S3).
"""

import contextlib
import io
import shutil
import tempfile
from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.search import index

from publications.choices import DocumentTextStatus
from publications.models import DocumentPageText, DocumentText, PublicationPage
from publications.pdf.sandbox import (
    PdfReading,
    limits_merged,
    pdf_read,
    pdf_thumbnail,
)

# Statuses after which the first page can be drawn.
DRAWABLE = {DocumentTextStatus.OK, DocumentTextStatus.NO_TEXT}


def pdf_limits() -> dict:
    """The sandbox's limits: the defaults with PDF_SANDBOX_LIMITS on top."""
    return limits_merged(getattr(settings, "PDF_SANDBOX_LIMITS", None))


def document_is_pdf(document) -> bool:
    return bool(document.file) and document.file_extension.lower() == "pdf"


def document_text_current(*, document) -> bool:
    """Whether the stored text was read from the document's present file."""
    text = DocumentText.objects.filter(document=document).first()
    return (
        text is not None
        and text.file_name == document.file.name
        and text.file_hash == (document.file_hash or "")
    )


@contextlib.contextmanager
def _local_path(document) -> Iterator[str]:
    """A path on this machine holding the file."""
    try:
        path = document.file.path
    except NotImplementedError:
        path = None  # a remote storage: copy the file (its size was checked)
    if path is not None:
        yield path
        return
    with tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
        with document.file.open("rb") as source:
            shutil.copyfileobj(source, copy, length=1024 * 1024)
        copy.flush()
        yield copy.name


def document_publications_reindex(*, document_id: int) -> int:
    """Update the search index entry of every publication listing the document."""
    pages = PublicationPage.objects.filter(downloads__document_id=document_id)
    count = 0
    for page in pages.distinct():
        index.insert_or_update_object(page)
        count += 1
    return count


def document_text_read(
    *, document, limits: dict | None = None, force: bool = False
) -> DocumentText | None:
    """Read the document's PDF in the sandbox, store each page's text and the
    outcome, and reindex its publications. None for a document that is not a
    PDF; the stored text is kept when it came from the same file (unless
    `force`)."""
    if not document_is_pdf(document):
        return None
    if not force and document_text_current(document=document):
        return DocumentText.objects.get(document=document)
    limits = limits_merged({**pdf_limits(), **(limits or {})})
    try:
        size = document.file.size
    except OSError:
        size = None
    if size is None:
        reading = PdfReading(DocumentTextStatus.FAILED, "The file is missing.")
    elif size > limits["max_file_bytes"]:
        reading = PdfReading(
            DocumentTextStatus.TOO_LARGE,
            f"The file is {size // (1024 * 1024)} MB, more than the "
            f"{limits['max_file_bytes'] // (1024 * 1024)} MB read.",
        )
    else:
        with _local_path(document) as path:
            reading = pdf_read(path=path, limits=limits)
            if reading.status in DRAWABLE and getattr(settings, "PDF_THUMBNAILS", True):
                reading.png = pdf_thumbnail(path=path, limits=limits).png
    return document_text_store(document=document, reading=reading)


def _thumbnail_image(*, document, png: bytes):
    """A Wagtail image of the first page, in the document's own collection, so
    it is exactly as private as the file."""
    from django.core.files.base import ContentFile
    from django.utils.text import slugify

    from wagtail.images import get_image_model

    from PIL import Image

    # Our own child drew it, within the box; PIL only reads its header here.
    with Image.open(io.BytesIO(png)) as drawn:
        width, height = drawn.size
    image = get_image_model()(
        title=f"First page of {document.title}"[:255],
        collection_id=document.collection_id,
    )
    name = slugify(document.title)[:60] or "document"
    image.file.save(f"{name}-page-1.png", ContentFile(png), save=False)
    image.width, image.height = width, height  # saving the file reset them
    image._set_image_file_metadata()
    image.save()
    return image


def document_text_store(*, document, reading: PdfReading) -> DocumentText:
    """Replace the stored text (and first-page image) of `document` with
    `reading`, then reindex."""
    with transaction.atomic():
        text, _created = DocumentText.objects.update_or_create(
            document=document,
            defaults={
                "status": reading.status,
                "reason": reading.reason[:2000],
                "page_count": reading.page_count,
                "pages_read": len(reading.pages),
                "read_at": timezone.now(),
                "file_name": document.file.name[:255],
                "file_hash": (document.file_hash or "")[:40],
            },
        )
        old_thumbnail = text.thumbnail
        text.thumbnail = (
            _thumbnail_image(document=document, png=reading.png)
            if reading.png
            else None
        )
        text.save(update_fields=["thumbnail"])
        if old_thumbnail is not None:
            old_thumbnail.delete()
        text.pages.all().delete()
        DocumentPageText.objects.bulk_create(
            [
                DocumentPageText(document_text=text, page_number=number, text=page)
                for number, page in enumerate(reading.pages, start=1)
            ],
            batch_size=500,
        )
    document_publications_reindex(document_id=document.pk)
    return text


def pdf_documents_unread(*, everything: bool = False) -> list:
    """The PDF documents whose stored text is missing or from another file
    (every PDF document with `everything`), oldest first."""
    documents = (
        get_document_model()
        .objects.filter(file__iendswith=".pdf")
        .select_related("pdf_text")
        .order_by("pk")
    )
    if everything:
        return list(documents)
    return [
        document
        for document in documents
        if not hasattr(document, "pdf_text")
        or document.pdf_text.file_name != document.file.name
        or document.pdf_text.file_hash != (document.file_hash or "")
    ]
