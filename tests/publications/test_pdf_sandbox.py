"""Hostile and odd PDFs are read within stated bounds, with a status and a reason.

Limits are lowered per test so each stays within a few seconds.
"""

import resource

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.models import Collection

import pytest

from publications.choices import DocumentTextStatus
from publications.models import DocumentText
from publications.pdf.sandbox import pdf_read
from tests.publications.pdf_files import (
    pdf_bomb,
    pdf_encrypted,
    pdf_many_pages,
    pdf_with_pages,
)

LINE = "Traders carry cassiterite from the mining sites to the border."


def _write(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_a_decompression_bomb_is_too_large_and_the_parent_stays_small(tmp_path):
    # 120 MB of content stream in a file of about 200 kB.
    path = _write(tmp_path, "bomb.pdf", pdf_bomb(expanded_bytes=120 * 2**20))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux

    reading = pdf_read(path=path, limits={"memory_bytes": 256 * 2**20})

    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert reading.status == DocumentTextStatus.TOO_LARGE
    assert "memory" in reading.reason
    assert grown_mb < 100
    assert reading.seconds < 10


def test_of_a_ten_thousand_page_file_only_the_first_pages_are_read(tmp_path):
    path = _write(tmp_path, "long.pdf", pdf_many_pages(10_000, line=LINE))

    reading = pdf_read(path=path, limits={"max_pages": 5})

    assert reading.status == DocumentTextStatus.OK
    assert (reading.page_count, len(reading.pages)) == (10_000, 5)
    assert "The first 5 of 10000 pages were read." in reading.reason


def test_the_wall_clock_kills_a_slow_reading_and_keeps_the_pages_read(tmp_path):
    # Pages whose text is long (1,000 lines): tens of milliseconds each, so
    # 1,000 of them take far longer than 3 s anywhere, while opening the file
    # stays quick and the first pages arrive within the limit.
    pages = 1_000
    data = pdf_many_pages(pages, line=LINE, lines=1_000)
    path = _write(tmp_path, "slow.pdf", data)

    reading = pdf_read(
        path=path,
        limits={"wall_seconds": 3, "max_pages": pages, "max_file_chars": 10**9},
    )

    assert reading.status == DocumentTextStatus.TIMED_OUT
    assert reading.seconds < 5
    # Pages arrive one by one: those read before the kill are kept.
    assert 0 < len(reading.pages) < pages
    assert all("cassiterite" in text for text in reading.pages)
    assert f"stopped after {len(reading.pages)} pages" in reading.reason


def test_text_is_capped_per_page_and_per_file(tmp_path):
    path = _write(tmp_path, "long.pdf", pdf_many_pages(10, line=LINE))

    reading = pdf_read(path=path, limits={"max_page_chars": 30, "max_file_chars": 70})

    assert [len(text) for text in reading.pages] == [30, 30, 10]
    assert "cut at the limit" in reading.reason


@pytest.mark.parametrize(
    ("data", "limits", "status"),
    [
        (b"<html>not a pdf</html>", {}, DocumentTextStatus.NOT_PDF),
        (
            pdf_with_pages([[LINE]]),
            {"max_file_bytes": 100},
            DocumentTextStatus.TOO_LARGE,
        ),
        (pdf_with_pages([[""], ["12"]]), {}, DocumentTextStatus.NO_TEXT),
        (b"%PDF-1.4\ngarbage that is no PDF at all", {}, DocumentTextStatus.FAILED),
    ],
    ids=["not a pdf", "file too large", "scanned", "damaged"],
)
def test_each_outcome_has_a_status_and_a_reason(tmp_path, data, limits, status):
    reading = pdf_read(path=_write(tmp_path, "file.pdf", data), limits=limits)

    assert reading.status == status
    assert reading.reason


@pytest.mark.django_db
def test_an_encrypted_upload_succeeds_and_is_recorded_as_encrypted(
    admin_client, settings, django_capture_on_commit_callbacks
):
    settings.PDF_PROCESS_ON_SAVE = True
    upload = SimpleUploadedFile(
        "locked.pdf",
        pdf_encrypted([[LINE]], password="secret"),
        "application/pdf",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtaildocs:add"),
            {
                "title": "Locked report",
                "file": upload,
                "collection": Collection.get_first_root_node().pk,
            },
        )

    assert response.status_code == 302
    document = get_document_model().objects.get(title="Locked report")
    text = DocumentText.objects.get(document=document)
    assert text.status == DocumentTextStatus.ENCRYPTED
    assert "password" in text.reason
    assert not text.pages.exists()
