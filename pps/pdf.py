"""PDFs from templates: the one module that imports WeasyPrint (docs/architecture.md).

PDF templates carry their own styles and inline SVG (charts, QR codes), so rendering
fetches nothing: the same bytes come out in tests, on a trial server and in production.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which pages without PDFs skip.
    from weasyprint import HTML

    return HTML(string=render_to_string(template_name, context, request=request)).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
