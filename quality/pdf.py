"""The one module of quality that imports WeasyPrint: a template to PDF bytes.

The print template carries its own styles, so rendering fetches nothing.
"""

from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict, request) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which pages without PDFs skip.
    from weasyprint import HTML

    return HTML(string=render_to_string(template_name, context, request=request)).write_pdf()
