"""Documents of the quality app that the background worker builds (pps/documents.py)."""

from django.utils import timezone

from pps.documents import Built
from pps.models import GeneratedDocument
from pps.pdf import render_pdf
from quality.access import assessments_visible_to
from quality.queries import assessment_sheet, rating_summary

ASSESSMENT_PDF = "self-assessment-pdf"


def build_assessment_pdf(document: GeneratedDocument) -> Built:
    """The self-assessment as the PDF view renders it, for the person who asked.

    The assessment is looked up through the asker's visibility again, so a document asked
    for by someone who may no longer see it (a draft, to steering) fails instead of leaking;
    small numbers are suppressed as they were for the asker's page.
    """
    user = document.requested_by
    assessment = (
        assessments_visible_to(user)
        .select_related("version__framework", "service")
        .get(pk=document.parameters["assessment"])
    )
    context = assessment_pdf_context(assessment, public=document.parameters["public"])
    content = render_pdf(ASSESSMENT_PDF_TEMPLATE, context)
    return Built(f"self-assessment-{assessment.assessed_on.isoformat()}.pdf", content)


ASSESSMENT_PDF_TEMPLATE = "quality/assessment_pdf.html"


def assessment_pdf_context(assessment, *, public: bool) -> dict:
    """What the self-assessment's PDF template is given (bench/documents.py renders the same)."""
    return {
        "assessment": assessment,
        "themes": assessment_sheet(assessment, public=public),
        "summary": rating_summary(assessment),
        "printed_at": timezone.localtime(),
        "for_pdf": True,
    }
