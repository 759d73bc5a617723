"""PDF downloads counted per publication and month, privately, and the
Downloads report for staff."""

import datetime
import threading
from csv import reader
from io import BytesIO, StringIO

from django.contrib.auth.models import Group, Permission
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from publications.downloads import (
    download_count_add,
    downloads_by_month,
    is_robot,
    month_of,
    months_back,
)
from publications.models import DownloadCount, PublicationDownload, PublicationPage
from tests.publications.bulk import publications_bulk_create
from tests.publications.factories import PdfDocumentFactory, PublicationPageFactory

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0 Safari/537.36"
)


def _counts() -> dict[int, int]:
    return dict(DownloadCount.objects.values_list("publication_id", "count"))


@pytest.fixture
def pdf_in_two(library):
    """One PDF listed by two publications, and a spreadsheet listed by one."""
    document = PdfDocumentFactory(title="Shared report")
    first = PublicationPageFactory(parent=library, title="First")
    second = PublicationPageFactory(parent=library, title="Second")
    for page in (first, second):
        PublicationDownload.objects.create(page=page, document=document)
    return document, first, second


# Counting ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_download_counts_once_for_each_publication_listing_the_pdf(
    client, pdf_in_two
):
    document, first, second = pdf_in_two
    client.get(document.url, HTTP_USER_AGENT=BROWSER)
    client.get(document.url, HTTP_USER_AGENT=BROWSER)
    assert _counts() == {first.pk: 2, second.pk: 2}
    assert set(DownloadCount.objects.values_list("month", flat=True)) == {month_of()}


@pytest.mark.django_db
def test_nothing_about_the_reader_is_stored(client, pdf_in_two):
    document, _first, _second = pdf_in_two
    response = client.get(
        document.url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 200
    assert "Set-Cookie" not in response
    assert not client.cookies
    fields = {field.name for field in DownloadCount._meta.get_fields()}
    assert fields == {"id", "publication", "month", "count"}
    stored = " ".join(str(row) for row in DownloadCount.objects.values_list())
    assert "203.0.113.9" not in stored and "Chrome" not in stored


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "headers", "counted"),
    [
        ("get", {"HTTP_USER_AGENT": BROWSER}, True),
        ("get", {"HTTP_USER_AGENT": BROWSER, "HTTP_RANGE": "bytes=0-1023"}, True),
        ("get", {"HTTP_USER_AGENT": BROWSER, "HTTP_RANGE": "bytes=1024-"}, False),
        ("get", {"HTTP_USER_AGENT": BROWSER, "HTTP_RANGE": "bytes=-500"}, False),
        ("get", {"HTTP_USER_AGENT": BROWSER, "HTTP_RANGE": "pages=1"}, False),
        ("head", {"HTTP_USER_AGENT": BROWSER}, False),
        ("get", {}, False),  # no user agent: a script
        (
            "get",
            {
                "HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1; "
                "+http://www.google.com/bot.html)"
            },
            False,
        ),
        ("get", {"HTTP_USER_AGENT": "curl/8.5.0"}, False),
        ("get", {"HTTP_USER_AGENT": "python-requests/2.32"}, False),
    ],
)
def test_what_counts_as_a_download(client, pdf_in_two, method, headers, counted):
    document, first, _second = pdf_in_two
    getattr(client, method)(document.url, **headers)
    assert _counts().get(first.pk, 0) == (1 if counted else 0)


@pytest.mark.django_db
def test_a_conditional_request_for_the_same_file_is_not_counted(client, pdf_in_two):
    document, first, _second = pdf_in_two
    document.refresh_from_db()
    response = client.get(
        document.url,
        HTTP_USER_AGENT=BROWSER,
        HTTP_IF_NONE_MATCH=f'"{document.file_hash}"',
    )
    assert response.status_code == 304
    assert _counts() == {}


@pytest.mark.django_db
def test_files_other_than_pdfs_and_unlisted_pdfs_are_not_counted(client, library):
    from django.core.files.base import ContentFile

    from wagtail.documents import get_document_model

    sheet = get_document_model().objects.create(
        title="Data", file=ContentFile(b"a,b\n1,2\n", name="data.csv")
    )
    page = PublicationPageFactory(parent=library)
    PublicationDownload.objects.create(page=page, document=sheet)
    loose = PdfDocumentFactory()
    client.get(sheet.url, HTTP_USER_AGENT=BROWSER)
    client.get(loose.url, HTTP_USER_AGENT=BROWSER)
    assert _counts() == {}


def test_robots_are_told_from_readers():
    assert is_robot("")
    assert is_robot("Mozilla/5.0 (compatible; bingbot/2.0)")
    assert is_robot("facebookexternalhit/1.1")
    assert is_robot("Wget/1.21")
    assert not is_robot(BROWSER)
    assert not is_robot(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
    )


def test_months_back_crosses_the_year():
    assert months_back(3, today=datetime.date(2026, 2, 15)) == [
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]


@pytest.mark.django_db
def test_monthly_counts_are_kept_apart(library):
    page = PublicationPageFactory(parent=library)
    january, february = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)
    for month in (january, february, february):
        download_count_add(publication_id=page.pk, month=month)
    assert downloads_by_month(
        publication=page, months=3, today=datetime.date(2026, 2, 10)
    ) == [(datetime.date(2025, 12, 1), 0), (january, 1), (february, 2)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_downloads_add_up_exactly(library):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    page = PublicationPageFactory(parent=library)
    month = month_of()
    threads_count, per_thread = 8, 25
    barrier = threading.Barrier(threads_count)
    errors = []

    def download_many():
        try:
            barrier.wait()
            for _ in range(per_thread):
                download_count_add(publication_id=page.pk, month=month)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=download_many) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert DownloadCount.objects.get(publication=page, month=month).count == (
        threads_count * per_thread
    )


