"""The annual report's and the benchmarking return's PDFs, built by the background worker
(pps/documents.py)."""

from pps.documents import Built
from pps.models import GeneratedDocument
from pps.pdf import render_pdf
from reports.presenters import Disclosure

ANNUAL_REPORT_PDF = "annual-report-pdf"
ANNUAL_REPORT_PDF_TEMPLATE = "publications/annual_report_pdf.html"
BENCHMARKING_RETURN_PDF = "benchmarking-return-pdf"
BENCHMARKING_RETURN_PDF_TEMPLATE = "publications/benchmarking_return_pdf.html"


def _build_pdf(document: GeneratedDocument, build, template: str) -> Built:
    """The report of the document's year as its asker may see it now: a steering member's
    copy is suppressed and names nobody, whatever was asked for. The same figures as the
    page (`build`, the page's own)."""
    report = build(
        document.service, document.parameters["year"], Disclosure.for_user(document.requested_by)
    )
    return Built(f"{report.file_stem}.pdf", render_pdf(template, {"report": report}))


def build_annual_report_pdf(document: GeneratedDocument) -> Built:
    from publications.annual import annual_report

    return _build_pdf(document, annual_report, ANNUAL_REPORT_PDF_TEMPLATE)


def build_benchmarking_return_pdf(document: GeneratedDocument) -> Built:
    from publications.benchmarking import benchmarking_return

    return _build_pdf(document, benchmarking_return, BENCHMARKING_RETURN_PDF_TEMPLATE)
