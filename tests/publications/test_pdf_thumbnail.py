"""Without a cover, a publication shows the first page of its PDF, drawn once in
the sandbox and kept exactly as private as the file."""

import io

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

import pytest
from PIL import Image

from publications.models import DocumentText, PublicationDownload
from publications.pdf.read import document_text_read
from publications.pdf.sandbox import pdf_thumbnail
from tests.publications.factories import CoverImageFactory, PublicationPageFactory
from tests.publications.pdf_files import pdf_bomb, pdf_with_pages

pytestmark = pytest.mark.django_db

PAGES = [["Gold mining in eastern Congo", "Traders and diggers."], ["Page two"]]


@pytest.fixture(autouse=True)
def thumbnails_on(settings):
    settings.PDF_THUMBNAILS = True


def _document(title: str, data: bytes, *, collection=None):
    document = get_document_model()(
        title=title, collection=collection or Collection.get_first_root_node()
    )
    document.file.save(f"{title}.pdf", ContentFile(data), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


def test_the_first_page_is_drawn_within_the_box(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_with_pages(PAGES))

    reading = pdf_thumbnail(path=str(path), limits={"thumbnail_box": (300, 300)})

    assert reading.status == "ok"
    assert reading.png.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(reading.png)) as image:
        assert max(image.size) == 300
        assert image.size[0] <= 300 and image.size[1] <= 300


def test_a_hostile_file_gives_no_image_within_bounds(tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_bomb(expanded_bytes=64 * 2**20))

    reading = pdf_thumbnail(
        path=str(path), limits={"memory_bytes": 256 * 2**20, "wall_seconds": 5}
    )

    assert reading.seconds < 8
    # pdfium draws what it can of the page, or gives up: never past the limits.
    assert reading.status in {"ok", "too_large", "timed_out", "failed"}


def test_a_publication_without_cover_shows_its_pdfs_first_page(client, library):
    document = _document("gold-report", pdf_with_pages(PAGES))
    text = document_text_read(document=document)
    publication = PublicationPageFactory(parent=library, title="Gold in Ituri")
    PublicationDownload.objects.create(page=publication, document=document)
    publication.save_revision().publish()

    html = client.get(publication.url).content.decode()

    image = text.thumbnail
    assert image is not None
    assert image.collection_id == document.collection_id
    assert image.width <= 600 and image.height <= 850
    assert 'alt="First page of the report"' in html
    assert "publication__cover-image" in html


def test_a_cover_wins_over_the_first_page(client, library):
    document = _document("gold-report", pdf_with_pages(PAGES))
    document_text_read(document=document)
    publication = PublicationPageFactory(
        parent=library, cover_image=CoverImageFactory()
    )
    PublicationDownload.objects.create(page=publication, document=document)
    publication.save_revision().publish()

    html = client.get(publication.url).content.decode()

    assert "First page of the report" not in html
    assert "Miners at work in a gold pit" in html


def test_the_first_page_stays_as_private_as_its_file(client, library):
    private = Collection.get_first_root_node().add_child(name="Partner files")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = _document("draft", pdf_with_pages(PAGES), collection=private)
    text = document_text_read(document=document)
    publication = PublicationPageFactory(parent=library)
    PublicationDownload.objects.create(page=publication, document=document)
    publication.save_revision().publish()

    assert text.thumbnail.collection_id == private.pk
    assert (
        "First page of the report" not in client.get(publication.url).content.decode()
    )

    document.collection = Collection.get_first_root_node()
    document.save()

    text.thumbnail.refresh_from_db()
    assert text.thumbnail.collection_id == document.collection_id
    assert "First page of the report" in client.get(publication.url).content.decode()


def test_a_replaced_file_gets_a_new_first_page(library):
    document = _document("report", pdf_with_pages(PAGES))
    old = document_text_read(document=document).thumbnail
    document.file.save(
        "report-v2.pdf", ContentFile(pdf_with_pages([["New"]])), save=False
    )
    document._set_document_file_metadata()
    document.save()

    new = document_text_read(document=document).thumbnail

    assert new.pk != old.pk
    assert not get_image_model().objects.filter(pk=old.pk).exists()
    assert DocumentText.objects.get(document=document).thumbnail_id == new.pk
