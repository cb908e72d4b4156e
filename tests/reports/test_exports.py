"""Report files (reports/exports.py): CSV per table, an XLSX workbook with a sheet per table,
one JSON document; text as typed, never a live formula; numbers as numbers."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

from openpyxl import load_workbook

from reports.exports import (
    XLSX,
    csv_bytes,
    csv_download,
    json_document,
    json_download,
    sheet_names,
    xlsx_bytes,
    xlsx_download,
)
from reports.periods import Period
from reports.presenters import Table

FORMULA = '=HYPERLINK("http://example.com","Click")'

MONTHS = Table(
    slug="monthly",
    caption="Performance monitoring: month by month",
    header=("Month", "Contacts", "Office hours", "Change"),
    rows=(
        ("September 2024", 40, Decimal("12.5"), -3),
        ("October 2024", "fewer than 5", "hidden", 0),
        (FORMULA, 7, 2.25, "+1"),
    ),
    foot=(("Total", 51, "hidden", -2),),
    note="Counts from 1 to 4 show as “fewer than 5”.",
)
REASONS = Table(
    slug="reasons",
    caption="Reasons: for [contact] / advice? *all*",
    header=("Reason", "Cases"),
    rows=(("Exclusion\x07 café", 9),),
)
YEAR = Period(dt.date(2024, 9, 1), dt.date(2025, 8, 31), "2024/25")


def test_a_csv_holds_the_table_as_shown_with_formulas_defused():
    content = csv_bytes(MONTHS)
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8").removeprefix("\ufeff"))))
    assert rows == [
        ["Month", "Contacts", "Office hours", "Change"],
        ["September 2024", "40", "12.5", "-3"],
        ["October 2024", "fewer than 5", "hidden", "0"],
        ["'" + FORMULA, "7", "2.25", "'+1"],
        ["Total", "51", "hidden", "-2"],
    ]


def test_a_workbook_has_a_sheet_per_table_with_numbers_as_numbers():
    book = load_workbook(io.BytesIO(xlsx_bytes([MONTHS, REASONS], "Annual report 2024/25")))
    assert book.sheetnames == [
        "Performance monitoring month by",
        "Reasons for contact advice all",
    ]
    assert book.properties.title == "Annual report 2024/25"
    sheet = book["Performance monitoring month by"]
    assert sheet["A1"].value == "Performance monitoring: month by month"
    assert [cell.value for cell in sheet[2]] == ["Month", "Contacts", "Office hours", "Change"]
    assert all(cell.font.bold for cell in sheet[2])
    assert [cell.value for cell in sheet[3]] == ["September 2024", 40, 12.5, -3]
    assert sheet["B3"].data_type == "n" and sheet["D3"].data_type == "n"
    assert [cell.value for cell in sheet[4]] == ["October 2024", "fewer than 5", "hidden", 0]
    # The formula someone typed stays text, exactly as typed, marked as text for Excel.
    assert sheet["A5"].value == FORMULA
    assert sheet["A5"].data_type == "s"
    assert sheet["A5"].quotePrefix
    assert sheet["D5"].value == "+1" and sheet["D5"].data_type == "s"
    # The foot row in bold, the note two rows under it.
    assert [cell.value for cell in sheet[6]] == ["Total", 51, "hidden", -2]
    assert sheet["A6"].font.bold
    assert sheet["A8"].value == "Counts from 1 to 4 show as “fewer than 5”."
    # A character an XLSX cannot hold is dropped, the rest kept.
    assert book["Reasons for contact advice all"]["A3"].value == "Exclusion café"


def test_sheet_names_are_unique_short_and_allowed():
    same = Table(
        slug="a", caption="Cases by age group, every year since 2009", header=("x",), rows=()
    )
    upper = Table(
        slug="b", caption="CASES BY AGE GROUP, EVERY YEAR SINCE 2009", header=("x",), rows=()
    )
    blank = Table(slug="", caption="[]:*?/\\", header=("x",), rows=())
    names = sheet_names([same, same, upper, blank])
    assert names == [
        "Cases by age group, every year",
        "Cases by age group, every y (2)",
        "CASES BY AGE GROUP, EVERY Y (3)",
        "Table 4",
    ]
    assert all(len(name) <= 31 for name in names)
    book = load_workbook(io.BytesIO(xlsx_bytes([same, same, upper, blank], "x")))
    assert book.sheetnames == names


def test_the_json_document_round_trips_with_stable_keys():
    content = json_document("Annual report", YEAR, [MONTHS], extra={"service": "Northshire PPS"})
    assert content == json_document(
        "Annual report", YEAR, [MONTHS], extra={"service": "Northshire PPS"}
    )
    document = json.loads(content.decode("utf-8"))
    assert list(document) == ["period", "service", "tables", "title"]
    assert document["period"] == {"first": "2024-09-01", "label": "2024/25", "last": "2025-08-31"}
    (table,) = document["tables"]
    assert table["caption"] == "Performance monitoring: month by month"
    assert table["rows"][0] == ["September 2024", 40, 12.5, -3]
    assert table["rows"][2][0] == FORMULA
    assert table["foot"] == [["Total", 51, "hidden", -2]]
    # UTF-8 as written, not \\u escapes.
    assert "“fewer than 5”".encode() in content


def test_extra_may_not_replace_the_reports_own_keys():
    try:
        json_document("x", YEAR, [], extra={"tables": []})
    except ValueError as error:
        assert "'tables'" in str(error)
    else:
        raise AssertionError("extra replaced the tables")


def test_downloads_are_attachments_with_safe_names():
    response = csv_download(MONTHS, "monthly 2024/25.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="monthly-2024-25.csv"'
    workbook = xlsx_download([MONTHS], "Annual report", 'annual"report.xlsx')
    assert workbook["Content-Type"] == XLSX
    assert workbook["Content-Disposition"] == 'attachment; filename="annual-report.xlsx"'
    load_workbook(io.BytesIO(workbook.content))
    document = json_download("Annual report", YEAR, [MONTHS], "annual-report.json")
    assert document["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(document.content)["title"] == "Annual report"
