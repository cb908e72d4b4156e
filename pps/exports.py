"""CSV exports of tables, safe to open in a spreadsheet."""

import csv

from django.http import HttpResponse

# A cell starting with one of these becomes a live formula in Excel and friends.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_response(rows, filename: str) -> HttpResponse:
    """A CSV download of `rows` (header first), every cell sanitised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A byte-order mark so that Excel reads the file as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response
