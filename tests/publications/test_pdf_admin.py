"""Editors see how each PDF was read; `read_pdfs` reads the files already there."""

from io import StringIO

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

import pytest

from publications.choices import DocumentTextStatus
from publications.models import DocumentText, PublicationDownload
from publications.pdf.read import document_text_read
from tests.publications.factories import PublicationPageFactory
from tests.publications.pdf_files import pdf_encrypted, pdf_with_pages

pytestmark = pytest.mark.django_db


def _document(title: str, data: bytes, *, collection=None):
    document = get_document_model()(
        title=title, collection=collection or Collection.get_first_root_node()
    )
    document.file.save(f"{title}.pdf", ContentFile(data), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


def test_the_edit_screen_tells_each_files_status_and_what_to_do(admin_client, library):
    scanned = _document("scan", pdf_with_pages([[""], [""]]))
    locked = _document("locked", pdf_encrypted([["Words"]], password="pw"))
    unread = _document("unread", pdf_with_pages([["Words"]]))
    for document in (scanned, locked):
        document_text_read(document=document)
    publication = PublicationPageFactory(parent=library)
    for document in (scanned, locked, unread):
        PublicationDownload.objects.create(page=publication, document=document)

    html = admin_client.get(
        reverse("wagtailadmin_pages:edit", args=[publication.pk])
    ).content.decode()

    assert "Search inside the files" in html
    assert "No text layer (scanned)" in html
    assert "Run OCR" in html
    assert "0 of 2 pages read" in html or "2 of 2 pages read" in html
    assert "Upload a copy without a password" in html
    assert "Not read yet" in html


def test_the_edit_screen_says_a_private_files_words_are_not_searched(
    admin_client, library
):
    private = Collection.get_first_root_node().add_child(name="Drafts")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = _document("draft", pdf_with_pages([["Words " * 10]]), collection=private)
    document_text_read(document=document)
    publication = PublicationPageFactory(parent=library)
    PublicationDownload.objects.create(page=publication, document=document)

    html = admin_client.get(
        reverse("wagtailadmin_pages:edit", args=[publication.pk])
    ).content.decode()

    assert "in a private collection" in html


def test_the_add_screen_shows_the_panel_without_files(admin_client, library):
    response = admin_client.get(
        reverse(
            "wagtailadmin_pages:add",
            args=["publications", "publicationpage", library.pk],
        )
    )

    assert response.status_code == 200
    assert "No PDF yet." in response.content.decode()


def test_read_pdfs_reads_unread_files_and_all_of_them_with_all(settings):
    settings.PDF_PROCESS_ON_SAVE = False
    first = _document("first", pdf_with_pages([["Cassiterite " * 5]]))
    second = _document("second", b"not a pdf at all")
    document_text_read(document=first)
    read_at = DocumentText.objects.get(document=first).read_at

    out = StringIO()
    call_command("read_pdfs", stdout=out)

    assert "1 PDF documents read: 1 Not a PDF." in out.getvalue()
    assert DocumentText.objects.get(document=first).read_at == read_at
    assert DocumentText.objects.get(document=second).status == (
        DocumentTextStatus.NOT_PDF
    )

    out = StringIO()
    call_command("read_pdfs", "--all", stdout=out)

    assert "2 PDF documents read" in out.getvalue()
    assert DocumentText.objects.get(document=first).read_at > read_at
