"""Exports of tables as CSV or an Excel workbook, safe to open in a spreadsheet, sent
directly or built later.

Every export view (a list's `export=True` URL) answers through `export_response`, the one
place that decides how the file goes out: up to PPS_EXPORT_DIRECT_ROWS rows it is the
answer to the request; above that it is a generated document (pps/documents.py) that the
background worker builds by running the same view again for the same person with the same
query string, so the file holds exactly the rows, columns and order the direct export
would, through the asker's own visibility (docs/decisions/0018-background-worker.md).
The same rows go out as CSV, or as a workbook when the query asks `format=xlsx`
(`table_response`).
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import resolve, reverse

from pps.documents import Built, check_asker, request_document, to_status_page
from pps.models import GeneratedDocument

EXPORT_CSV = "csv-export"

# A cell starting with one of these becomes a live formula in Excel and friends.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "xlsx"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters an XLSX file (XML) cannot hold.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(rows: Iterable[Sequence]) -> str:
    """The CSV of `rows` (header first), every cell sanitised."""
    out = io.StringIO()
    # A byte-order mark so that Excel reads the file as UTF-8.
    out.write("\ufeff")
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def write_cell(sheet, row: int, column: int, value, *, bold: bool = False):
    """One cell of a workbook: a number as a number, anything else as text that never
    becomes a formula (a leading "=" stays text, shown as typed)."""
    from openpyxl.styles import Font

    if is_number(value):
        cell = sheet.cell(row=row, column=column, value=value)
    else:
        text = XML_ILLEGAL.sub("", "" if value is None else str(value))
        cell = sheet.cell(row=row, column=column, value=text)
        # openpyxl takes a string starting with "=" for a formula: say it is text.
        cell.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_of_rows(rows: Iterable[Sequence], title: str) -> bytes:
    """A workbook of one sheet holding `rows` (header first, in bold, kept in view)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = XML_ILLEGAL.sub("", title)[:31] or "Export"
    for line, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            write_cell(sheet, line, column, value, bold=line == 1)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def wants_xlsx(query: QueryDict) -> bool:
    return query.get("format") == XLSX


def choices_of(query: QueryDict) -> QueryDict | None:
    """The query without the export's format: what a page's own form reads (None when
    nothing else is asked, as for an unbound form)."""
    choices = query.copy()
    choices.pop("format", None)
    return choices or None


def _as_xlsx(rows, filename: str) -> tuple[str, bytes]:
    """The workbook of `rows`, named as the CSV would be but ending .xlsx."""
    stem = filename.removesuffix(".csv")
    return f"{stem}.xlsx", xlsx_of_rows(rows, stem)


def table_response(rows, filename: str, query: QueryDict) -> HttpResponse:
    """The rows as the query asks: a CSV (`filename`), every cell sanitised, or an Excel
    workbook when it says `format=xlsx` (the same name ending .xlsx)."""
    if wants_xlsx(query):
        name, content = _as_xlsx(rows, filename)
        response = HttpResponse(content, content_type=XLSX_TYPE)
    else:
        name = filename
        response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@dataclass(frozen=True)
class CsvExport:
    """What an export view gives `export_response`: nothing is read before it is needed.

    `count` counts the data rows in the database (one query); `rows` yields the header
    and then the rows, and is read only for the file actually made.
    """

    title: str
    filename: str
    rows: Callable[[], Iterable[Sequence]]
    count: Callable[[], int]
    # Whether the file may hold personal data (who may see the document, and whether its
    # downloads are recorded): only a copy made for publishing holds none.
    holds_personal_data: bool = True


def export_response(view) -> HttpResponse:
    """The answer to an export: the CSV itself, or a document queued for the worker.

    `view` has `csv_export()` (a CsvExport for its request). Above PPS_EXPORT_DIRECT_ROWS
    rows the answer is a redirect to the document's status page, marked `queued_export` so
    that the access log records the export now, as it records a direct one
    (pps.audit.shows_personal_data); the download is recorded as any document's is.
    """
    request = view.request
    export = view.csv_export()
    if export.count() <= settings.PPS_EXPORT_DIRECT_ROWS:
        return table_response(export.rows(), export.filename, request.GET)
    match = request.resolver_match
    document = request_document(
        service=request.user.service,
        kind=EXPORT_CSV,
        parameters={
            "view": match.view_name,
            "args": list(match.args),
            "kwargs": match.kwargs,
            "query": request.GET.urlencode(),
        },
        title=export.title,
        holds_personal_data=export.holds_personal_data,
        by=request.user,
    )
    response = to_status_page(
        request, document, "This export is long, so it is being made in the background"
    )
    response.queued_export = True
    return response


def build_csv_export(document: GeneratedDocument) -> Built:
    """The export as the asker's request would have sent it, made again in the worker.

    The view is found by the name it was asked through and given a request of the asker
    with the same query string: its own queryset (through the asker's visibility), filters,
    sorting and columns make the file. The view's roles are checked again, since the
    asker's role may have changed while the document waited.
    """
    parameters = document.parameters
    path = reverse(parameters["view"], args=parameters["args"], kwargs=parameters["kwargs"])
    match = resolve(path)
    view = match.func.view_class(**match.func.view_initkwargs)
    check_asker(document, view.roles)
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(parameters["query"])
    request.user = document.requested_by
    request.resolver_match = match
    view.setup(request, *match.args, **match.kwargs)
    export = view.csv_export()
    if wants_xlsx(request.GET):
        return Built(*_as_xlsx(export.rows(), export.filename))
    return Built(export.filename, csv_text(export.rows()).encode())
