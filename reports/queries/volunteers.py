"""Volunteer figures of the reports (docs/domain.md, "Active IPS and IPS hours" and
"Benchmarking return"; benchmarking tables E-G).

As in reports.queries.casework, each `*_by_service` function counts every service in scope
and every period given in one query; the function named after the figure is its wrapper
for one service and one period.
"""

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import Lead

from reports.periods import Period, distinct_periods, span
from reports.queries.casework import service_users
from reports.queries.grouping import (
    Pending,
    compiled_once,
    grouped,
    grouped_rows,
    only_service,
    only_service_by_period,
    together,
)
from volunteers.models import (
    MonthlyReturn,
    SupervisionKind,
    SupervisionSession,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
    VolunteerStatusChange,
)
from volunteers.queries import status_on
from volunteers.rules import supervised_in_time_from

_RETURNED_HOURS = MonthlyReturn.hours_in_database()


def months_of(period: Period) -> list[Period]:
    """The months of the period, the first and last cut to its days."""
    return list(_months_of(period))


@functools.lru_cache(maxsize=256)
def _months_of(period: Period) -> tuple[Period, ...]:
    months, first = [], period.first.replace(day=1)
    while first <= period.last:
        last = first + relativedelta(months=1) - dt.timedelta(days=1)
        months.append(Period(max(first, period.first), min(last, period.last), f"{first:%B %Y}"))
        first += relativedelta(months=1)
    return tuple(months)


def active_ips_by_month(period: Period) -> list[tuple[Period, int]]:
    """Active IPS in each month of the period, for the one service in scope: one query."""
    months = _months_of(period)
    active = volunteer_counts_by_service(active_during=months).active_during
    counts = only_service_by_period(active, months, 0)
    return list(zip(months, counts, strict=True))


def _returns_of(period: Period) -> Q:
    # A return is for a whole month: those of every month the period touches count.
    return Q(month__gte=period.first.replace(day=1), month__lte=period.last)


def ips_hours_by_month(period: Period) -> dict[dt.date, Decimal]:
    """Casework hours from the IPS monthly returns, by month (supervision and CPD are not
    returned, so are never counted)."""
    rows = (
        MonthlyReturn.objects.filter(_returns_of(period))
        .values("month")
        .annotate(hours=Sum(_RETURNED_HOURS, default=Decimal(0)))
        .order_by("month")
    )
    return {row["month"]: row["hours"] for row in rows}


@dataclass(frozen=True)
class VolunteerFigures:
    """The benchmarking figures of a financial year (seed nppn-national-benchmarking-2009)."""

    active_ips_at_end: int
    ips_newly_trained: int
    other_volunteers_at_end: int


@dataclass(frozen=True)
class VolunteerCounts:
    """What volunteer_counts_by_service counts, each by (service id, period)."""

    active_during: dict[tuple[int, Period], int]
    figures: dict[tuple[int, Period], VolunteerFigures]


def _ips_status_spans():
    """Each IPS of the register with each of their status changes and the day of
    the change that followed it (NULL for the latest; a volunteer with no change has one
    row of NULLs). A change to active on day D followed by one on day E made the volunteer
    active from D to E, both days included (volunteers.queries.active_during): so a
    figure is a test on one row, and the changes are read once, by a window."""
    return (
        Volunteer.objects.filter(role=VolunteerRole.IPS)
        .annotate(
            row_service=F("service_id"),
            volunteer_ref=F("id"),
            change_status=F("status_changes__status"),
            change_on=F("status_changes__on"),
            next_on=Window(
                Lead("status_changes__on"),
                partition_by=[F("id")],
                order_by=[F("status_changes__on").asc(), F("status_changes__id").asc()],
            ),
        )
        .order_by()
        .values_list(
            "row_service",
            "volunteer_ref",
            "change_status",
            "change_on",
            "next_on",
        )
    )