# The report ---------------------------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="x")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.mark.django_db
def test_editors_and_moderators_may_see_download_counts():
    permission = Permission.objects.get(
        content_type__app_label="publications", codename="view_downloadcount"
    )
    for name in ("Editors", "Moderators"):
        assert permission in Group.objects.get(name=name).permissions.all()


@pytest.fixture
def ranked(library):
    """Three publications: one read long ago, one read lately, one never."""
    old, recent, unread = (
        PublicationPageFactory(parent=library, title=title)
        for title in ("Old favourite", "Recent hit", "Unread")
    )
    this_month = month_of()
    DownloadCount.objects.create(
        publication=old, month=datetime.date(2015, 3, 1), count=500
    )
    DownloadCount.objects.create(publication=old, month=this_month, count=1)
    DownloadCount.objects.create(publication=recent, month=this_month, count=40)
    return old, recent, unread


@pytest.mark.django_db
def test_the_report_ranks_by_the_last_twelve_months(client, editor, ranked):
    old, recent, unread = ranked
    client.force_login(editor)
    response = client.get(reverse("publications_downloads"))
    assert response.status_code == 200
    rows = [
        (page.title, page.downloads_recent, page.downloads_total)
        for page in response.context["object_list"]
    ]
    assert rows == [("Recent hit", 40, 40), ("Old favourite", 1, 501)]
    content = response.content.decode()
    assert reverse("publications_downloads_publication", args=[recent.pk]) in content
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("publications_downloads") in menu


@pytest.mark.django_db
def test_the_report_exports_csv_and_xlsx(client, editor, ranked):
    client.force_login(editor)
    csv = client.get(reverse("publications_downloads"), {"export": "csv"})
    text = b"".join(csv.streaming_content).decode()
    assert list(reader(StringIO(text))) == [
        ["Publication", "Language", "Last 12 months", "All time"],
        ["Recent hit", "en", "40", "40"],
        ["Old favourite", "en", "1", "501"],
    ]
    xlsx = client.get(reverse("publications_downloads"), {"export": "xlsx"})
    sheet = load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active
    assert [cell.value for cell in sheet[2]] == ["Recent hit", "en", 40, 40]


@pytest.mark.django_db
def test_one_publication_month_by_month(client, editor, ranked):
    old, _recent, _unread = ranked
    client.force_login(editor)
    response = client.get(reverse("publications_downloads_publication", args=[old.pk]))
    assert response.status_code == 200
    months = response.context["months"]
    assert len(months) == 24
    assert months[0] == (month_of(), 1)
    assert response.context["all_time"] == 501
    assert response.context["months_total"] == 1
    # A 404 under /admin/ is redirected to /en/admin/… by the locale middleware.
    missing = client.get(
        reverse("publications_downloads_publication", args=[999999]), follow=True
    )
    assert missing.status_code == 404


@pytest.mark.django_db
def test_people_without_the_permission_get_nothing(client, django_user_model, ranked):
    old = ranked[0]
    urls = [
        reverse("publications_downloads"),
        reverse("publications_downloads") + "?export=csv",
        reverse("publications_downloads_results"),
        reverse("publications_downloads_publication", args=[old.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the sign-in form
    user = django_user_model.objects.create_user("someone", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"Old favourite" not in b"".join(
            response.streaming_content if response.streaming else [response.content]
        )
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("publications_downloads") not in menu


@pytest.mark.django_db
def test_the_report_costs_the_same_queries_at_any_size(
    client, editor, library, taxonomy
):
    client.force_login(editor)
    month = month_of()

    def fill(count):
        ids = publications_bulk_create(parent=library, count=count)
        DownloadCount.objects.bulk_create(
            DownloadCount(publication_id=pk, month=month, count=n + 1)
            for n, pk in enumerate(ids)
        )
        return ids

    def queries(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries)

    ids = fill(5)
    urls = [
        reverse("publications_downloads"),
        reverse("publications_downloads_publication", args=[ids[0]]),
    ]
    small = [queries(url) for url in urls]
    fill(60)
    assert PublicationPage.objects.count() == 65
    assert [queries(url) for url in urls] == small


@pytest.mark.django_db
def test_the_privacy_notice_says_downloads_are_counted_as_totals(client):
    content = client.get("/en/newsletter/privacy/").content.decode()
    assert "as one total per publication and month" in content
    assert "nothing records who downloaded a file" in content


def _our_content(html: bytes) -> str:
    """The screen's own content (Wagtail's chrome around it is Wagtail's): the
    listing or table, in a minimal document."""
    main = BeautifulSoup(html, "html.parser").select_one("#listing-results, main table")
    assert main is not None
    return (
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head>'
        f"<body><main>{main}</main></body></html>"
    )


@pytest.mark.django_db
def test_the_report_pages_are_valid_html(client, editor, ranked):
    from tests.utils.html import assert_valid_html_documents

    client.force_login(editor)
    report = client.get(reverse("publications_downloads")).content
    one = client.get(
        reverse("publications_downloads_publication", args=[ranked[0].pk])
    ).content
    assert_valid_html_documents(
        {"downloads report": _our_content(report), "one publication": _our_content(one)}
    )
