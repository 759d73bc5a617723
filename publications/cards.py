"""The picture on a publication's card: its cover, else its PDF's first page.

A card costs no query of its own: the listings add `card_image_lookups()` to
the queryset of the page of publications they show, which fetches the covers'
renditions, the downloads with their first-page images and those images'
renditions in three queries, however many cards have a picture.
"""

from django.db.models import Prefetch

from publications.models import PublicationDownload, PublicationPage
from publications.pdf.text import collection_restricted
from publications.publication import cover_fallback


def card_image_lookups(prefix: str = "") -> list:
    """Prefetch lookups for the pictures of publications reached by `prefix`
    (e.g. "related__" from a RelatedPublication); the queryset must also
    select_related the cover image (`<prefix>cover_image`)."""
    return [
        f"{prefix}cover_image__renditions",
        card_downloads(prefix),
        f"{prefix}downloads__document__pdf_text__thumbnail__renditions",
    ]


def card_downloads(prefix: str = "") -> Prefetch:
    """The files of publications with their first-page images, and whether
    each is private (a private file's first page is never shown)."""
    return Prefetch(
        f"{prefix}downloads",
        queryset=PublicationDownload.objects.select_related(
            "document__pdf_text__thumbnail"
        ).annotate(private=collection_restricted("document__collection__path")),
    )


def card_image(publication: PublicationPage):
    """The cover, or the public first page of the PDF to cite; None if neither."""
    if publication.cover_image_id:
        return publication.cover_image
    return cover_fallback(publication)
