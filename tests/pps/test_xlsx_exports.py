"""Every export goes out as CSV or, asked with `format=xlsx`, as an Excel workbook of the
same rows (pps/exports.py, table_response): a list's direct export, its export built by the
worker, and the report pages' exports."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pps.documents import build_document
from pps.exports import XLSX_TYPE, xlsx_of_rows
from pps.models import GeneratedDocument
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _sheet_rows(content: bytes) -> list[list[str]]:
    """The sheet's rows as text, without the empty cells a sheet pads its rows with."""
    sheet = load_workbook(io.BytesIO(content)).active
    rows = []
    for row in sheet.iter_rows(values_only=True):
        cells = ["" if value is None else str(value) for value in row]
        while cells and cells[-1] == "":
            cells.pop()
        rows.append(cells)
    return rows


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def cases(team):
    return [
        factories.open_case(
            team.service, team.officer, officer=team.officer, opened_on=dt.date(2026, 3, day)
        )
        for day in (1, 2, 3)
    ]


def test_a_lists_workbook_holds_the_rows_of_its_csv(client, team, cases):
    client.force_login(team.officer)
    query = {"officer": team.officer.pk, "sort": "-opened_on"}
    as_csv = client.get(reverse("casework:case-export"), query)
    as_xlsx = client.get(reverse("casework:case-export"), {**query, "format": "xlsx"})
    assert as_xlsx.status_code == 200
    assert as_xlsx["Content-Type"] == XLSX_TYPE
    assert as_xlsx["Content-Disposition"].endswith('.xlsx"')
    rows = _sheet_rows(as_xlsx.content)
    assert rows == _csv_rows(as_csv.content)
    assert [row[0] for row in rows[1:]] == [c.reference for c in cases[::-1]]


def test_the_worker_builds_a_workbook_when_one_was_asked_for(client, team, cases, settings):
    settings.PPS_EXPORT_DIRECT_ROWS = 1
    client.force_login(team.officer)
    response = client.get(reverse("casework:case-export"), {"format": "xlsx"})
    document = GeneratedDocument.objects.get()
    assert response.url == reverse("document-status", args=[document.pk])
    assert build_document.call(document.service_id, document.pk) == GeneratedDocument.Status.READY
    document.refresh_from_db()
    assert document.filename.endswith(".xlsx")
    downloaded = client.get(reverse("document-download", args=[document.pk]))
    rows = _sheet_rows(b"".join(downloaded.streaming_content))
    assert sorted(row[0] for row in rows[1:]) == sorted(c.reference for c in cases)


def test_a_typed_formula_stays_text_in_a_workbook():
    content = xlsx_of_rows([["Name", "Minutes"], ['=HYPERLINK("http://x")', 25]], "Test")
    sheet = load_workbook(io.BytesIO(content)).active
    cell = sheet["A2"]
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s" and cell.quotePrefix
    assert sheet["B2"].value == 25
    assert sheet["A1"].font.bold


def test_the_dashboards_workbook_holds_the_rows_of_its_csv(client, team):
    client.force_login(team.coordinator)
    url = reverse("reports:dashboard-export")
    as_csv = client.get(url)
    # The format alone: the page's own period choice is still the default one.
    as_xlsx = client.get(url, {"format": "xlsx"})
    assert as_xlsx["Content-Type"] == XLSX_TYPE
    assert _sheet_rows(as_xlsx.content) == _csv_rows(as_csv.content)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "format=xlsx" in page
