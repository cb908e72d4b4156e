"""The annual report's figures (docs/reporting.md, "The annual report's figures").

Each function reads an academic year (or several) of the one service in scope and returns
frozen dataclasses, counted in the database. Rules that other figures already count are
reused, never written again: open cases and case movements (reports.queries.casework),
contacts and office hours (the same), active IPS and IPS hours (reports.queries.volunteers),
the supervision interval (volunteers.rules). Figures of a fixed set of labels are
conditional counts of one GROUP BY service query (`grouped`; cases by type over one row a
case, `grouped_rows`), run together where a function has several; figures by a code-list
value are one GROUP BY value query each.
Every function costs the same few queries whatever the size of the service.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import (
    Coalesce,
    ExtractMonth,
    ExtractYear,
    Floor,
    Greatest,
    Lead,
)

from casework.codelists import OFFICIAL_EXCLUSION_REASONS
from casework.enums import (
    CaseEventKind,
    Ethnicity,
    Gender,
    Mention,
    OfficialExclusion,
    SenStatus,
)
from casework.models import CaseEvent
from evaluations.enums import TRAINING_KINDS
from evaluations.models import Event
from pps.access import service_staff
from pps.figures import one_decimal, percent
from pps.roles import STAFF, Role
from reports.models import MonthlyActivity
from reports.periods import Period, distinct_periods, span, start_year_of
from reports.queries.casework import (
    CaseMovements,
    ContactFigures,
    opening_overlaps,
    pending_case_movements,
    pending_contact_figures,
    pending_monthly_contact_figures,
)
from reports.queries.grouping import (
    CompiledValues,
    Pending,
    compiled_once,
    compiled_values,
    grouped,
    grouped_rows,
    joined,
    only_service,
    only_service_by_period,
)
from reports.queries.volunteers import (
    months_of,
    pending_ips_hours,
    pending_volunteer_counts,
    supervision_clock_at,
)
from volunteers.models import (
    SupervisionKind,
    SupervisionSession,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
)
from volunteers.rules import supervision_overdue

Rows = tuple[tuple[str, int], ...]
NO_OFFICER = "No officer"
NO_LOCALITY = "No locality"
NOT_RECORDED = "Not recorded"


def _single_service(rows: list[dict]) -> list[dict]:
    """The rows of a query grouped by value, refused when the scope holds several services
    (these figures are one service's; each row says its service)."""
    if len({row["row_service"] for row in rows}) > 1:
        raise ValueError("Several services in scope: these figures are one service's.")
    return rows


def _cases_of(years: Sequence[Period]) -> QuerySet:
    """The openings of the cases open during any of the years: each figure counts the
    distinct cases among them that are open during its own year (opening_overlaps)."""
    return CaseEvent.objects.filter(opening_overlaps(span(years)))


def _new_cases_of(year: Period) -> QuerySet:
    """The openings (not re-openings) in the year: its new cases."""
    return CaseEvent.objects.filter(
        kind=CaseEventKind.OPENED, on__gte=year.first, on__lte=year.last
    )


def _cases(year: Period, condition: Q | None = None) -> Count:
    """The distinct cases open during the year (meeting `condition`), over `_cases_of`."""
    during = opening_overlaps(year)
    return Count("case", distinct=True, filter=during & condition if condition else during)


# 1. Performance monitoring by month -------------------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    """One month of the performance table (or the year's total row)."""

    period: Period
    office_hours: float
    contacts: int
    open_cases: int
    active_ips: int
    ips_hours: Decimal


@dataclass(frozen=True)
class MonthlyPerformance:
    months: tuple[MonthRow, ...]
    total: MonthRow


@compiled_once
def pending_monthly_performance(years: tuple[Period, ...]) -> Pending:
    """Open cases, contact figures, active IPS and IPS hours of every month of the years
    and of each year, in one round trip. Open cases are the casework total alone (one
    distinct count a period over the openings), not all six case movements: with 39
    periods those cost the database six times the aggregates and the planner three times
    the time (bench/annual_report.py)."""
    periods = distinct_periods([p for year in years for p in (*months_of(year), year)])
    open_cases = Pending(
        [grouped(_cases_of(years), periods, lambda period: {"open_cases": _cases(period)})],
        lambda rows: rows,
    )
    return joined(
        open_cases,
        pending_monthly_contact_figures(periods),
        pending_volunteer_counts(active_during=periods),
        pending_ips_hours(periods),
    )


def monthly_performance(years: Sequence[Period]) -> dict[Period, MonthlyPerformance]:
    """The performance table of each academic year (docs/reporting.md, "Performance by
    month"): per month office hours, contacts, open cases, active IPS and IPS hours, and a
    total row whose open cases are the year's casework total and whose active IPS are the
    volunteers active at any time in the year. One query for all the years."""
    years = distinct_periods(years)
    cases, contacts, volunteers, hours = pending_monthly_performance(years).run()
    no_contacts = ContactFigures(0, 0, 0.0)

    def row(period: Period) -> MonthRow:
        (open_cases,) = only_service_by_period(cases, [period], {"open_cases": 0})
        (counted,) = only_service_by_period(contacts, [period], no_contacts)
        (active,) = only_service_by_period(volunteers.active_during, [period], 0)
        (returned,) = only_service_by_period(hours, [period], Decimal(0))
        return MonthRow(
            period=period,
            office_hours=counted.office_hours,
            contacts=counted.contacts,
            open_cases=open_cases["open_cases"],
            active_ips=active,
            ips_hours=returned,
        )

    return {
        year: MonthlyPerformance(
            months=tuple(row(month) for month in months_of(year)), total=row(year)
        )
        for year in years
    }


# 2. Cases by type -------------------------------------------------------------------------


def _school_year_start(day) -> Floor:
    """The calendar year in which the English school year holding `day` began (a school
    year starts on 1 September): the months since September of year 0, twelve to a year
    (floored: PostgreSQL's EXTRACT is numeric, so the division is not an integer one)."""
    return Floor((ExtractYear(day) * 12 + ExtractMonth(day) - 9) / 12)


def _school_year_sql(year: Period) -> tuple[str, list]:
    """SQL over the rows of `_openings_with_next`: the child's English school year at the
    later of the case's first opening and the year's first day; 0 is reception, below 0
    pre-school, NULL without a date of birth. A child born from 1 September of year Y to
    31 August of Y+1 starts reception in the school year beginning in September Y+5. The
    later day's school year is the later of the two days' school years, so each row's are
    computed once, whatever the number of years."""
    start = start_year_of(year.first, 9)
    return (
        "(CASE WHEN a.opened_school_year > %s THEN a.opened_school_year ELSE %s END"
        " - a.born_school_year - 5)",
        [start, start],
    )


_EXCLUSIONS = (
    ("Fixed-term", OfficialExclusion.FIXED_TERM),
    ("Permanent", OfficialExclusion.PERMANENT),
    ("None", OfficialExclusion.NONE),
)


@dataclass(frozen=True)
class CasesByType:
    gender: Rows
    age_group: Rows
    sen_status: Rows
    exclusions: Rows
    casework_total: int

    @property
    def breakdowns(self) -> dict[str, Rows]:
        return {
            "Gender": self.gender,
            "Age group": self.age_group,
            "SEN status": self.sen_status,
            "Exclusions": self.exclusions,
        }


def _type_conditions(age: str, age_params: list) -> dict[str, dict[str, tuple[str, list]]]:
    """Each breakdown's conditions, as SQL over the rows of `_openings_with_next` (`a`);
    `age` is the SQL of the child's school year in the year (docs/domain.md, "Age
    group")."""
    return {
        "gender": {label: ("a.child_gender = %s", [value]) for value, label in Gender.choices},
        "age_group": {
            "Pre-school": (f"{age} < 0", age_params),
            "Infant": (f"{age} BETWEEN 0 AND 2", age_params),
            "Junior": (f"{age} BETWEEN 3 AND 6", age_params),
            "Secondary": (f"{age} BETWEEN 7 AND 11", age_params),
            "Post-16": (f"{age} >= 12", age_params),
            "Not known": (f"{age} IS NULL", age_params),
        },
        "sen_status": {
            label: ("a.child_sen_status = %s", [value]) for value, label in SenStatus.choices
        },
        "exclusions": {label: ("a.case_exclusion = %s", [value]) for label, value in _EXCLUSIONS},
    }


# Each breakdown's labels, in the order shown.
TYPE_LABELS = {figure: tuple(labels) for figure, labels in _type_conditions("age", []).items()}


def _openings_with_next(years: tuple[Period, ...]) -> QuerySet:
    """The openings of `_cases_of(years)`, each with the day of its case's next opening
    among them (NULL for the latest), the child's gender and SEN status, the case's
    official exclusion, and the school years (`_school_year_start`) of the case's first
    opening and of the child's birth.

    A case is open during a year exactly when its latest opening begun by the year's last
    day overlaps the year (its earlier openings ended before that one began), and that
    opening is one row: so each year's cases are counted with plain conditional counts,
    not one distinct count (and its sort) per figure (bench/annual_report.py). A next
    opening outside these rows began after the years, so it is as good as none."""
    return (
        _cases_of(years)
        .annotate(
            row_service=F("service_id"),
            opening_on=F("on"),
            opening_end=F("ended_on"),
            next_opening_on=Window(
                Lead("on"), partition_by=[F("case_id")], order_by=[F("on").asc(), F("id").asc()]
            ),
            child_gender=F("case__child__gender"),
            child_sen_status=F("case__child__sen_status"),
            case_exclusion=F("case__official_exclusion"),
            opened_school_year=_school_year_start(F("case__opened_on")),
            born_school_year=_school_year_start(F("case__child__date_of_birth")),
        )
        .order_by()
        .values_list(
            "row_service",
            "opening_on",
            "opening_end",
            "next_opening_on",
            "child_gender",
            "child_sen_status",
            "case_exclusion",
            "opened_school_year",
            "born_school_year",
        )
    )


@compiled_once
def pending_cases_by_type(years: tuple[Period, ...]) -> Pending:
    """Cases by gender, age group, SEN status and official exclusion, and the casework
    total, of each year: conditional counts over each case's latest opening by the year's
    end (`_openings_with_next`), one GROUP BY service query."""
    years = distinct_periods(years)

    def aggregates(year):
        counted = (
            "a.opening_on <= %s AND (a.opening_end IS NULL OR a.opening_end >= %s)"
            " AND (a.next_opening_on IS NULL OR a.next_opening_on > %s)"
        )
        during = [year.last, year.first, year.last]
        counts = {"casework_total": (f"COUNT(*) FILTER (WHERE {counted})", during)}
        for figure, labels in _type_conditions(*_school_year_sql(year)).items():
            for n, (condition, params) in enumerate(labels.values()):
                counts[f"{figure}_{n}"] = (
                    f"COUNT(*) FILTER (WHERE {counted} AND {condition})",
                    [*during, *params],
                )
        return counts

    def figures(rows):
        return {
            key: CasesByType(
                **{
                    figure: tuple(
                        (label, values[f"{figure}_{number}"]) for number, label in enumerate(named)
                    )
                    for figure, named in TYPE_LABELS.items()
                },
                casework_total=values["casework_total"],
            )
            for key, values in rows.items()
        }

    return Pending([grouped_rows(_openings_with_next(years), years, aggregates)], figures)


def cases_by_type(years: Sequence[Period]) -> dict[Period, CasesByType]:
    """Cases by type of each year (docs/reporting.md, "Cases by type"): each breakdown in
    a fixed order with its zero rows, summing to the casework total. One query."""
    years = distinct_periods(years)
    empty = CasesByType(
        **{figure: tuple((label, 0) for label in labels) for figure, labels in TYPE_LABELS.items()},
        casework_total=0,
    )
    by_service = pending_cases_by_type(years).run()
    return dict(zip(years, only_service_by_period(by_service, years, empty), strict=True))


# 3. Areas of need -------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedRow:
    area: str
    subtype: str | None  # None: the area itself was recorded, or its total
    count: int


@dataclass(frozen=True)
class Needs:
    """The primary areas of need of the children of the casework total: each area's total
    (its sub-types and the area recorded alone), then each sub-type; "Not recorded" last."""

    areas: Rows
    subtypes: tuple[NeedRow, ...]
    casework_total: int


@compiled_once
def _need_rows(years: tuple[Period, ...]) -> CompiledValues:
    need = "case__child__primary_need"
    # The area of a sub-type is its parent; a top-level value is its own area.
    return compiled_values(
        _cases_of(years)
        .values(
            row_service=F("service_id"),
            area_name=Coalesce(f"{need}__area__name", f"{need}__name"),
            area_position=Coalesce(f"{need}__area__position", f"{need}__position"),
            subtype_name=F(f"{need}__name"),
            subtype_position=F(f"{need}__position"),
            is_subtype=F(f"{need}__area_id"),
        )
        .annotate(**{f"year_{n}": _cases(year) for n, year in enumerate(years)})
        .order_by()
    )


def needs(years: Sequence[Period]) -> dict[Period, Needs]:
    """Primary area of need and sub-type of the children of each year's casework total
    (docs/reporting.md, "Areas of need"), every value found in any of the years shown in
    each (0 where absent), so that years compare. One query."""
    years = distinct_periods(years)
    rows = _single_service(_need_rows(years).run())

    def order(row):
        recorded = row["area_name"] is not None
        return (not recorded, row["area_position"] or 0, row["area_name"] or "")

    rows.sort(key=order)
    result = {}
    for number, year in enumerate(years):
        count = f"year_{number}"
        areas: dict[str, int] = {}
        subtypes = []
        for row in rows:
            area = row["area_name"] or NOT_RECORDED
            # The groups are disjoint (a child has one primary need): their sum is exact.
            areas[area] = areas.get(area, 0) + row[count]
        for row in sorted(rows, key=lambda r: (*order(r), r["subtype_position"] or 0)):
            if row["is_subtype"]:
                subtypes.append(NeedRow(row["area_name"], row["subtype_name"], row[count]))
        result[year] = Needs(
            areas=tuple(areas.items()),
            subtypes=tuple(subtypes),
            casework_total=sum(areas.values()),
        )
    return result


# 4. Ethnicity and referral routes ("of those who told us") --------------------------------


@dataclass(frozen=True)
class ToldRow:
    label: str
    count: int
    percent: float | None  # of those who told us


@dataclass(frozen=True)
class OfThoseWhoToldUs:
    rows: tuple[ToldRow, ...]
    told: int
    not_told: int


def _of_those_who_told_us(counts: Iterable[tuple[str, int]], not_told: int) -> OfThoseWhoToldUs:
    counts = [(label, count) for label, count in counts if count]
    told = sum(count for _, count in counts)
    rows = tuple(ToldRow(label, count, percent(count, told)) for label, count in counts)
    return OfThoseWhoToldUs(rows=rows, told=told, not_told=not_told)


@compiled_once
def pending_ethnicity(year: Period) -> Pending:
    """The distinct parents of the cases open during the year, by ethnicity."""

    def aggregates(year):
        during = opening_overlaps(year)
        return {
            value: Count(
                "case__parent", distinct=True, filter=during & Q(case__parent__ethnicity=value)
            )
            for value in Ethnicity.values
        }

    return Pending([grouped(_cases_of([year]), [year], aggregates)], lambda rows: rows)


def ethnicity(year: Period) -> OfThoseWhoToldUs:
    """Ethnicity of the distinct parents of the cases in the casework total, of those who
    told us (docs/reporting.md, "Of those who told us"): "Not stated" is left out of the
    percentages and counted apart. Groups no parent gave are left out. One query."""
    counts = only_service(pending_ethnicity(year).run(), year, dict.fromkeys(Ethnicity.values, 0))
    told = [
        (label, counts[value])
        for value, label in Ethnicity.choices
        if value != Ethnicity.NOT_STATED
    ]
    return _of_those_who_told_us(told, counts[Ethnicity.NOT_STATED])


@compiled_once
def _route_rows(year: Period) -> CompiledValues:
    return compiled_values(
        _new_cases_of(year)
        .values(
            row_service=F("service_id"),
            name=F("case__referral_route__name"),
            not_known=F("case__referral_route__is_not_known"),
        )
        .annotate(cases=Count("case", distinct=True))
        .order_by("-cases", "name")
    )


def referral_routes(year: Period) -> OfThoseWhoToldUs:
    """How the year's new cases reached the service, of those who told us (docs/reporting.md,
    "Of those who told us"): a route marked "not known", or none recorded, is counted
    apart. Most cases first, ties by name. One query."""
    rows = _single_service(_route_rows(year).run())
    told = [(row["name"], row["cases"]) for row in rows if row["name"] and not row["not_known"]]
    not_told = sum(row["cases"] for row in rows if not row["name"] or row["not_known"])
    return _of_those_who_told_us(told, not_told)


# 5. Top reasons for contact ---------------------------------------------------------------


@compiled_once
def _reason_rows(year: Period, n: int) -> CompiledValues:
    return compiled_values(
        _new_cases_of(year)
        .filter(case__primary_reason__isnull=False, case__primary_reason__is_not_known=False)
        .values(row_service=F("service_id"), name=F("case__primary_reason__name"))
        .annotate(cases=Count("case", distinct=True))
        .order_by("-cases", "name")[:n]
    )


def top_reasons(year: Period, n: int = 5) -> Rows:
    """The primary reasons for contact of the year's new cases, the `n` most frequent with
    their counts, ties by name (docs/reporting.md, "Top reasons for contact"); reasons not
    recorded or "not known" are left out. One query."""
    rows = _single_service(_reason_rows(year, n).run())
    return tuple((row["name"], row["cases"]) for row in rows)


# 6. Cases by locality and by officer ------------------------------------------------------


@compiled_once
def _locality_rows(year: Period) -> CompiledValues:
    return compiled_values(
        _cases_of([year])
        .values(
            row_service=F("service_id"),
            name=F("case__locality__name"),
            position=F("case__locality__position"),
        )
        .annotate(cases=_cases(year))
        .order_by(F("position").asc(nulls_last=True), "name")
    )


def _without_empty(rows: list[dict], empty: str) -> Rows:
    """(name, cases) of each row whose count is not 0, the row without a name as `empty`."""
    return tuple((row["name"] or empty, row["cases"]) for row in rows if row["cases"])


def cases_by_locality(year: Period) -> Rows:
    """The casework total by the case's locality, in the service's order, "No locality"
    last (docs/reporting.md, "Cases by locality and by officer"); the rows sum to the
    casework total. One query."""
    return _without_empty(_single_service(_locality_rows(year).run()), NO_LOCALITY)


@compiled_once
def _officer_rows(year: Period) -> CompiledValues:
    return compiled_values(
        _cases_of([year])
        .values(
            row_service=F("service_id"),
            officer=F("case__officer_id"),
            first_name=F("case__officer__first_name"),
            last_name=F("case__officer__last_name"),
        )
        .annotate(cases=_cases(year))
        .order_by()
    )


def cases_by_officer(year: Period) -> Rows:
    """The casework total by the case officer's full name, "No officer" last
    (docs/reporting.md, "Cases by locality and by officer"); the rows sum to the casework
    total. One query."""
    rows = _single_service(_officer_rows(year).run())
    named = [
        {
            "name": f"{row['first_name']} {row['last_name']}".strip() if row["officer"] else None,
            "cases": row["cases"],
        }
        for row in rows
    ]
    named.sort(key=lambda row: (row["name"] is None, row["name"] or ""))
    return _without_empty(named, NO_OFFICER)


# 7. Bullying and exclusions ---------------------------------------------------------------


@dataclass(frozen=True)
class MentionRow:
    issue: str
    main_reason: int
    mentioned: int

    @property
    def total(self) -> int:
        return self.main_reason + self.mentioned


@compiled_once
def pending_bullying_and_exclusions(year: Period) -> Pending:
    excluded = ~Q(case__official_exclusion=OfficialExclusion.NONE)
    about_exclusion = Q(case__primary_reason__name__in=OFFICIAL_EXCLUSION_REASONS)

    def aggregates(year):
        return {
            "bullying_main": _cases(year, Q(case__bullying=Mention.MAIN)),
            "bullying_mentioned": _cases(year, Q(case__bullying=Mention.MENTIONED)),
            "unofficial_main": _cases(year, Q(case__unofficial_exclusion=Mention.MAIN)),
            "unofficial_mentioned": _cases(year, Q(case__unofficial_exclusion=Mention.MENTIONED)),
            "official_main": _cases(year, excluded & about_exclusion),
            "official": _cases(year, excluded),
        }

    def figures(rows):
        return {
            key: (
                MentionRow("Bullying", v["bullying_main"], v["bullying_mentioned"]),
                MentionRow("Unofficial exclusion", v["unofficial_main"], v["unofficial_mentioned"]),
                MentionRow(
                    "Official exclusion", v["official_main"], v["official"] - v["official_main"]
                ),
            )
            for key, v in rows.items()
        }

    return Pending([grouped(_cases_of([year]), [year], aggregates)], figures)


def bullying_and_exclusions(year: Period) -> tuple[MentionRow, ...]:
    """Cases of the casework total where bullying, unofficial exclusion or official
    exclusion was the main reason for contact or was mentioned (docs/reporting.md,
    "Bullying and exclusions"). One query."""
    empty = tuple(
        MentionRow(issue, 0, 0)
        for issue in ("Bullying", "Unofficial exclusion", "Official exclusion")
    )
    return only_service(pending_bullying_and_exclusions(year).run(), year, empty)


# 8. IPS -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IpsYear:
    active: int
    trained: int
    hours: Decimal
    supervision_sessions: int
    supervision_overdue: int  # active IPS at the year's end whose supervision is overdue


def overdue_if_since_by(day: dt.date) -> dt.date:
    """The latest day of a last supervision (or of becoming active) that is overdue at the
    end of `day` by volunteers.rules.supervision_overdue: the rule is written once, there,
    and a volunteer is overdue when their day is on or before this one (the term days
    between them only shrink as it moves later)."""
    since = day - dt.timedelta(days=1)
    while not supervision_overdue(since, day):
        since -= dt.timedelta(days=1)
    return since


@compiled_once
def pending_ips_year(year: Period) -> Pending:
    """The IPS figures of the year in one round trip: the register's status spans and
    year figures (active, newly trained), the returns' hours, the supervision sessions held,
    and the IPS active at the year's end counted by the day their supervision clock runs
    from (the later of their last supervision and latest move to active by then)."""
    active, ips = VolunteerStatus.ACTIVE, VolunteerRole.IPS
    sessions = grouped(
        SupervisionSession.objects.filter(
            kind=SupervisionKind.SUPERVISION, on__gte=year.first, on__lte=year.last
        ),
        [year],
        lambda year: {"sessions": Count("service")},
    )
    at_end = Volunteer.objects.filter(role=ips).annotate(**supervision_clock_at(year.last))
    # The later of the two days, either of which may be missing.
    since = Greatest(Coalesce("supervised", "active_since"), Coalesce("active_since", "supervised"))
    overdue = grouped(
        at_end.annotate(since=since),
        [year],
        lambda year: {
            "overdue": Count(
                "id", filter=Q(status_at_end=active, since__lte=overdue_if_since_by(year.last))
            )
        },
    )
    counts = pending_volunteer_counts(active_during=[year], years=[year])
    hours = pending_ips_hours([year])

    def figures(volunteers, returned, held, late):
        return {
            key: IpsYear(
                active=count,
                trained=volunteers.figures[key].ips_newly_trained,
                hours=returned.get(key, Decimal(0)),
                supervision_sessions=held.get(key, {}).get("sessions", 0),
                supervision_overdue=late.get(key, {}).get("overdue", 0),
            )
            for key, count in volunteers.active_during.items()
        }

    as_rows = Pending([sessions], lambda rows: rows), Pending([overdue], lambda rows: rows)
    return joined(counts, hours, *as_rows).then(lambda results: figures(*results))


def ips_year(year: Period) -> IpsYear:
    """The year's IPS (docs/reporting.md, "IPS"): active at any time in it, newly trained in
    it, their casework hours, the supervision sessions held in it and the IPS active at its
    end whose supervision is overdue then. One query."""
    return only_service(pending_ips_year(year).run(), year, IpsYear(0, 0, Decimal(0), 0, 0))


# 9. Telephone and web ---------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityMonth:
    month: Period
    calls_in: int | None  # None: not recorded
    calls_out: int | None
    website_visits: int | None


@dataclass(frozen=True)
class Calls:
    average: float | None
    lowest: int | None
    highest: int | None
    months_counted: int
    previous_average: float | None
    change_percent: float | None  # of the average against the previous year's


@dataclass(frozen=True)
class PhoneAndWeb:
    months: tuple[ActivityMonth, ...]
    calls_in: Calls
    calls_out: Calls
    website_visits: int | None
    website_months: int
    website_average: float | None


def _activity_of(period: Period) -> Q:
    return Q(month__gte=period.first.replace(day=1), month__lte=period.last)


@compiled_once
def pending_phone_and_web(year: Period, previous: Period) -> Pending:
    """Each year's calls (August left out) and website visits, one GROUP BY service query."""
    not_august = ~Q(month__month=8)

    def aggregates(period):
        during = _activity_of(period)
        figures = {}
        for calls in ("calls_in", "calls_out"):
            counted = during & not_august & Q(**{f"{calls}__isnull": False})
            figures |= {
                f"{calls}_average": Avg(calls, filter=counted),
                f"{calls}_lowest": Min(calls, filter=counted),
                f"{calls}_highest": Max(calls, filter=counted),
                f"{calls}_months": Count(calls, filter=counted),
            }
        figures["visits"] = Sum("website_visits", filter=during)
        figures["visits_months"] = Count("website_visits", filter=during)
        figures["visits_average"] = Avg("website_visits", filter=during)
        return figures

    rows = grouped(
        MonthlyActivity.objects.filter(_activity_of(span([year, previous]))),
        [year, previous],
        aggregates,
    )
    return Pending([rows], lambda rows: rows)


@compiled_once
def _activity_months(year: Period) -> CompiledValues:
    return compiled_values(
        MonthlyActivity.objects.filter(_activity_of(year))
        .values("month", "calls_in", "calls_out", "website_visits", row_service=F("service_id"))
        .order_by("month")
    )


def phone_and_web(year: Period, previous: Period) -> PhoneAndWeb:
    """Telephone calls and website visits of the year (docs/reporting.md, "Telephone and
    web"): each month as entered (None where not recorded); for calls in and out the
    monthly average, lowest and highest with August and unrecorded months left out, how
    many months were counted and the change of the average against `previous`; website
    visits' total and monthly average over the months recorded. Two queries."""
    entered = {row["month"]: row for row in _single_service(_activity_months(year).run())}
    empty = {}
    figures = pending_phone_and_web(year, previous).run()
    mine, before = (only_service(figures, period, empty) for period in (year, previous))

    def calls(name: str) -> Calls:
        if not mine.get(f"{name}_months"):
            average = lowest = highest = None
        else:
            average = mine[f"{name}_average"]
            lowest, highest = mine[f"{name}_lowest"], mine[f"{name}_highest"]
        earlier = before[f"{name}_average"] if before.get(f"{name}_months") else None
        change = None
        if average is not None and earlier:
            change = one_decimal(
                (Decimal(str(average)) - Decimal(str(earlier))) * 100 / Decimal(str(earlier))
            )
        return Calls(
            average=one_decimal(average),
            lowest=lowest,
            highest=highest,
            months_counted=mine.get(f"{name}_months", 0),
            previous_average=one_decimal(earlier),
            change_percent=change,
        )

    def as_entered(month: Period) -> ActivityMonth:
        row = entered.get(month.first.replace(day=1), {})
        figures = ("calls_in", "calls_out", "website_visits")
        return ActivityMonth(month, *(row.get(name) for name in figures))

    recorded = mine.get("visits_months", 0)
    return PhoneAndWeb(
        months=tuple(as_entered(month) for month in months_of(year)),
        calls_in=calls("calls_in"),
        calls_out=calls("calls_out"),
        website_visits=mine["visits"] if recorded else None,
        website_months=recorded,
        website_average=one_decimal(mine["visits_average"]) if recorded else None,
    )


# 10. Snapshot -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamMember:
    name: str
    role: str
    fte: Decimal | None


@dataclass(frozen=True)
class Snapshot:
    contacts: int
    new_cases: int
    website_visits: int | None  # None: no month recorded
    training_sessions: int
    team: tuple[TeamMember, ...]
    team_fte: Decimal
    # The year's case movements, counted with the rest (its new cases are the snapshot's).
    movements: CaseMovements


@compiled_once
def pending_snapshot(year: Period) -> Pending:
    visits = grouped(
        MonthlyActivity.objects.filter(_activity_of(year)),
        [year],
        lambda year: {
            "visits": Sum("website_visits"),
            "months": Count("website_visits"),
        },
    )
    training = grouped(
        Event.objects.filter(kind__in=TRAINING_KINDS, on__gte=year.first, on__lte=year.last),
        [year],
        lambda year: {"sessions": Count("service")},
    )
    return joined(
        pending_case_movements([year]),
        pending_contact_figures([year]),
        Pending([visits], lambda rows: rows),
        Pending([training], lambda rows: rows),
    )


_ROLE_ORDER = (Role.COORDINATOR, Role.CASE_OFFICER, Role.ADMIN_SUPPORT)


def team() -> tuple[tuple[TeamMember, ...], Decimal]:
    """The service's active staff (names are staff's, never families'), coordinators
    first, then case officers and admin support, each by name; and their total FTE (a
    window sum beside the rows, so still one query)."""
    rows = (
        service_staff()
        .filter(is_active=True, role__in=sorted(STAFF))
        .annotate(team_fte=Window(Sum("fte")))
        .values_list("first_name", "last_name", "username", "role", "fte", "team_fte")
        .order_by("first_name", "last_name", "id")
    )
    found = sorted(rows, key=lambda row: _ROLE_ORDER.index(row[3]))
    members = tuple(
        TeamMember(f"{first} {last}".strip() or username, Role(role).label, fte)
        for first, last, username, role, fte, _ in found
    )
    return members, (found[0][5] or Decimal(0)) if found else Decimal(0)


def snapshot(year: Period) -> Snapshot:
    """The year at a glance (docs/reporting.md, "Snapshot"): contacts, new cases, website
    visits, training sessions given and the team. Two queries."""
    movements, contacts, visits, training = pending_snapshot(year).run()
    moved = only_service(movements, year, CaseMovements(0, 0, 0, 0, 0, 0))
    counted = only_service(contacts, year, ContactFigures(0, 0, 0.0))
    web = only_service(visits, year, {"visits": 0, "months": 0})
    given = only_service(training, year, {"sessions": 0})
    members, fte = team()
    return Snapshot(
        contacts=counted.contacts,
        new_cases=moved.new,
        website_visits=web["visits"] if web["months"] else None,
        training_sessions=given["sessions"],
        team=members,
        team_fte=fte,
        movements=moved,
    )
