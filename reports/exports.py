"""A report's tables as files: a CSV per table, one XLSX workbook with a sheet per table,
and one JSON document (docs/reporting.md, "Charts and exports").

The tables are presenters.Tables, already shown as the reader may see them, so a file
never holds more than the page. Text that people typed is written as typed, and never as a
formula: a CSV cell is defused by pps/exports.py, an XLSX cell that looks like a formula is
written as text (and marked so, so that editing it in Excel keeps it text).
"""

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.http import HttpResponse

from pps.exports import XML_ILLEGAL, is_number, safe_cell, write_cell
from reports.periods import Period
from reports.presenters import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel's limits on sheet names: 31 characters, none of these.
_SHEET_NAME_MAX = 31
_SHEET_NAME_BANNED = re.compile(r"[\[\]:*?/\\]")
# Characters an XLSX file cannot hold at all (control characters but tab and newlines).
_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _rows(table: Table) -> list[list]:
    return [list(table.header), *(list(row) for row in table.rows + table.foot)]


def _csv_cell(value):
    # A number is no formula, even below 0 ("-3" stays a number in a spreadsheet).
    return value if is_number(value) else safe_cell(value)


def csv_bytes(table: Table) -> bytes:
    """The table as CSV (header, rows, then the foot rows), UTF-8 with a byte-order mark
    so that Excel reads it as UTF-8, every cell defused against formulas."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    for row in _rows(table):
        writer.writerow([_csv_cell(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def sheet_names(tables: Sequence[Table]) -> list[str]:
    """One name per table, from its caption: Excel's banned characters gone, at most 31
    characters, and unique in the workbook (a number added where two would clash)."""
    names: list[str] = []
    taken: set[str] = set()
    for n, table in enumerate(tables, start=1):
        base = _SHEET_NAME_BANNED.sub(" ", table.caption or table.slug or "")
        base = " ".join(base.split()).strip("'") or f"Table {n}"
        name = base[:_SHEET_NAME_MAX].rstrip()
        suffix = 1
        # Excel compares sheet names without regard to case.
        while name.casefold() in taken:
            suffix += 1
            tail = f" ({suffix})"
            name = base[: _SHEET_NAME_MAX - len(tail)].rstrip() + tail
        taken.add(name.casefold())
        names.append(name)
    return names


def xlsx_bytes(tables: Sequence[Table], title: str) -> bytes:
    """A workbook with a sheet per table: the caption, the header in bold, the rows, the
    foot rows in bold and the note under them; counts are numbers, the rest text."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = XML_ILLEGAL.sub("", title)
    for table, name in zip(tables, sheet_names(tables), strict=True):
        sheet = workbook.create_sheet(name)
        write_cell(sheet, 1, 1, table.caption, bold=True)
        for column, heading in enumerate(table.header, start=1):
            write_cell(sheet, 2, column, heading, bold=True)
        line = 3
        for rows, bold in ((table.rows, False), (table.foot, True)):
            for row in rows:
                for column, value in enumerate(row, start=1):
                    write_cell(sheet, line, column, value, bold=bold)
                line += 1
        if table.note:
            write_cell(sheet, line + 1, 1, table.note)
        sheet.freeze_panes = "B3"
        for column in range(1, len(table.header) + 1):
            cells = [table.header[column - 1], *(r[column - 1] for r in table.rows + table.foot)]
            widest = max(len(str(cell)) for cell in cells)
            sheet.column_dimensions[get_column_letter(column)].width = min(max(widest, 8), 60) + 2
    if not tables:
        workbook.create_sheet("Empty")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _json_value(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not a figure for JSON")


def table_document(table: Table) -> dict:
    return {
        "slug": table.slug,
        "caption": table.caption,
        "header": list(table.header),
        "rows": [list(row) for row in table.rows],
        "foot": [list(row) for row in table.foot],
        "note": table.note,
    }


def json_document(
    title: str, period: Period, tables: Sequence[Table], extra: Mapping | None = None
) -> bytes:
    """The report as one JSON document, UTF-8, keys sorted so the same figures give the
    same bytes: title, period (label, first and last day), tables (as on the page), and
    whatever `extra` adds at the top level (it may not replace those three)."""
    document = {
        "title": title,
        "period": {
            "label": period.label,
            "first": period.first.isoformat(),
            "last": period.last.isoformat(),
        },
        "tables": [table_document(table) for table in tables],
    }
    for key, value in (extra or {}).items():
        if key in document:
            raise ValueError(f"{key!r} is part of every report document")
        document[key] = value
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2, default=_json_value)
    return (text + "\n").encode("utf-8")


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    name = _FILENAME_UNSAFE.sub("-", filename).strip("-") or "report"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def csv_download(table: Table, filename: str) -> HttpResponse:
    return _download(csv_bytes(table), filename, "text/csv; charset=utf-8")


def xlsx_download(tables: Sequence[Table], title: str, filename: str) -> HttpResponse:
    return _download(xlsx_bytes(tables, title), filename, XLSX)


def json_download(
    title: str,
    period: Period,
    tables: Sequence[Table],
    filename: str,
    extra: Mapping | None = None,
) -> HttpResponse:
    return _download(
        json_document(title, period, tables, extra), filename, "application/json; charset=utf-8"
    )
