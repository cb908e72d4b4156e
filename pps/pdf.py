"""PDFs from templates: the one module that imports WeasyPrint (docs/architecture.md).

PDF templates carry their own styles and inline SVG (charts, QR codes), so rendering
fetches nothing: the same bytes come out in tests, on a trial server and in production.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from django.template.loader import render_to_string

# The page an appended document's pages are stamped on: the A4 of our own templates,
# scaled to each appended page's size.
_A4_POINTS = (595.28, 841.89)


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which pages without PDFs skip.
    from weasyprint import HTML

    return HTML(string=render_to_string(template_name, context, request=request)).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def readable_page_count(content: bytes) -> int | None:
    """How many pages a PDF someone uploaded has; None when it cannot be appended (not a
    PDF, damaged, or encrypted: its pages could not be copied)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            return None
        return len(reader.pages)
    except (PyPdfError, ValueError, OSError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class Appendix:
    """An uploaded PDF appended after a rendered document; `label` is printed on each of
    its pages beside the running header and the page number."""

    label: str
    content: bytes


def render_pdf_with_appendices(
    template_name: str, context: dict, appendices: Sequence[Appendix], *, header: str
) -> bytes:
    """The template rendered, then each appendix's pages after it, numbered on.

    The template's footer says "Page n of m" with m from `total_pages` in its context when
    given (the rendered pages and the appended ones together), so the template is laid out
    once to count its own pages and again with the total. Appended pages keep their own
    content; `header`, the appendix's label and "Page n of m" are stamped over their top
    and foot, as the template prints them on its own pages. Every appendix must be readable
    (`readable_page_count`).
    """
    from pypdf import PdfReader, PdfWriter, Transformation
    from weasyprint import HTML

    if not appendices:
        return render_pdf(template_name, context)
    readers = [PdfReader(io.BytesIO(a.content)) for a in appendices]
    extra = sum(len(reader.pages) for reader in readers)
    own = len(HTML(string=render_to_string(template_name, context)).render().pages)
    total = own + extra
    main = render_pdf(template_name, {**context, "total_pages": total})
    stamps = []
    number = own
    for appendix, reader in zip(appendices, readers, strict=True):
        for _page in reader.pages:
            number += 1
            stamps.append((appendix.label, number))
    overlay = PdfReader(
        io.BytesIO(
            render_pdf("pps/pdf_stamps.html", {"header": header, "stamps": stamps, "total": total})
        )
    )
    writer = PdfWriter(clone_from=io.BytesIO(main))
    stamp_pages = iter(overlay.pages)
    for reader in readers:
        for page in reader.pages:
            added = writer.add_page(page)
            width, height = float(added.mediabox.width), float(added.mediabox.height)
            scale = Transformation().scale(width / _A4_POINTS[0], height / _A4_POINTS[1])
            added.merge_transformed_page(
                next(stamp_pages),
                scale.translate(float(added.mediabox.left), float(added.mediabox.bottom)),
            )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
