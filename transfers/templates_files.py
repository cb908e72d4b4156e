"""Downloadable templates of each layout: the header, an example row, the allowed codes."""

import io

from openpyxl import Workbook

from pps.exports import csv_text, safe_cell
from transfers.layouts.base import Context, Layout

COMMENT = "#"


def allowed_codes(layout: Layout, context: Context) -> list[tuple[str, list[str]]]:
    return [
        (column.name, column.kind.allowed(context))
        for column in layout.columns
        if column.kind.allowed(context)
    ]


def template_csv(layout: Layout, context: Context) -> str:
    """Header, example row, then the allowed codes as lines starting with # (the import
    skips them, so the template imports as it is)."""
    rows = [layout.header, [layout.example.get(name, "") for name in layout.header]]
    for name, codes in allowed_codes(layout, context):
        rows.append([f"{COMMENT} {name}: " + " | ".join(codes)])
    return csv_text(rows)


def template_xlsx(layout: Layout, context: Context) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = layout.key
    sheet.append(layout.header)
    sheet.append([safe_cell(layout.example.get(name, "")) for name in layout.header])
    codes = workbook.create_sheet("Allowed codes")
    codes.append(["column", "allowed value"])
    for name, values in allowed_codes(layout, context):
        for value in values:
            codes.append([name, safe_cell(value)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
