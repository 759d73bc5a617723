"""Search inside PDFs: reading time per page, and search over 2,000 publications
whose PDFs have 50 pages of text each (site search and the library, with the
passages quoted). Prints the search index's size.

`PDF_BENCH_PUBLICATIONS` shrinks the library for a quick try.
"""

import os
import random
import sys

from django.db import connection
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Collection
from wagtail.search import index

import pytest

from publications.choices import DocumentTextStatus
from publications.models import (
    DocumentPageText,
    DocumentText,
    PublicationDownload,
    PublicationPage,
)
from publications.pdf.sandbox import pdf_read
from tests.publications.bulk import publications_bulk_create
from tests.publications.factories import PublicationIndexPageFactory
from tests.publications.pdf_files import pdf_with_pages

pytestmark = pytest.mark.django_db

PUBLICATIONS = int(os.environ.get("PDF_BENCH_PUBLICATIONS", "2000"))
PAGES = 50
WORDS_PER_PAGE = 120
VOCABULARY = [
    "mining",
    "gold",
    "cassiterite",
    "coltan",
    "traders",
    "border",
    "armed",
    "group",
    "site",
    "survey",
    "village",
    "road",
    "checkpoint",
    "army",
    "police",
    "tax",
    "permit",
    "export",
    "cooperative",
    "diggers",
    "water",
    "forest",
    "land",
    "rights",
    "company",
    "concession",
    "report",
    "field",
    "team",
    "interview",
    "security",
    "incident",
    "market",
    "price",
    "province",
    "territory",
    "chief",
    "militia",
]
RARE_WORD = "wolframite"  # page 3 of one publication only


def _page_text(rng: random.Random) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(WORDS_PER_PAGE))


def _index_size() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('wagtailsearch_indexentry')")
            return f"{cursor.fetchone()[0] / 2**20:.1f} MB (table, tsvectors, indexes)"
        cursor.execute(
            "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'wagtailsearch_indexentry%'"
        )
        size = cursor.fetchone()[0] or 0
        return f"{size / 2**20:.1f} MB (entries and FTS5 tables)"


@pytest.fixture
def pdf_library(home_page):
    library = PublicationIndexPageFactory(parent=home_page)
    ids = publications_bulk_create(parent=library, count=PUBLICATIONS)
    rng = random.Random(19)
    root = Collection.get_first_root_node()
    document_model = get_document_model()
    documents = document_model.objects.bulk_create(
        [
            document_model(
                title=f"Report {pk}", file=f"documents/report-{pk}.pdf", collection=root
            )
            for pk in ids
        ],
        batch_size=500,
    )
    now = timezone.now()
    texts = DocumentText.objects.bulk_create(
        [
            DocumentText(
                document=document,
                status=DocumentTextStatus.OK,
                page_count=PAGES,
                pages_read=PAGES,
                read_at=now,
                file_name=document.file.name,
            )
            for document in documents
        ],
        batch_size=500,
    )
    PublicationDownload.objects.bulk_create(
        [
            PublicationDownload(page_id=pk, document=document, language="en")
            for pk, document in zip(ids, documents, strict=True)
        ],
        batch_size=500,
    )
    pages = []
    for position, text in enumerate(texts):
        for number in range(1, PAGES + 1):
            words = _page_text(rng)
            if position == len(texts) // 2 and number == 3:
                words += f" {RARE_WORD}"
            pages.append(
                DocumentPageText(document_text=text, page_number=number, text=words)
            )
        if len(pages) >= 5000:
            DocumentPageText.objects.bulk_create(pages)
            pages = []
    DocumentPageText.objects.bulk_create(pages)
    for page in PublicationPage.objects.filter(pk__in=ids).iterator(chunk_size=200):
        index.insert_or_update_object(page)
    sys.stdout.write(
        f"\npdf search index: {PUBLICATIONS} publications x {PAGES} pages, "
        f"{_index_size()}\n"
    )
    return library


def test_bench_pdf_read_per_page(tmp_path, bench):
    rng = random.Random(3)
    path = tmp_path / "fifty.pdf"
    lines = [[_page_text(rng)[i : i + 90] for i in range(0, 720, 90)]]
    path.write_bytes(pdf_with_pages(lines * PAGES))
    assert pdf_read(path=str(path)).status == DocumentTextStatus.OK

    result = bench("pdf_read_50_pages", lambda: pdf_read(path=str(path)), rounds=5)

    sys.stdout.write(f"pdf read per page: {result.median_ms / PAGES:.2f} ms\n")
    assert result.median_ms < 10_000


SEARCHES = [
    ("pdf_site_search_rare_word", f"/en/search/?q={RARE_WORD}"),
    ("pdf_site_search_common_words", "/en/search/?q=cassiterite+border"),
    ("pdf_library_search_rare_word", f"/en/publications/?q={RARE_WORD}"),
    ("pdf_library_search_common_words", "/en/publications/?q=cassiterite+border"),
]


def test_bench_search_inside_pdfs(client, server_get, pdf_library, bench):
    # One test for the four searches: the library is built once.
    for name, path in SEARCHES:
        html = client.get(path).content.decode()
        assert "#page=" in html, path
        if RARE_WORD in path:
            assert "#page=3" in html, path

        result = bench(
            name,
            lambda path=path: server_get(path),
            rounds=10,
            warmup=2,
            count_queries=True,
        )

        assert result.queries is not None and result.queries <= 25, path
