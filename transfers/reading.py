"""Reading an uploaded CSV or XLSX file into numbered rows, through the storage API."""

import csv
import io
from collections.abc import Iterator
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from transfers.cells import cell_text


def kind_of(name: str) -> str:
    return "xlsx" if PurePosixPath(name).suffix.lower() == ".xlsx" else "csv"


def read_rows(stored_file, name: str) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """The header (lower-cased column names) and the data rows as (line number, {column:
    raw cell}); the header is line 1, as a spreadsheet numbers it. Blank rows are skipped."""
    if kind_of(name) == "xlsx":
        return _xlsx_rows(stored_file)
    return _csv_rows(stored_file)


def _header(cells) -> list[str]:
    return [cell_text(cell).lower() for cell in cells]


def _pairs(header, start, rows):
    for line, cells in enumerate(rows, start=start):
        if not any(cell_text(cell) for cell in cells):
            continue
        # A template's notes (transfers/templates_files.py): not a record.
        if cell_text(cells[0]).startswith("#"):
            continue
        yield line, {name: cell for name, cell in zip(header, cells, strict=False) if name}


def _csv_rows(stored_file):
    stored_file.open("rb")
    try:
        text = stored_file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            "The file is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8”."
        ) from None
    finally:
        stored_file.close()
    reader = csv.reader(io.StringIO(text, newline=""))
    header = _header(next(reader, []))
    return header, _pairs(header, 2, reader)


def _xlsx_rows(stored_file):
    stored_file.open("rb")
    try:
        content = io.BytesIO(stored_file.read())
    finally:
        stored_file.close()
    try:
        workbook = load_workbook(content, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError("The file could not be read as an Excel workbook.") from None
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header = _header(next(rows, ()))
    return header, _pairs(header, 2, rows)
