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
from dataclasses import dataclass, replace
from typing import ClassVar

from django.utils import timezone

from evaluations.enums import FormKind
from pps.disclosure import is_small
from pps.models import Service
from quality.enums import AssessmentStatus
from quality.models import DevelopmentPlan, PlanEntry, SelfAssessment
from reports.charts import Chart, bar_chart, line_chart
from reports.models import NarrativeSection
from reports.periods import Period, academic_year, start_year_of, year_slug
from reports.presenters import (
    NOT_RECORDED,
    Disclosure,
    Table,
    evaluation_cells,
    events_table,
    movement_cells,
    question_table,
    return_rates_table,
    satisfaction_trend_table,
)
from reports.queries import annual as figures_of
from reports.queries.casework import CaseMovements
from reports.queries.evaluations import (
    EventsSummary,
    MeasureFigure,
    PeriodEvaluations,
    events_summary,
    period_evaluations,
    satisfaction,
)


def year_of(service: Service, start_year: int) -> Period:
    return academic_year(start_year, service.academic_year_start_month)


def latest_ended_year(service: Service, today: dt.date | None = None) -> int:
    """The start year of the last academic year that has ended: the one a report is
    usually written about."""
    return start_year_of(today or timezone.localdate(), service.academic_year_start_month) - 1


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
class Report:
    """What the annual report and the benchmarking return (publications.benchmarking) share:
    the service, the year, whether its reader sees exact figures, when it was made, and
    its `tables` by slug, title and file name."""

    name: ClassVar[str]
    service: str
    year: Period
    exact: bool
    made_at: dt.datetime

    def table(self, slug: str) -> Table | None:
        return next((t for t in self.tables if t.slug == slug), None)

    @property
    def title(self) -> str:
        return f"{self.service}: {self.name} {self.year.label}"

    @property
    def file_stem(self) -> str:
        """The name its files take: annual-report-2025-26."""
        return year_slug(self.year, self.name.replace(" ", "-"))


@dataclass(frozen=True)
class AnnualReport(Report):
    name = "annual report"
    parts: tuple[Part, ...]

    @property
    def tables(self) -> tuple[Table, ...]:
        """Every table once, in the order printed: what the CSVs, the workbook and the JSON
        hold."""
        return tuple(block.table for part in self.parts for block in part.blocks)


@dataclass(frozen=True)
class Appendices:
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
    snapshot: figures_of.Snapshot
    performance: dict[Period, figures_of.MonthlyPerformance]
    phone_and_web: figures_of.PhoneAndWeb
    by_type: dict[Period, figures_of.CasesByType]
    needs: dict[Period, figures_of.Needs]
    ethnicity: figures_of.OfThoseWhoToldUs
    routes: figures_of.OfThoseWhoToldUs
    reasons: figures_of.Rows
    localities: figures_of.Rows
    officers: figures_of.Rows
    bullying: tuple[figures_of.MentionRow, ...]
    ips: figures_of.IpsYear
    movements: CaseMovements
    evaluations: PeriodEvaluations
    satisfaction_by_year: tuple[tuple[Period, MeasureFigure | None], ...]
    events: EventsSummary
    appendices: Appendices


def _plan_rows(plans, entries, start_year: int) -> tuple[tuple[str, str, str, str], ...]:
    plan = plans.get(start_year)
    return tuple(
        (entry.standard.code, entry.objectives or entry.activities, entry.evidence, entry.progress)
        for entry in entries
        if plan is not None and entry.plan_id == plan.pk
    )


def _appendices(service: Service, year: Period) -> Appendices:
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
    # A year with two plans prints the one made last (each later one replaces the earlier).
    plans = {
        p.start_year: p
        for p in DevelopmentPlan.objects.filter(
            start_year__in=(year.first.year, year.first.year + 1)
        ).order_by("start_year", "created_at", "id")
    }
    # Both plans' entries in one query.
    entries = list(
        PlanEntry.objects.filter(plan__in=list(plans.values()))
        .select_related("standard")
        .order_by("standard__position", "id")
    )
    start = year.first.year
    return Appendices(
        assessment=assessment,
        assessment_rows=rows,
        levels=levels,
        plan=plans.get(start),
        plan_rows=_plan_rows(plans, entries, start),
        next_plan=plans.get(start + 1),
        next_plan_rows=_plan_rows(plans, entries, start + 1),
    )


