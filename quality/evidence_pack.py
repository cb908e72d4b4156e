"""The Charter Mark / Customer Service Excellence evidence pack (docs/reporting.md, "The
evidence pack"; docs/domain.md, "Standards, self-assessments and plans").

One PDF for a chosen framework and academic year: the framework's latest finalised
self-assessment, the live evidence figures of the year, the action plan of the latest
external review, and the documents attached to the assessment, PDFs appended at the end.

Two steps, as the annual report: `gather` reads the records and the figures inside the
service's scope; `present`-style work is done by the presenters it calls, so every figure
comes from a reports.queries function through reports.presenters.Disclosure, the same
ones the pages and the annual report use, and none is counted here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from pps.pdf import Appendix, readable_page_count
from quality import evidence
from quality.access import (
    assessments_visible_to,
    documents_visible_to,
    frameworks_visible_to,
    reviews_visible_to,
)
from quality.enums import ActionStatus, AssessmentStatus
from quality.models import ActionItem, ExternalReview, Framework, SelfAssessment
from quality.queries import (
    ThemeRows,
    assessment_sheet,
    mark_changes,
    previous_final,
    rating_summary,
)
from reports.charts import Chart, line_chart
from reports.periods import Period, academic_year, year_label
from reports.presenters import (
    Disclosure,
    Table,
    events_table,
    feedback_tables,
    satisfaction_trend_table,
)
from reports.queries.evaluations import events_summary, satisfaction
from reports.queries.feedback import feedback_summary

# Years of parent satisfaction in the trend, ending with the pack's year.
TREND_YEARS = 4


@dataclass(frozen=True)
class Block:
    """A table, or a chart with its table."""

    table: Table
    chart: Chart | None = None


@dataclass(frozen=True)
class AttachedDocument:
    code: str  # the standard it is evidence for
    title: str
    original_name: str
    uploaded_on: dt.date
    # For a PDF appended at the end: its appendix label and its number of pages.
    appendix: str = ""
    pages: int | None = None
    # A file named as a PDF that could not be appended (damaged or encrypted).
    unreadable: bool = False


@dataclass(frozen=True)
class ActionGroup:
    status: str
    items: tuple[ActionItem, ...]


@dataclass(frozen=True)
class EvidencePack:
    service: str
    framework: Framework
    year: Period
    made_at: dt.datetime
    exact: bool
    assessment: SelfAssessment | None
    themes: tuple[ThemeRows, ...]
    # The themes' rows with what changed since the previous finalised assessment marked
    # (quality.queries.mark_changes), as the assessment's own PDF prints them.
    marked: tuple
    previous: SelfAssessment | None
    changed: int
    summary: tuple[tuple[str, int], ...]
    figures: Table
    satisfaction: Block
    feedback: tuple[Block, ...]
    improvements: Table
    events: Block
    review: ExternalReview | None
    actions: tuple[ActionGroup, ...]
    documents: tuple[AttachedDocument, ...]
    appendices: tuple[Appendix, ...]

    @property
    def title(self) -> str:
        return f"{self.service}: evidence pack, {self.framework.name}, {self.year.label}"

    @property
    def file_stem(self) -> str:
        start = self.year.first.year
        return f"evidence-pack-{year_label(start, '-')}"


def _years_back(service, year: Period) -> tuple[Period, ...]:
    start = year.first.year
    return tuple(
        academic_year(start - back, service.academic_year_start_month)
        for back in range(TREND_YEARS - 1, -1, -1)
    )


def _figures_table(service, day: dt.date, today: dt.date, exact: bool) -> Table:
    """Every figure of the catalogue (quality/evidence.py), as the self-assessment links
    them: the same text, counted by the same function."""
    rows = []
    for key in evidence.CATALOGUE:
        figure = evidence.read_figure(key, service, day, today)
        rows.append((figure.label, figure.period, figure.value if exact else figure.public_value))
    return Table(
        slug="live-figures",
        caption="Live evidence figures",
        header=("Figure", "Period", "Value"),
        rows=tuple(rows),
    )


def _documents(user, assessment) -> tuple[tuple[AttachedDocument, ...], tuple[Appendix, ...]]:
    """The assessment's documents in the order of its standards; each readable PDF becomes an
    appendix, numbered in that order."""
    if assessment is None:
        return (), ()
    rows = (
        documents_visible_to(user)
        .filter(rating__assessment=assessment)
        .select_related("rating__standard")
        .order_by("rating__standard__position", "uploaded_at", "id")
    )
    listed, appendices = [], []
    for document in rows:
        entry = {
            "code": document.rating.standard.code,
            "title": document.title,
            "original_name": document.original_name,
            "uploaded_on": timezone.localdate(document.uploaded_at),
        }
        if document.original_name.lower().endswith(".pdf"):
            with document.file.open("rb") as handle:
                content = handle.read()
            pages = readable_page_count(content)
            if pages is None:
                entry["unreadable"] = True
            else:
                label = f"Appendix {len(appendices) + 1}: {document.title}"
                appendices.append(Appendix(label, content))
                entry.update(appendix=label, pages=pages)
        listed.append(AttachedDocument(**entry))
    return tuple(listed), tuple(appendices)


def gather(user, framework_id: int, start_year: int, *, today: dt.date | None = None):
    """The pack of one framework and academic year as `user` may see it, read through the
    user's own visibility (quality.access); figures exact for staff, suppressed otherwise."""
    today = today or timezone.localdate()
    service = user.service
    framework = frameworks_visible_to(user).filter(pk=framework_id).first()
    if framework is None:
        raise ValidationError("The framework of this evidence pack no longer exists.")
    shown = Disclosure.for_user(user)
    year = academic_year(start_year, service.academic_year_start_month)
    # A year not yet over is counted up to today, as a draft's live figures are.
    day = min(year.last, today)
    period = evidence.period_for(evidence.ACADEMIC_YEAR, service, day)

    assessment = (
        assessments_visible_to(user)
        .filter(version__framework=framework, status=AssessmentStatus.FINAL)
        .select_related("version__framework", "service")
        .order_by("-assessed_on", "-id")
        .first()
    )
    themes, summary, marked, previous = (), (), (), None
    if assessment is not None:
        themes = tuple(assessment_sheet(assessment, public=not shown.exact))
        summary = tuple(rating_summary(assessment))
        previous = previous_final(assessment)
        marked = tuple(mark_changes(list(themes), previous))

    trend = satisfaction_trend_table(
        tuple((each, satisfaction(each, service)) for each in _years_back(service, year)),
        service.satisfaction_target,
        shown,
    )
    by_kind, by_topic = feedback_tables(feedback := feedback_summary(period), shown)
    improvements = Table(
        slug="improvements",
        caption="Improvements made as a result (those cleared for publishing)",
        header=("Type", "About", "Improvement"),
        rows=feedback.improvements,
    )

    review = (
        reviews_visible_to(user)
        .filter(version__framework=framework)
        .order_by("-reviewed_on", "-id")
        .first()
    )
    groups = ()
    if review is not None:
        items = list(review.actions.select_related("standard"))
        groups = tuple(
            ActionGroup(status.label, tuple(i for i in items if i.status == status))
            for status in ActionStatus
        )
    documents, appendices = _documents(user, assessment)
    return EvidencePack(
        service=service.name,
        framework=framework,
        year=period,
        made_at=timezone.localtime(),
        exact=shown.exact,
        assessment=assessment,
        themes=themes,
        marked=marked,
        previous=previous,
        changed=sum(1 for _theme, rows in marked for row in rows if row.changed),
        summary=summary,
        figures=_figures_table(service, day, today, shown.exact),
        satisfaction=Block(
            trend,
            line_chart(trend, title="Parent satisfaction by year", value_columns=(1,), unit="%"),
        ),
        feedback=(Block(by_kind), Block(by_topic)),
        improvements=improvements,
        events=Block(events_table(events_summary(period), shown)),
        review=review,
        actions=groups,
        documents=documents,
        appendices=appendices,
    )
