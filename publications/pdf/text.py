"""What search may use of the text read from PDFs: never a private file's.

A document in a collection under a view restriction (or below one) is left
out of the search index and is never quoted in results.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr

from wagtail.models import CollectionViewRestriction

from publications.models import DocumentPageText, PublicationDownload

DEFAULT_INDEX_MAX_CHARS = 400_000


def collection_restricted(path_lookup: str) -> Exists:
    """EXISTS a view restriction on the collection whose tree path is at
    `path_lookup` (of the outer query), or on one of its ancestors.

    An ancestor's materialised path is a prefix of its descendants' paths.
    """
    return Exists(
        CollectionViewRestriction.objects.filter(
            collection__path=Substr(
                OuterRef(path_lookup), 1, Length("collection__path")
            )
        )
    )


def publication_pdf_text(*, publication_id: int) -> str:
    """The text of every public PDF of a publication, in every language, for its
    search index entry: at most PDF_INDEX_MAX_CHARS, shared fairly between files.
    """
    cap = getattr(settings, "PDF_INDEX_MAX_CHARS", DEFAULT_INDEX_MAX_CHARS)
    rows = (
        DocumentPageText.objects.filter(
            document_text__document_id__in=PublicationDownload.objects.filter(
                page_id=publication_id
            ).values("document_id")
        )
        .exclude(collection_restricted("document_text__document__collection__path"))
        .order_by("document_text__document_id", "page_number")
        .values_list("document_text__document_id", "text")
    )
    texts: dict[int, list[str]] = {}
    lengths: dict[int, int] = {}
    for document_id, text in rows.iterator(chunk_size=200):
        if lengths.get(document_id, 0) >= cap:
            continue  # no file can take more than the whole cap
        texts.setdefault(document_id, []).append(text)
        lengths[document_id] = lengths.get(document_id, 0) + len(text) + 1
    parts = []
    remaining = cap
    # Shortest first: what a short file leaves of its share goes to the others.
    order = sorted(texts, key=lambda document_id: lengths[document_id])
    for position, document_id in enumerate(order):
        # One character of each share goes to the line break joining the files.
        share = remaining // (len(order) - position) - 1
        text = "\n".join(texts[document_id])[: max(share, 0)]
        parts.append(text)
        remaining -= len(text) + 1
    return "\n".join(parts)