def gather(service: Service, year: Period) -> AnnualFigures:
    """Every figure and record of the year's report, read inside the service's scope."""
    narrative = dict(
        NarrativeSection.objects.filter(year=year.first.year).values_list("part", "text")
    )
    evaluations = period_evaluations(year)
    three, four = years_back(service, year, 3), years_back(service, year, 4)
    # The year's own parent forms are among the forms already counted for it.
    satisfaction_by_year = (
        *((each, satisfaction(each, service)) for each in four[:-1]),
        (year, satisfaction(year, service, results=evaluations.of_parent_forms())),
    )
    snapshot = figures_of.snapshot(year)
    return AnnualFigures(
        service=service,
        year=year,
        narrative=narrative,
        snapshot=snapshot,
        performance=figures_of.monthly_performance(three),
        phone_and_web=figures_of.phone_and_web(year, three[-2]),
        by_type=figures_of.cases_by_type(four),
        needs=figures_of.needs(four),
        ethnicity=figures_of.ethnicity(year),
        routes=figures_of.referral_routes(year),
        reasons=figures_of.top_reasons(year),
        localities=figures_of.cases_by_locality(year),
        officers=figures_of.cases_by_officer(year),
        bullying=figures_of.bullying_and_exclusions(year),
        ips=figures_of.ips_year(year),
        movements=snapshot.movements,
        evaluations=evaluations,
        satisfaction_by_year=satisfaction_by_year,
        events=events_summary(year),
        appendices=_appendices(service, year),
    )


# Presentation ---------------------------------------------------------------------------


def _narrative_part(figures: AnnualFigures) -> Part:
    # The parts written, in the order printed (docs/reporting.md, "The annual report").
    written = tuple(
        (part.label, text)
        for part in NarrativeSection.Part
        if (text := figures.narrative.get(part.value, "")).strip()
    )
    missing = "The coordinator has not written the narrative for this year yet."
    return Part(
        "narrative",
        "The year in our words",
        paragraphs=written,
        lines=() if written else (missing,),
    )


def _movements_part(year: Period, m: CaseMovements, shown: Disclosure) -> Part:
    cells = movement_cells(m, shown)
    table = Table(
        slug=year_slug(year, "case-movements"),
        caption=f"Case movements, {year.label}",
        header=("Cases", "Number"),
        rows=(
            ("Brought forward (open at the start of the year)", cells["brought_forward"]),
            ("New", cells["new"]),
            ("Re-opened", cells["reopened"]),
            ("Closed", cells["closed"]),
            ("Carried forward (open at the end of the year)", cells["carried_forward"]),
        ),
        foot=(("Casework total (open at any time in the year)", cells["casework_total"]),),
        note="Brought forward + new + re-opened minus closed = carried forward.",
    )
    return Part("case-movements", "Case movements", blocks=(Block(table),))


def _form_blocks(figures: AnnualFigures, shown: Disclosure, kinds) -> list[Block]:
    """Each question's answers and the publishable comments of every form of `kinds` sent
    in the year, suppressed as one set of sums per form (reports.presenters)."""
    year, tallies = figures.year, figures.evaluations.tallies
    tables = []
    for rate in figures.evaluations.return_rates():
        versions = {v.version for v in tallies.versions if v.form == rate.form_id}
        if not any(v.kind in kinds for v in tallies.versions if v.form == rate.form_id):
            continue
        results = tallies.results(versions)
        cells = evaluation_cells(results, shown)
        for q, question in enumerate(results.questions):
            if question.is_text:
                continue
            tables.append(
                replace(
                    question_table(cells, q, question),
                    slug=year_slug(year, f"form-{rate.form_id}-{question.key}"),
                    caption=f"{rate.title}: {question.text}",
                )
            )
        comments = tuple((c.question, c.text) for c in results.comments)
        if comments:
            tables.append(
                Table(
                    slug=year_slug(year, f"form-{rate.form_id}-comments"),
                    caption=f"{rate.title}: comments cleared for publishing",
                    header=("Question", "Comment"),
                    rows=comments,
                )
            )
    return list(map(Block, tables))


