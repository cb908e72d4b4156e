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


def build_annual_report_pdf(document: GeneratedDocument) -> Built:
    """The report as its asker may see it now: a steering member's copy is suppressed and
    names nobody, whatever was asked for."""
    from publications.annual import annual_report

    report = annual_report(
        document.service, document.parameters["year"], Disclosure.for_user(document.requested_by)
    )
    content = render_pdf(ANNUAL_REPORT_PDF_TEMPLATE, {"report": report})
    return Built(f"{report.file_stem}.pdf", content)


def build_benchmarking_return_pdf(document: GeneratedDocument) -> Built:
    """The return as its asker may see it now (a steering member's copy suppressed): the
    same figures as the page (publications.benchmarking)."""
    from publications.benchmarking import benchmarking_return

    report = benchmarking_return(
        document.service, document.parameters["year"], Disclosure.for_user(document.requested_by)
    )
    content = render_pdf(BENCHMARKING_RETURN_PDF_TEMPLATE, {"report": report})
    return Built(f"{report.file_stem}.pdf", content)
