"""Documents of the quality app that the background worker builds (pps/documents.py)."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from pps.documents import Built, check_asker
from pps.models import GeneratedDocument
from pps.pdf import render_pdf, render_pdf_with_appendices
from pps.roles import AGGREGATES, COORDINATORS
from quality.access import assessments_visible_to, plans_visible_to
from quality.queries import (
    assessment_sheet,
    mark_changes,
    plan_update_rows,
    plan_updates,
    previous_final,
    rating_summary,
)

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
    """What the self-assessment's PDF template is given (bench/documents.py renders the same):
    laid out as the plan's PDF, with what changed since the previous finalised assessment
    of the framework marked."""
    previous = previous_final(assessment)
    themes = assessment_sheet(assessment, public=public)
    marked = mark_changes(themes, previous)
    return {
        "assessment": assessment,
        "themes": themes,
        "marked": marked,
        "previous": previous,
        "changed": sum(1 for _theme, rows in marked for row in rows if row.changed),
        "summary": rating_summary(assessment),
        "printed_at": timezone.localtime(),
        "for_pdf": True,
    }


EVIDENCE_PACK_PDF = "evidence-pack-pdf"
EVIDENCE_PACK_TEMPLATE = "quality/evidence_pack_pdf.html"


def build_evidence_pack(document: GeneratedDocument) -> Built:
    """The evidence pack (quality.evidence_pack) for the coordinator who asked, read through
    their visibility at the time it is built; attached PDFs appended at the end."""
    from quality.evidence_pack import gather

    check_asker(document, COORDINATORS)
    pack = gather(
        document.requested_by, document.parameters["framework"], document.parameters["year"]
    )
    content = render_pdf_with_appendices(
        EVIDENCE_PACK_TEMPLATE,
        {"pack": pack},
        pack.appendices,
        header=f"{pack.service}: evidence pack, {pack.made_at:%-d %B %Y}",
    )
    return Built(f"{pack.file_stem}.pdf", content)


PLAN_PDF = "development-plan-pdf"
PLAN_PDF_TEMPLATE = "quality/plan_pdf.html"


def build_plan_pdf(document: GeneratedDocument) -> Built:
    """A development plan's latest recorded update in the layout of the Norfolk business plan
    (seed norfolk-business-plan-update-2010): by theme and standard, the current level, then
    activities, objectives and timescales, comments, monitoring and evaluation, evidence and
    progress, with the words changed since the update before marked (quality.textdiff)."""
    check_asker(document, AGGREGATES)
    context = plan_pdf_context(document.requested_by, document.parameters["plan"])
    plan, latest = context["plan"], context["update"]
    content = render_pdf(PLAN_PDF_TEMPLATE, context)
    return Built(f"development-plan-{plan.start_year}-update-{latest.number}.pdf", content)


def plan_pdf_context(user, plan_id: int) -> dict:
    """What the plan's PDF template is given: the plan read through `user`'s visibility."""
    plan = plans_visible_to(user).select_related("version__framework", "service").get(pk=plan_id)
    updates = plan_updates(user, plan)
    if not updates:
        raise ValidationError("This plan has no recorded update to print yet.")
    latest = updates[-1]
    previous = updates[-2] if len(updates) > 1 else None
    # Standards the plan says nothing about are left out, as Norfolk printed only those it
    # was working on; words removed since the last update still show, struck through.
    rows = [
        row
        for row in plan_update_rows(latest, previous, show_changes=True)
        if any(row.texts.values())
    ]
    themes: dict[int, tuple] = {}
    for row in rows:
        themes.setdefault(row.standard.theme_id, (row.standard.theme, []))[1].append(row)
    return {
        "plan": plan,
        "update": latest,
        "previous": previous,
        "themes": list(themes.values()),
        "changed": sum(1 for row in rows if row.changed),
        "printed_at": timezone.localtime(),
    }