def _volunteers(condition: str, params: list) -> tuple[str, list]:
    return f"COUNT(DISTINCT a.volunteer_ref) FILTER (WHERE {condition})", params


def volunteer_counts_by_service(
    *, active_during: Iterable[Period] = (), years: Iterable[Period] = ()
) -> VolunteerCounts:
    """pending_volunteer_counts, run now: one query."""
    return pending_volunteer_counts(active_during=active_during, years=years).run()


def _year_figures(years: tuple[Period, ...]):
    """The benchmarking figures of each year, for every service in scope: one GROUP BY
    service query of the register, each volunteer's status at the end of the year read by
    the register's own subquery (volunteers.queries.status_on: their latest change on or
    before it, read on the changes' volunteer index), not by a window over their whole
    history."""
    ips, other, active = VolunteerRole.IPS, VolunteerRole.OTHER, VolunteerStatus.ACTIVE
    index = {year: number for number, year in enumerate(years)}
    register = Volunteer.objects.annotate(
        **{f"status_at_end_{number}": status_on(year.last) for year, number in index.items()}
    )

    def aggregates(year):
        at_end = f"status_at_end_{index[year]}"
        return {
            "active_ips_at_end": Count("id", filter=Q(role=ips) & Q(**{at_end: active})),
            "ips_newly_trained": Count(
                "id",
                filter=Q(role=ips)
                & Q(initial_training_completed_on__range=(year.first, year.last)),
            ),
            "other_volunteers_at_end": Count("id", filter=Q(role=other) & Q(**{at_end: active})),
        }

    return grouped(register, years, aggregates)


@compiled_once
def pending_volunteer_counts(
    *, active_during: Iterable[Period] = (), years: Iterable[Period] = ()
) -> Pending:
    """For every service in scope, in one round trip: the IPS active on any day of each
    period of `active_during` (docs/domain.md, "Active IPS and IPS hours";
    volunteers.queries.active_during), from the register's status spans, and the
    benchmarking figures of each of `years`: active IPS and other active volunteers at its
    last day (31 March), and IPS who completed the initial course in it (_year_figures)."""
    during, years = tuple(dict.fromkeys(active_during)), tuple(dict.fromkeys(years))
    active = VolunteerStatus.ACTIVE
    parts = []
    if during:
        # Active on a day of [first, last]: a change to active on or before `last` not
        # followed by another before `first`.
        parts.append(
            grouped_rows(
                _ips_status_spans(),
                during,
                lambda period: {
                    "active_during": _volunteers(
                        "a.change_status = %s AND a.change_on <= %s"
                        " AND (a.next_on IS NULL OR a.next_on >= %s)",
                        [active, period.last, period.first],
                    )
                },
            )
        )
    if years:
        parts.append(_year_figures(years))

    def counts(*rows):
        rows = list(rows)
        spans = rows.pop(0) if during else {}
        figures = rows.pop(0) if years else {}
        return VolunteerCounts(
            active_during={key: values["active_during"] for key, values in spans.items()},
            figures={key: VolunteerFigures(**values) for key, values in figures.items()},
        )

    return Pending(parts, counts)


def volunteer_figures(year: Period) -> VolunteerFigures:
    """The benchmarking volunteer figures of the one service in scope: one query."""
    figures = volunteer_counts_by_service(years=[year]).figures
    return only_service(figures, year, VolunteerFigures(0, 0, 0))


def users_per_ips(users: int, active_ips: int) -> float | None:
    """Service users to active IPS, one decimal; None for a service with no active IPS."""
    return round(users / active_ips, 1) if active_ips else None


def service_users_per_active_ips(year: Period) -> float | None:
    """Parent/carer service users of the financial year to IPS active at its 31 March
    (benchmarking chart 39); None for a service with no active IPS. Two queries."""
    return users_per_ips(service_users(year), volunteer_figures(year).active_ips_at_end)


@dataclass(frozen=True)
class IpsActivity:
    active_ips: int
    hours: Decimal


