"""Search inside the PDFs: upload, read in the background, find by a word on page 3."""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

import pytest

from publications.choices import DocumentTextStatus
from publications.models import DocumentText, PublicationDownload, PublicationPage
from publications.pdf.passages import pdf_passages
from publications.pdf.read import document_text_read
from publications.pdf.text import publication_pdf_text
from publications.tasks import document_text_read_task
from tests.publications.factories import PdfDocumentFactory, PublicationPageFactory
from tests.publications.pdf_files import pdf_with_pages

pytestmark = pytest.mark.django_db

REPORT_PAGES = [
    ["Gold mining in eastern Congo", "An introduction to the sites we visited."],
    ["Methods", "Teams visited two hundred mining sites over two years."],
    ["Findings", "Traders move cassiterite across the border at night."],
]


def _document(title: str, pages, *, collection=None):
    document = get_document_model()(
        title=title,
        collection=collection or Collection.get_first_root_node(),
    )
    document.file.save(f"{title}.pdf", ContentFile(pdf_with_pages(pages)), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


def _attach(publication: PublicationPage, document, *, language: str = "en"):
    PublicationDownload.objects.create(
        page=publication, document=document, language=language
    )
    publication.save_revision().publish()


@pytest.fixture
def reading_on(settings):
    settings.PDF_PROCESS_ON_SAVE = True


def test_an_uploaded_pdf_is_read_in_the_background_page_by_page(
    admin_client, reading_on, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(
        "field-report.pdf", pdf_with_pages(REPORT_PAGES), "application/pdf"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtaildocs:add"),
            {
                "title": "Field report",
                "file": upload,
                "collection": Collection.get_first_root_node().pk,
            },
        )

    assert response.status_code == 302
    document = get_document_model().objects.get(title="Field report")
    text = DocumentText.objects.get(document=document)
    assert text.status == DocumentTextStatus.OK
    assert (text.page_count, text.pages_read) == (3, 3)
    page_three = text.pages.get(page_number=3).text
    assert "cassiterite" in page_three
    assert "cassiterite" not in text.pages.get(page_number=1).text


def test_site_and_library_search_find_a_word_only_on_page_three(
    client, library, reading_on, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = _document("gold-report", REPORT_PAGES)
    publication = PublicationPageFactory(
        parent=library, title="Gold in Ituri", summary="Mines and traders."
    )
    _attach(publication, document)

    for path in ("/en/search/?q=cassiterite", "/en/publications/?q=cassiterite"):
        html = client.get(path).content.decode()
        assert "Gold in Ituri" in html, path
        assert f"{document.url}#page=3" in html, path
        assert "Full report (English), page 3" in html, path
        assert "<mark>cassiterite</mark>" in html, path


def test_a_word_only_in_the_french_pdf_finds_the_publication(client, library):
    english = _document("report-en", REPORT_PAGES)
    french = _document(
        "report-fr", [["Les négociants exportent la cassitérite clandestinement."]]
    )
    for document in (english, french):
        document_text_read(document=document)
    publication = PublicationPageFactory(parent=library, title="Gold in Ituri")
    PublicationDownload.objects.create(page=publication, document=english)
    _attach(publication, french, language="fr")

    html = client.get("/en/search/?q=clandestinement").content.decode()

    assert "Gold in Ituri" in html
    assert f"{french.url}#page=1" in html
    assert "Full report (French), page 1" in html


def test_the_file_in_the_pages_language_is_quoted_first(library):
    english = _document("en", [["Smuggling of cassiterite, English text."]])
    french = _document("fr", [["La cassiterite passe la frontière."]])
    for document in (english, french):
        document_text_read(document=document)
    publication = PublicationPageFactory(parent=library)
    PublicationDownload.objects.create(page=publication, document=french, language="fr")
    PublicationDownload.objects.create(page=publication, document=english)
    publication = PublicationPage.objects.select_related("locale").get(
        pk=publication.pk
    )

    english_first = pdf_passages(publications=[publication], terms=("cassiterite",))
    french_first = pdf_passages(
        publications=[publication], terms=("cassiterite",), language_code="fr"
    )

    assert english_first[publication.pk].url.startswith(english.url)
    assert french_first[publication.pk].url.startswith(french.url)


def test_a_replaced_file_is_read_again_and_reindexed(
    client, library, reading_on, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = _document("report", REPORT_PAGES)
    publication = PublicationPageFactory(parent=library, title="Gold in Ituri")
    _attach(publication, document)
    assert "Gold in Ituri" in client.get("/en/search/?q=cassiterite").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        document.file.save(
            "report-v2.pdf",
            ContentFile(pdf_with_pages([["Coltan is the only mineral here."]])),
            save=False,
        )
        document._set_document_file_metadata()
        document.save()

    assert (
        "Gold in Ituri" not in client.get("/en/search/?q=cassiterite").content.decode()
    )
    assert "Gold in Ituri" in client.get("/en/search/?q=coltan").content.decode()


def test_a_rename_or_a_move_reads_nothing(
    library, reading_on, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = _document("report", REPORT_PAGES)
    read_at = DocumentText.objects.get(document=document).read_at
    other = Collection.get_first_root_node().add_child(name="Archive")

    with django_capture_on_commit_callbacks(execute=True):
        document.title = "Renamed report"
        document.collection = other
        document.save()

    assert DocumentText.objects.get(document=document).read_at == read_at


def test_no_reading_on_save_when_the_setting_is_off(
    settings, django_capture_on_commit_callbacks
):
    settings.PDF_PROCESS_ON_SAVE = False
    with django_capture_on_commit_callbacks(execute=True):
        document = _document("report", REPORT_PAGES)

    assert not DocumentText.objects.filter(document=document).exists()


def test_a_private_collections_file_is_never_indexed_or_quoted(client, library):
    private = Collection.get_first_root_node().add_child(name="Partner drafts")
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = _document("secret", REPORT_PAGES, collection=private)
    document_text_read(document=document)
    publication = PublicationPageFactory(parent=library, title="Gold in Ituri")
    _attach(publication, document)

    assert "cassiterite" not in publication_pdf_text(publication_id=publication.pk)
    assert (
        "Gold in Ituri" not in client.get("/en/search/?q=cassiterite").content.decode()
    )
    assert not pdf_passages(
        publications=[publication], terms=("gold",), language_code="en"
    )

    restriction.delete()
    publication.save_revision().publish()
    assert "Gold in Ituri" in client.get("/en/search/?q=cassiterite").content.decode()


def test_the_index_text_is_capped_and_shared_between_files(settings, library):
    settings.PDF_INDEX_MAX_CHARS = 1000
    long_file = _document("long", [["alpha " * 60] for _ in range(10)])
    short_file = _document("short", [["omega " * 20]])
    for document in (long_file, short_file):
        document_text_read(document=document)
    publication = PublicationPageFactory(parent=library)
    PublicationDownload.objects.create(page=publication, document=long_file)
    PublicationDownload.objects.create(page=publication, document=short_file)

    text = publication_pdf_text(publication_id=publication.pk)

    assert len(text) <= 1000
    assert text.count("omega") == 20  # the short file whole
    assert "alpha" in text


def test_passages_cost_two_queries_for_a_whole_page_of_results(library):
    publications = []
    for number in range(6):
        document = _document(f"report-{number}", REPORT_PAGES)
        document_text_read(document=document)
        publication = PublicationPageFactory(parent=library)
        PublicationDownload.objects.create(page=publication, document=document)
        publications.append(publication)
    listed = list(
        PublicationPage.objects.filter(
            pk__in=[p.pk for p in publications]
        ).select_related("locale")
    )

    with CaptureQueriesContext(connection) as few:
        pdf_passages(publications=listed[:2], terms=("cassiterite", "border"))
    with CaptureQueriesContext(connection) as many:
        passages = pdf_passages(publications=listed, terms=("cassiterite", "border"))

    assert len(few.captured_queries) == len(many.captured_queries) == 2
    assert {passage.page_number for passage in passages.values()} == {3}


def test_library_search_queries_do_not_grow_with_pdfs(client, library):
    def queries_for(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured.captured_queries)

    def add(count):
        for _ in range(count):
            document = _document("report", REPORT_PAGES)
            document_text_read(document=document)
            _attach(PublicationPageFactory(parent=library), document)

    add(2)
    client.get("/en/publications/?q=cassiterite")
    few = queries_for("/en/publications/?q=cassiterite")
    add(8)
    client.get("/en/publications/?q=cassiterite")  # publishing emptied the caches
    many = queries_for("/en/publications/?q=cassiterite")

    assert many == few


def test_the_task_reports_a_missing_document_and_a_non_pdf():
    other = PdfDocumentFactory()
    other.file.save("notes.txt", ContentFile(b"plain notes"), save=True)

    assert document_text_read_task.enqueue(10**9).return_value == {
        "document_id": 10**9,
        "status": "missing",
    }
    assert document_text_read_task.enqueue(other.pk).return_value["status"] == (
        "not a PDF"
    )


def test_a_passage_marks_the_forms_the_search_matched(library):
    """On PostgreSQL "mining" matches "mines" by its English stem, and the
    passage marks both; on SQLite a word matches as a prefix ("mining",
    "miningtowns"), never a shorter one."""
    document = _document(
        "mines", [["Artisanal mining feeds the mines of Kamituga and miningtowns."]]
    )
    document_text_read(document=document)
    publication = PublicationPageFactory(parent=library)
    PublicationDownload.objects.create(page=publication, document=document)
    publication = PublicationPage.objects.select_related("locale").get(
        pk=publication.pk
    )

    excerpt = pdf_passages(publications=[publication], terms=("mining",))[
        publication.pk
    ].excerpt

    assert "<mark>mining</mark>" in excerpt
    if connection.vendor == "postgresql":
        assert "<mark>mines</mark>" in excerpt
        assert "miningtowns" in excerpt and "<mark>miningtowns" not in excerpt
    else:
        assert "<mark>miningtowns</mark>" in excerpt
        assert "<mark>mines" not in excerpt
