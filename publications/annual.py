"""The annual report of an academic year (docs/reporting.md, "The annual report").

Two steps, so that one set of figures feeds the page, the PDF, the CSVs, the workbook and
the JSON document:
- `gather` reads every figure of the year from reports.queries, the narrative and the
  quality records, in a number of queries that does not grow with the records;
- `present` lays them out as parts of presenters.Table and charts.Chart, every cell
  already shown as the reader may see it (reports.presenters.Disclosure).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from pps.access import service_users
from pps.models import Service
from pps.roles import STAFF, Role
from quality.enums import AssessmentStatus
from quality.models import DevelopmentPlan, SelfAssessment
from reports.charts import Chart, bar_chart
from reports.models import NarrativeSection
from reports.periods import Period, academic_year
from reports.presenters import Disclosure, Table
from reports.queries.casework import CaseMovements, case_movements
from reports.queries.evaluations import (
    EventsSummary,
    MeasureFigure,
    PeriodEvaluations,
    events_summary,
    period_evaluations,
    satisfaction,
)

# Parts of the report in the order printed (docs/reporting.md, "The annual report").
NARRATIVE_PARTS = NarrativeSection.Part


def year_of(service: Service, start_year: int) -> Period:
    return academic_year(start_year, service.academic_year_start_month)


def latest_ended_year(service: Service, today: dt.date | None = None) -> int:
    """The start year of the last academic year that has ended: the one a report is
    usually written about."""
    today = today or timezone.localdate()
    current = academic_year(today.year, service.academic_year_start_month)
    start = today.year if today >= current.first else today.year - 1
    return start - 1


def years_back(service: Service, year: Period, count: int) -> tuple[Period, ...]:
    """`count` academic years ending with `year`, oldest first."""
    return tuple(year_of(service, year.first.year - back) for back in range(count - 1, -1, -1))


@dataclass(frozen=True)
class Block:
    """A table, or a chart with its table, in the order a part shows them."""

    table: Table
    chart: Chart | None = None


@dataclass(frozen=True)
class Part:
    slug: str
    heading: str
    blocks: tuple[Block, ...] = ()
    # Paragraphs of text: the coordinator's narrative, or a sentence saying why a part is
    # empty ("No self-assessment has been finalised yet.").
    paragraphs: tuple[tuple[str, str], ...] = ()
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnnualReport:
    service: str
    year: Period
    exact: bool
    made_at: dt.datetime
    parts: tuple[Part, ...]

    @property
    def tables(self) -> tuple[Table, ...]:
        """Every table once, in the order printed: what the CSVs, the workbook and the JSON
        hold."""
        return tuple(block.table for part in self.parts for block in part.blocks)

    def table(self, slug: str) -> Table | None:
        return next((t for t in self.tables if t.slug == slug), None)

    @property
    def title(self) -> str:
        return f"{self.service}: annual report {self.year.label}"


@dataclass(frozen=True)
class Appendices:
    team: tuple[tuple[str, str], ...]
    assessment: SelfAssessment | None
    assessment_rows: tuple[tuple[str, str, str], ...]  # (code, text, level)
    levels: tuple[str, ...]  # the framework's scale, best first
    plan: DevelopmentPlan | None
    plan_rows: tuple[tuple[str, str, str, str], ...]  # (code, objectives, evidence, progress)
    next_plan: DevelopmentPlan | None
    next_plan_rows: tuple[tuple[str, str, str, str], ...]


@dataclass(frozen=True)
class AnnualFigures:
    """Everything the report shows, as read: no presentation yet."""

    service: Service
    year: Period
    narrative: dict[str, str]
    movements: CaseMovements
    evaluations: PeriodEvaluations
    satisfaction_by_year: tuple[tuple[Period, MeasureFigure | None], ...]
    events: EventsSummary
    appendices: Appendices
    extra: dict = field(default_factory=dict)


def _plan_rows(plan: DevelopmentPlan | None) -> tuple[tuple[str, str, str, str], ...]:
    if plan is None:
        return ()
    return tuple(
        (entry.standard.code, entry.objectives or entry.activities, entry.evidence, entry.progress)
        for entry in plan.entries.select_related("standard").order_by("standard__position")
    )


def _appendices(service: Service, year: Period) -> Appendices:
    team = tuple(
        (user.get_full_name() or user.username, user.get_role_display())
        for user in service_users()
        .filter(is_active=True, role__in=STAFF | {Role.VOLUNTEER})
        .order_by("role", "last_name", "first_name")
        if user.role in STAFF
    )
    assessment = (
        SelfAssessment.objects.filter(status=AssessmentStatus.FINAL, assessed_on__lte=year.last)
        .select_related("version__framework")
        .order_by("-assessed_on", "-id")
        .first()
    )
    rows, levels = (), ()
    if assessment is not None:
        levels = tuple(assessment.version.levels.order_by("-rank").values_list("label", flat=True))
        rows = tuple(
            (r.standard.code, r.standard.text, r.level.label if r.level else "Not yet rated")
            for r in assessment.ratings.select_related("standard", "level").order_by(
                "standard__position"
            )
        )
    plans = {
        p.start_year: p
        for p in DevelopmentPlan.objects.filter(
            start_year__in=(year.first.year, year.first.year + 1)
        ).order_by("start_year", "-created_at")
    }
    plan, next_plan = plans.get(year.first.year), plans.get(year.first.year + 1)
    return Appendices(
        team=team,
        assessment=assessment,
        assessment_rows=rows,
        levels=levels,
        plan=plan,
        plan_rows=_plan_rows(plan),
        next_plan=next_plan,
        next_plan_rows=_plan_rows(next_plan),
    )


def gather(service: Service, year: Period) -> AnnualFigures:
    """Every figure and record of the year's report, read inside the service's scope."""
    narrative = dict(
        NarrativeSection.objects.filter(year=year.first.year).values_list("part", "text")
    )
    evaluations = period_evaluations(year)
    satisfaction_by_year = tuple(
        (each, satisfaction(each, service)) for each in years_back(service, year, 4)
    )
    return AnnualFigures(
        service=service,
        year=year,
        narrative=narrative,
        movements=case_movements(year),
        evaluations=evaluations,
        satisfaction_by_year=satisfaction_by_year,
        events=events_summary(year),
        appendices=_appendices(service, year),
    )


# Presentation ---------------------------------------------------------------------------


def _slug(year: Period, name: str) -> str:
    return f"{name}-{year.first.year}-{(year.first.year + 1) % 100:02d}"


def _narrative_part(figures: AnnualFigures) -> Part:
    paragraphs = tuple(
        (part.label, figures.narrative.get(part.value, "")) for part in NARRATIVE_PARTS
    )
    return Part(
        "narrative",
        "The year in our words",
        paragraphs=tuple((h, t) for h, t in paragraphs if t.strip()),
        lines=()
        if any(t.strip() for _, t in paragraphs)
        else ("The coordinator has not written the narrative for this year yet.",),
    )


def _movements_part(figures: AnnualFigures, shown: Disclosure) -> Part:
    m = figures.movements
    table = Table(
        slug=_slug(figures.year, "case-movements"),
        caption=f"Case movements, {figures.year.label}",
        header=("Cases", "Number"),
        rows=(
            ("Brought forward (open at the start of the year)", shown.count(m.brought_forward)),
            ("New", shown.count(m.new)),
            ("Re-opened", shown.count(m.reopened)),
            ("Closed", shown.count(m.closed)),
            ("Carried forward (open at the end of the year)", shown.count(m.carried_forward)),
        ),
        foot=(("Casework total (open at any time in the year)", shown.count(m.casework_total)),),
        note="Brought forward + new + re-opened minus closed = carried forward.",
    )
    return Part("case-movements", "Case movements", blocks=(Block(table),))


def _evaluations_part(figures: AnnualFigures, shown: Disclosure) -> Part:
    year = figures.year
    rates = figures.evaluations.return_rates()
    blocks = [
        Block(
            Table(
                slug=_slug(year, "evaluation-return-rates"),
                caption="Evaluation forms sent and returned",
                header=("Form", "Kind", "Sent", "Returned", "Return rate"),
                rows=tuple(
                    (
                        r.title,
                        r.kind,
                        shown.count(r.sent),
                        shown.count(r.returned),
                        shown.percent(r.rate, r.sent, r.returned),
                    )
                    for r in rates
                ),
            )
        )
    ]
    target = figures.service.satisfaction_target
    trend_rows = []
    for each, figure in figures.satisfaction_by_year:
        if figure is None or figure.percent is None:
            trend_rows.append((each.label, "no answers", f"{target}%", ""))
            continue
        percent = shown.percent(figure.percent, figure.answered, figure.positive)
        hidden = percent == Disclosure.HIDDEN
        met = "" if hidden else ("Met" if figure.met else "Not met")
        trend_rows.append((each.label, percent if hidden else figure.percent, f"{target}%", met))
    trend = Table(
        slug=_slug(year, "satisfaction-trend"),
        caption="Parent satisfaction (Good or better) against the target, by year",
        header=("Academic year", "Satisfied (%)", "Target", "Target met"),
        rows=tuple(trend_rows),
    )
    blocks.append(
        Block(trend, bar_chart(trend, title="Parent satisfaction by year (%)", value_columns=(1,)))
    )
    forms_sent = {r.form_id for r in rates}
    results = []
    for form_id in sorted(forms_sent):
        title = next(r.title for r in rates if r.form_id == form_id)
        form_results = figures.evaluations.tallies.results(
            {v.version for v in figures.evaluations.tallies.versions if v.form == form_id}
        )
        for n, question in enumerate(q for q in form_results.questions if not q.is_text):
            results.append(
                Block(
                    Table(
                        slug=_slug(year, f"form-{form_id}-question-{n + 1}"),
                        caption=f"{title}: {question.text}",
                        header=("Answer", "Count", "Percent of those who answered"),
                        rows=tuple(
                            (
                                a.answer,
                                shown.count(a.count),
                                shown.percent(a.percent, a.count, question.answered),
                            )
                            for a in question.answers
                        ),
                        foot=(
                            ("Answered", shown.count(question.answered), ""),
                            ("Not applicable", shown.count(question.not_applicable), ""),
                            ("Not answered", shown.count(question.not_answered), ""),
                        ),
                    )
                )
            )
        comments = tuple((c.question, c.text) for c in form_results.comments)
        if comments:
            results.append(
                Block(
                    Table(
                        slug=_slug(year, f"form-{form_id}-comments"),
                        caption=f"{title}: comments cleared for publishing",
                        header=("Question", "Comment"),
                        rows=comments,
                    )
                )
            )
    blocks += results
    lines = () if rates else ("No evaluation forms were sent this year.",)
    return Part("evaluations", "Evaluations", blocks=tuple(blocks), lines=lines)


def _events_part(figures: AnnualFigures, shown: Disclosure) -> Part:
    summary = figures.events

    def cells(row):
        return (
            row.kind,
            shown.count(row.events),
            shown.count(row.parents),
            shown.count(row.professionals),
            shown.count(row.volunteers),
            shown.total(row.attendance, row.parents, row.professionals, row.volunteers),
        )

    table = Table(
        slug=_slug(figures.year, "events"),
        caption="Events held, with attendance",
        header=("Kind of event", "Events", "Parents", "Professionals", "Volunteers", "Total"),
        rows=tuple(cells(row) for row in summary.rows),
        foot=(cells(summary.total),) if summary.rows else (),
    )
    lines = () if summary.rows else ("No events were held this year.",)
    return Part("events", "Events", blocks=(Block(table),), lines=lines)


def _appendices_part(figures: AnnualFigures, shown: Disclosure) -> Part:
    a = figures.appendices
    year = figures.year
    blocks, lines = [], []
    if shown.exact:
        blocks.append(
            Block(
                Table(
                    slug=_slug(year, "team"),
                    caption="Appendix 1: the team",
                    header=("Name", "Role"),
                    rows=a.team,
                )
            )
        )
    else:
        lines.append("Appendix 1, the team, names staff: it is shown to coordinators only.")
    if a.assessment is not None:
        blocks.append(
            Block(
                Table(
                    slug=_slug(year, "self-assessment"),
                    caption=f"Appendix 2: {a.assessment.title}, "
                    f"{a.assessment.assessed_on:%-d %B %Y}",
                    header=("Standard", "Text", *a.levels),
                    rows=tuple(
                        (code, text, *("✓" if level == each else "" for each in a.levels))
                        for code, text, level in a.assessment_rows
                    ),
                    note="A standard not yet rated has no mark.",
                )
            )
        )
    else:
        lines.append("Appendix 2: no self-assessment had been finalised by the end of the year.")
    for number, plan, rows, missing in (
        (3, a.plan, a.plan_rows, "no development plan was recorded for this year."),
        (4, a.next_plan, a.next_plan_rows, "no plan for next year is recorded yet."),
    ):
        if plan is None:
            lines.append(f"Appendix {number}: {missing}")
            continue
        blocks.append(
            Block(
                Table(
                    slug=_slug(year, f"plan-{plan.start_year}"),
                    caption=f"Appendix {number}: {plan.title} ({plan.year_label})",
                    header=("Standard", "Objectives", "Evidence", "Progress"),
                    rows=rows,
                )
            )
        )
    return Part("appendices", "Appendices", blocks=tuple(blocks), lines=tuple(lines))


def present(figures: AnnualFigures, shown: Disclosure) -> AnnualReport:
    parts = (
        _narrative_part(figures),
        _movements_part(figures, shown),
        _evaluations_part(figures, shown),
        _events_part(figures, shown),
        _appendices_part(figures, shown),
    )
    return AnnualReport(
        service=figures.service.name,
        year=figures.year,
        exact=shown.exact,
        made_at=timezone.localtime(),
        parts=parts,
    )


def annual_report(service: Service, start_year: int, shown: Disclosure) -> AnnualReport:
    return present(gather(service, year_of(service, start_year)), shown)