def _evaluations_part(figures: AnnualFigures, shown: Disclosure) -> Part:
    year = figures.year
    rates = figures.evaluations.return_rates()
    rates_table = replace(
        return_rates_table(rates, shown),
        slug=year_slug(year, "evaluation-return-rates"),
        caption="Evaluation forms sent and returned, by form",
    )
    trend = replace(
        satisfaction_trend_table(
            figures.satisfaction_by_year, figures.service.satisfaction_target, shown
        ),
        slug=year_slug(year, "satisfaction-trend"),
    )
    chart = line_chart(trend, title="Parent satisfaction by year", value_columns=(1,), unit="%")
    blocks = (
        Block(rates_table),
        Block(trend, chart),
        *_form_blocks(figures, shown, set(FormKind) - {FormKind.EVENT}),
    )
    lines = () if rates else ("No evaluation forms were sent this year.",)
    return Part("evaluations", "Evaluations", blocks=blocks, lines=lines)


def _events_part(figures: AnnualFigures, shown: Disclosure) -> Part:
    summary = figures.events
    table = replace(events_table(summary, shown), slug=year_slug(figures.year, "events"))
    blocks = [Block(table), *_form_blocks(figures, shown, {FormKind.EVENT})]
    lines = () if summary.rows else ("No events were held this year.",)
    return Part("events", "Events", blocks=tuple(blocks), lines=lines)


