"""The passage of a PDF that matched a search, with its page, for a result list.

Two queries for a whole page of results, whatever its size: the files of the
publications shown (public ones only), and, per file, its best page (most of
the query's words, then the first), chosen by the database with a window.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from publications.choices import DownloadLanguage
from publications.models import DocumentPageText, PublicationDownload, PublicationPage
from publications.pdf.text import collection_restricted
from theme.fulltext.forms import word_match
from theme.highlight import text_excerpt, text_highlight

_SPACE = re.compile(r"\s+")
PASSAGE_LENGTH = 240


@dataclass(frozen=True)
class PdfPassage:
    """Words of a PDF page around the match; `excerpt` is escaped and marked."""

    url: str  # the file's address, at the page (#page=N)
    label: str  # "Full report"
    language: str  # "English"
    language_code: str
    page_number: int
    excerpt: SafeString


def _best_pages(document_ids: set[int], terms: tuple[str, ...]) -> dict[int, tuple]:
    """{document id: (page number, text, words matched)} of each file's best page."""
    if not document_ids:
        return {}
    any_term = Q()
    for term in terms:
        any_term |= Q(text__icontains=term)
    score = sum(
        (
            Case(
                When(text__icontains=term, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for term in terms
        ),
        Value(0),
    )
    rows = (
        DocumentPageText.objects.filter(document_text__document_id__in=document_ids)
        .filter(any_term)
        .annotate(
            score=score,
            rank=Window(
                RowNumber(),
                partition_by=[F("document_text_id")],
                order_by=[F("score").desc(), F("page_number").asc()],
            ),
        )
        .filter(rank=1)
        .values_list("document_text__document_id", "page_number", "text", "score")
    )
    return {row[0]: row[1:] for row in rows}


def pdf_passages(
    *,
    publications: list,
    terms: tuple[str, ...],
    language_code: str = "",
) -> dict[int, PdfPassage]:
    """{publication id: its passage} for the publications among `publications`
    whose public PDFs contain a term. The file in `language_code` (else each
    publication's own language) is preferred, then the one matching most words.
    """
    ids = [page.pk for page in publications if isinstance(page, PublicationPage)]
    if not ids or not terms:
        return {}
    downloads = list(
        PublicationDownload.objects.filter(page_id__in=ids)
        .exclude(collection_restricted("document__collection__path"))
        .select_related("document")
        .order_by("page_id", "sort_order", "pk")
    )
    best = _best_pages({row.document_id for row in downloads}, terms)
    languages = dict(DownloadLanguage.choices)
    by_page = {page.pk: page for page in publications}
    chosen: dict[int, tuple] = {}
    for position, row in enumerate(downloads):
        if row.document_id not in best:
            continue
        page = by_page[row.page_id]
        wanted = language_code or page.locale.language_code
        number, text, score = best[row.document_id]
        key = (row.language != wanted, -score, position)
        if row.page_id not in chosen or key < chosen[row.page_id][0]:
            chosen[row.page_id] = (key, row, number, text)
    passages = {}
    for page_id, (_key, row, number, text) in chosen.items():
        text = _SPACE.sub(" ", text).strip()
        # The forms of the words the search matched in the file's language
        # ("mines" for "mining" on PostgreSQL), else the words as typed.
        language = "" if row.language == DownloadLanguage.OTHER else row.language
        match = word_match(
            terms=terms,
            language_code=language or by_page[page_id].locale.language_code,
            vendor=connection.vendor,
        )
        forms = match.forms(text) or terms
        excerpt = text_excerpt(text, forms, length=PASSAGE_LENGTH)
        passages[page_id] = PdfPassage(
            url=f"{row.document.url}#page={number}",
            label=row.label or _("Full report"),
            language=str(languages.get(row.language, row.language)),
            language_code=language,
            page_number=number,
            excerpt=text_highlight(excerpt, forms),
        )
    return passages
