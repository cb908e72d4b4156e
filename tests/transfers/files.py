"""Files to upload in the import tests: CSV text or an XLSX workbook from rows of cells."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook


def csv_upload(rows, name="records.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def xlsx_upload(rows, name="records.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/octet-stream")


def table(header: list[str], *rows: dict) -> list[list[str]]:
    """A header and rows given as {column: value} (columns left out are empty)."""
    return [header] + [[str(row.get(name, "")) for name in header] for row in rows]