def _appendices_part(figures: AnnualFigures, shown: Disclosure) -> Part:
    a = figures.appendices
    year = figures.year
    tables, lines = [], []
    if shown.exact:
        tables.append(
            Table(
                slug=year_slug(year, "team"),
                caption="Appendix 1: the team",
                header=("Name", "Role", "Full-time equivalent"),
                rows=tuple((m.name, m.role, _recorded(m.fte)) for m in figures.snapshot.team),
            )
        )
    else:
        lines.append("Appendix 1, the team, names staff: it is shown to coordinators only.")
    if a.assessment is not None:
        tables.append(
            Table(
                slug=year_slug(year, "self-assessment"),
                caption=f"Appendix 2: {a.assessment.title}, {a.assessment.assessed_on:%-d %B %Y}",
                header=("Standard", "Text", *a.levels),
                rows=tuple(
                    (code, text, *("✓" if level == each else "" for each in a.levels))
                    for code, text, level in a.assessment_rows
                ),
                note="A standard not yet rated has no mark.",
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
        tables.append(
            Table(
                slug=year_slug(year, f"plan-{plan.start_year}"),
                caption=f"Appendix {number}: {plan.title} ({plan.year_label})",
                header=("Standard", "Objectives", "Evidence", "Progress"),
                rows=rows,
            )
        )
    return Part("appendices", "Appendices", blocks=tuple(map(Block, tables)), lines=tuple(lines))


def _recorded(value):
    """A figure as entered, or words saying it was not."""
    return NOT_RECORDED if value is None else value


def _number(value) -> str:
    """Hours and averages: whole numbers as such, else one decimal."""
    if value is None:
        return NOT_RECORDED
    value = float(value)
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _column(shown: Disclosure, counts, total=None):
    """A column of counts (and the total they add up to) as the reader sees it."""
    table = shown.counts([[c] for c in counts], total_row=None if total is None else [total])
    return [row[0] for row in table.rows], (table.total_row[0] if total is not None else None)


def _snapshot_part(year: Period, snap: figures_of.Snapshot, shown: Disclosure) -> Part:
    visits = snap.website_visits
    rows = (
        ("Contacts (casework and substantial enquiries)", shown.count(snap.contacts)),
        ("New cases", shown.count(snap.new_cases)),
        ("Website visits", _recorded(visits)),
        ("Training sessions given", snap.training_sessions),
        ("Staff (people)", len(snap.team)),
        ("Staff (full-time equivalent)", _number(snap.team_fte) if snap.team_fte else NOT_RECORDED),
    )
    table = Table(
        slug=year_slug(year, "snapshot"),
        caption=f"The year at a glance, {year.label}",
        header=("Figure", "Number"),
        rows=rows,
    )
    return Part("snapshot", "Snapshot", blocks=(Block(table),))


def _performance_table(year: Period, performance, shown: Disclosure) -> Table:
    months = performance.months
    contacts, contacts_total = _column(
        shown, [m.contacts for m in months], performance.total.contacts
    )

    def row(label, figures, shown_contacts, hide_office, hide_ips):
        return (
            label,
            Disclosure.HIDDEN if hide_office else _number(figures.office_hours),
            shown_contacts,
            shown.count(figures.open_cases),
            shown.count(figures.active_ips),
            Disclosure.HIDDEN if hide_ips else _number(figures.ips_hours),
        )

    rows = []
    office_hidden = ips_hidden = False
    for month, shown_contacts in zip(months, contacts, strict=True):
        # Hours beside a hidden count would be one or two people's work (decision 0006).
        hide_office = shown.suppress and not isinstance(shown_contacts, int)
        hide_ips = shown.suppress and is_small(month.active_ips)
        office_hidden |= hide_office
        ips_hidden |= hide_ips
        rows.append(row(f"{month.period.first:%B}", month, shown_contacts, hide_office, hide_ips))
    foot = (row("Total", performance.total, contacts_total, office_hidden, ips_hidden),)
    return Table(
        slug=year_slug(year, "performance"),
        caption=f"Performance monitoring, academic year {year.label}",
        header=("Month", "Office hours", "Contacts", "Open cases", "Active IPS", "IPS hours"),
        rows=tuple(rows),
        foot=foot,
        note="Office hours: staff time on casework contacts. Contacts: casework contacts and "
        "enquiries that took substantial time. Open cases: open at any time in the month "
        "(the total: in the year). Active IPS: volunteers active on any day of the month "
        "(the total: in the year). IPS hours: casework hours on volunteers' monthly returns.",
    )


def _performance_part(figures: AnnualFigures, shown: Disclosure) -> Part:
    blocks = []
    for year in sorted(figures.performance, key=lambda p: p.first, reverse=True):
        table = _performance_table(year, figures.performance[year], shown)
        chart = None
        if year == figures.year:
            chart = bar_chart(table, title=f"Contacts by month, {year.label}", value_columns=(2,))
        blocks.append(Block(table, chart))
    return Part("performance", "Performance monitoring", blocks=tuple(blocks))


def _calls_rows(calls) -> tuple:
    return (
        _number(calls.average),
        _recorded(calls.lowest),
        _recorded(calls.highest),
        calls.months_counted,
        NOT_RECORDED if calls.change_percent is None else f"{calls.change_percent:+g}%",
    )


def _phone_part(figures: AnnualFigures) -> Part:
    web = figures.phone_and_web
    year = figures.year
    by_month = Table(
        slug=year_slug(year, "calls-and-visits"),
        caption=f"Telephone calls and website visits by month, {year.label}",
        header=("Month", "Incoming calls", "Outgoing calls", "Website visits"),
        rows=tuple(
            (f"{m.month.first:%B %Y}", *map(_recorded, (m.calls_in, m.calls_out, m.website_visits)))
            for m in web.months
        ),
    )
    summary = Table(
        slug=year_slug(year, "calls-summary"),
        caption="Calls in a month: average, lowest and highest, and the change on last year",
        header=("Calls", "Average", "Lowest", "Highest", "Months counted", "Change in average"),
        rows=(
            ("Incoming", *_calls_rows(web.calls_in)),
            ("Outgoing", *_calls_rows(web.calls_out)),
        ),
        foot=(("Website visits", _number(web.website_average), "", "", web.website_months, ""),),
        note="August is left out, having little activity over the holiday, and so is any "
        "month whose calls were not recorded. The website row gives the monthly average; "
        f"the year's total is {_number(web.website_visits)}.",
    )
    return Part(
        "phone-and-web", "Telephone and web activity", blocks=(Block(summary), Block(by_month))
    )


def _by_years_table(slug, caption, label, labels, years, count_of, totals, shown):
    """Rows of labels, a column per year, the casework total below: each column sums to it."""
    matrix = [[count_of(year, name) for year in years] for name in labels]
    table = shown.counts(matrix, total_row=totals)
    return Table(
        slug=slug,
        caption=caption,
        header=(label, *(y.label for y in years)),
        rows=tuple((name, *cells) for name, cells in zip(labels, table.rows, strict=True)),
        foot=(("Casework total", *table.total_row),),
    )


def _by_type_part(figures: AnnualFigures, shown: Disclosure) -> Part:
    years = tuple(sorted(figures.by_type, key=lambda p: p.first))
    totals = [figures.by_type[y].casework_total for y in years]
    blocks = []
    for field_name, label, title in (
        ("gender", "Gender", "gender"),
        ("age_group", "Age group", "age group"),
        ("sen_status", "SEN status", "SEN status"),
        ("exclusions", "Exclusion", "exclusions"),
    ):
        labels = [name for name, _ in getattr(figures.by_type[years[-1]], field_name)]
        table = _by_years_table(
            year_slug(figures.year, f"cases-by-{field_name.replace('_', '-')}"),
            f"Cases by {title}, the last four years",
            label,
            labels,
            years,
            lambda year, name, f=field_name: dict(getattr(figures.by_type[year], f))[name],
            totals,
            shown,
        )
        chart = None
        if field_name == "age_group":
            chart = bar_chart(
                table, title="Cases by age group", value_columns=tuple(range(1, len(years) + 1))
            )
        blocks.append(Block(table, chart))
    return Part(
        "cases-by-type",
        "Cases by type",
        blocks=tuple(blocks),
        lines=(
            "Every case open at any time in a year is counted once in each breakdown. Age "
            "group is the child's school year at the later of the case's opening and the "
            "year's start.",
        ),
    )


def _change(cells) -> str:
    """The change of the last year's count on the year before; hidden if either is (with
    the one shown it would give the other back)."""
    before, now = cells[-2], cells[-1]
    if not (isinstance(before, int) and isinstance(now, int)):
        return Disclosure.HIDDEN
    return f"{now - before:+d}"


def _needs_part(figures: AnnualFigures, shown: Disclosure) -> Part:
    years = tuple(sorted(figures.needs, key=lambda p: p.first))
    latest = figures.needs[years[-1]]
    totals = [figures.needs[y].casework_total for y in years]
    areas = [name for name, _ in latest.areas]
    area_table = _by_years_table(
        year_slug(figures.year, "areas-of-need"),
        "Cases by the child's primary area of need, the last four years",
        "Area of need",
        areas,
        years,
        lambda year, name: dict(figures.needs[year].areas).get(name, 0),
        totals,
        shown,
    )
    area_table = replace(
        area_table,
        header=(*area_table.header, "Change on last year"),
        rows=tuple((*row, _change(row[1:])) for row in area_table.rows),
        foot=tuple((*row, _change(row[1:])) for row in area_table.foot),
    )
    subtypes = [(row.area, row.subtype) for row in latest.subtypes]
    counts = [
        [
            next((r.count for r in figures.needs[y].subtypes if (r.area, r.subtype) == key), 0)
            for y in years
        ]
        for key in subtypes
    ]
    sub = shown.counts(counts)
    subtype_table = Table(
        slug=year_slug(figures.year, "needs-by-sub-type"),
        caption="Cases by sub-type of the primary area of need",
        header=("Area and sub-type", *(y.label for y in years), "Change on last year"),
        rows=tuple(
            (f"{area}: {subtype}", *cells, _change(cells))
            for (area, subtype), cells in zip(subtypes, sub.rows, strict=True)
        ),
    )
    chart = bar_chart(
        area_table,
        title=f"Cases by primary area of need, {years[-1].label}",
        value_columns=(len(years),),
        horizontal=True,
    )
    return Part(
        "areas-of-need",
        "Areas of need",
        blocks=(Block(area_table, chart), Block(subtype_table)),
    )


def _told_us_block(slug, caption, label, told, shown, left_out) -> Block:
    counts, total = _column(shown, [row.count for row in told.rows], told.told)
    hidden_total = not isinstance(total, int)
    rows = tuple(
        (
            row.label,
            count,
            Disclosure.HIDDEN
            if hidden_total or not isinstance(count, int)
            else ("" if row.percent is None else f"{row.percent:g}%"),
        )
        for row, count in zip(told.rows, counts, strict=True)
    )
    table = Table(
        slug=slug,
        caption=caption,
        header=(label, "Number", "Percent of those who told us"),
        rows=rows,
        foot=(("Told us", total, ""), (left_out, shown.count(told.not_told), "")),
        note=f"Percentages leave out “{left_out.lower()}”.",
    )
    return Block(table)


def _rows_block(slug, caption, label, rows, shown, total=None, chart: str = "") -> Block:
    """Cases by name, with the casework total below when given, and a bar chart titled
    `chart` when it has a title."""
    counts, shown_total = _column(shown, [count for _, count in rows], total)
    table = Table(
        slug=slug,
        caption=caption,
        header=(label, "Cases"),
        rows=tuple((name, count) for (name, _), count in zip(rows, counts, strict=True)),
        foot=(("Casework total", shown_total),) if total is not None else (),
    )
    return Block(table, bar_chart(table, title=chart, horizontal=True) if chart else None)


def _who_part(figures: AnnualFigures, shown: Disclosure) -> Part:
    year = figures.year
    total = figures.movements.casework_total
    blocks = [
        _told_us_block(
            year_slug(year, "ethnicity"),
            "Ethnicity of the parents and carers we worked with",
            "Ethnicity",
            figures.ethnicity,
            shown,
            "Not stated",
        ),
        _told_us_block(
            year_slug(year, "referral-routes"),
            "How new cases reached us",
            "Referral route",
            figures.routes,
            shown,
            "Not known",
        ),
        _rows_block(
            year_slug(year, "top-reasons"),
            "The five most common reasons for contacting us (new cases)",
            "Reason",
            figures.reasons,
            shown,
            chart="Top reasons for contact",
        ),
        _rows_block(
            year_slug(year, "cases-by-locality"),
            "Cases by locality",
            "Locality",
            figures.localities,
            shown,
            total,
        ),
    ]
    lines = ()
    if shown.exact:
        blocks.append(
            _rows_block(
                year_slug(year, "cases-by-officer"),
                "Cases by case officer",
                "Case officer",
                figures.officers,
                shown,
                total,
            )
        )
    else:
        lines = ("Cases by case officer name staff: shown to coordinators only.",)
    return Part("who-we-worked-with", "Who we worked with", blocks=tuple(blocks), lines=lines)


def _bullying_part(figures: AnnualFigures, shown: Disclosure) -> Part:
    rows = figures.bullying
    counts = shown.counts(
        [[row.main_reason, row.mentioned] for row in rows],
        row_totals=[row.total for row in rows],
    )
    table = Table(
        slug=year_slug(figures.year, "bullying-and-exclusions"),
        caption="Cases about bullying or exclusion",
        header=("Issue", "The main reason for contact", "Mentioned", "Total"),
        rows=tuple((row.issue, *counts.row(i)) for i, row in enumerate(rows)),
        note="Mentioned: the parent contacted us about another concern and told us "
        "of this one too.",
    )
    return Part("bullying-and-exclusions", "Bullying and exclusions", blocks=(Block(table),))


def _ips_part(figures: AnnualFigures, shown: Disclosure) -> Part:
    ips = figures.ips
    hide_hours = shown.suppress and is_small(ips.active)
    table = Table(
        slug=year_slug(figures.year, "ips"),
        caption=f"Independent Parental Supporters, {figures.year.label}",
        header=("Figure", "Number"),
        rows=(
            ("Active at any time in the year", shown.count(ips.active)),
            ("Completed their initial training in the year", shown.count(ips.trained)),
            (
                "Casework hours (monthly returns)",
                Disclosure.HIDDEN if hide_hours else _number(ips.hours),
            ),
            ("Supervision sessions held", ips.supervision_sessions),
            (
                f"Active at {figures.year.last:%-d %B %Y} with supervision overdue",
                shown.count(ips.supervision_overdue),
            ),
        ),
    )
    return Part("ips", "Independent Parental Supporters", blocks=(Block(table),))


def present(figures: AnnualFigures, shown: Disclosure) -> AnnualReport:
    parts = (
        _snapshot_part(figures.year, figures.snapshot, shown),
        _narrative_part(figures),
        _performance_part(figures, shown),
        _movements_part(figures.year, figures.movements, shown),
        _phone_part(figures),
        _by_type_part(figures, shown),
        _needs_part(figures, shown),
        _who_part(figures, shown),
        _bullying_part(figures, shown),
        _evaluations_part(figures, shown),
        _events_part(figures, shown),
        _ips_part(figures, shown),
        _appendices_part(figures, shown),
    )
    return AnnualReport(
        service=figures.service.name,
        year=figures.year,
        exact=shown.exact,
        made_at=timezone.localtime(),
        parts=parts,
    )


def headline_parts(year: Period, shown: Disclosure) -> tuple[Part, Part]:
    """The year's snapshot and case movements alone, as the report shows them: what the
    narrative's editor shows beside the text, without reading the whole report."""
    snapshot = figures_of.snapshot(year)
    return (
        _snapshot_part(year, snapshot, shown),
        _movements_part(year, snapshot.movements, shown),
    )


def annual_report(service: Service, start_year: int, shown: Disclosure) -> AnnualReport:
    return present(gather(service, year_of(service, start_year)), shown)