def ips_hours_by_service(periods: Iterable[Period]) -> dict[tuple[int, Period], Decimal]:
    """Casework hours from the IPS monthly returns of each period, for every service in
    scope: one query."""
    return pending_ips_hours(periods).run()


@compiled_once
def pending_ips_hours(periods: Iterable[Period]) -> Pending:
    """Casework hours from the IPS monthly returns of each period (of every month it
    touches), for every service in scope."""
    periods = distinct_periods(periods)
    rows = grouped(
        MonthlyReturn.objects.filter(_returns_of(span(periods))),
        periods,
        lambda period: {"hours": Sum(_RETURNED_HOURS, filter=_returns_of(period))},
    )
    return Pending(
        [rows], lambda rows: {key: Decimal(values["hours"]) for key, values in rows.items()}
    )


def ips_activity_by_service(periods: Iterable[Period]) -> dict[tuple[int, Period], IpsActivity]:
    """IPS active at any time in each period, and their casework hours from monthly
    returns, for every service in scope: one query (two in one round trip)."""
    periods = distinct_periods(periods)
    counts, hours = together(
        pending_volunteer_counts(active_during=periods), pending_ips_hours(periods)
    )
    return {
        key: IpsActivity(count, hours.get(key, Decimal(0)))
        for key, count in counts.active_during.items()
    }


def ips_activity(period: Period) -> IpsActivity:
    """IPS activity of the one service in scope: one query."""
    return only_service(ips_activity_by_service([period]), period, IpsActivity(0, Decimal(0)))


def supervision_clock_at(day: dt.date, suffix: str = "") -> dict:
    """Annotations of the register at the end of `day`, by subqueries on each volunteer's
    own rows: their status (`status_at_end`), and the days their supervision clock may run
    from (volunteers.rules), their latest move to active (`active_since`) and their last
    supervision (`supervised`), each name ending in `suffix`."""
    latest_change = VolunteerStatusChange.objects.filter(
        volunteer=OuterRef("pk"), status=VolunteerStatus.ACTIVE, on__lte=day
    ).order_by("-on", "-id")
    last_supervision = SupervisionSession.objects.filter(
        volunteer=OuterRef("pk"), kind=SupervisionKind.SUPERVISION, on__lte=day
    ).order_by("-on", "-id")
    return {
        f"status_at_end{suffix}": status_on(day),
        f"active_since{suffix}": Subquery(latest_change.values("on")[:1]),
        f"supervised{suffix}": Subquery(last_supervision.values("on")[:1]),
    }


@compiled_once
def pending_supervision_up_to_date(periods: Iterable[Period]) -> Pending:
    """For every service in scope and each period: the IPS active at the end of its last
    day (as pending_volunteer_counts' active_ips_at_end) whose supervision was not overdue
    on that day (volunteers.rules: their last supervision, or their latest move to active,
    on or after volunteers.rules.supervised_in_time_from of the day). One query over the
    register; each volunteer's status, last supervision and move to active at each
    period's end are read by subqueries on the volunteer's own rows."""
    periods = distinct_periods(periods)
    ips, active = VolunteerRole.IPS, VolunteerStatus.ACTIVE
    index = {period: number for number, period in enumerate(periods)}
    annotations = {}
    for period, number in index.items():
        annotations |= supervision_clock_at(period.last, f"_{number}")
    register = Volunteer.objects.filter(role=ips).annotate(**annotations)

    def aggregates(period):
        number = index[period]
        since = supervised_in_time_from(period.last)
        in_time = Q(**{f"active_since_{number}__gte": since}) | Q(
            **{f"supervised_{number}__gte": since}
        )
        return {
            "up_to_date": Count("id", filter=Q(**{f"status_at_end_{number}": active}) & in_time)
        }

    return Pending(
        [grouped(register, periods, aggregates)],
        lambda rows: {key: values["up_to_date"] for key, values in rows.items()},
    )
