"""Volunteer figures of the reports (DOMAIN.md 4.0, 4.3; benchmarking tables E-G)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import F, Sum
from django.db.models.functions import Coalesce

from reports.periods import Period
from reports.queries.casework import service_users
from volunteers.models import MonthlyReturn, Volunteer, VolunteerRole
from volunteers.queries import active_during, active_on


def months_of(period: Period) -> list[Period]:
    months, first = [], period.first.replace(day=1)
    while first <= period.last:
        last = first + relativedelta(months=1) - dt.timedelta(days=1)
        months.append(Period(max(first, period.first), min(last, period.last), f"{first:%B %Y}"))
        first += relativedelta(months=1)
    return months


def active_ips_by_month(period: Period) -> list[tuple[Period, int]]:
    """Active IPS in each month of the period: one query a month, twelve for a year."""
    return [(month, active_during(month.first, month.last).count()) for month in months_of(period)]


def ips_hours_by_month(period: Period) -> dict[dt.date, Decimal]:
    """Casework hours from the IPS monthly returns, by month (supervision and CPD are not
    returned, so are never counted)."""
    rows = (
        MonthlyReturn.objects.filter(month__range=(period.first.replace(day=1), period.last))
        .values("month")
        .annotate(
            hours=Coalesce(
                Sum(
                    F("phone_hours")
                    + F("meeting_hours")
                    + F("paperwork_hours")
                    + F("tribunal_hours")
                ),
                Decimal(0),
            )
        )
        .order_by("month")
    )
    return {row["month"]: row["hours"] for row in rows}


@dataclass(frozen=True)
class VolunteerFigures:
    """The benchmarking figures of a financial year (seed nppn-national-benchmarking-2009)."""

    active_ips_at_end: int
    ips_newly_trained: int
    other_volunteers_at_end: int


def volunteer_figures(year: Period) -> VolunteerFigures:
    """Active IPS and other active volunteers at the year's last day (31 March), and IPS
    who completed the initial course in the year."""
    trained = Volunteer.objects.filter(
        role=VolunteerRole.IPS, initial_training_completed_on__range=(year.first, year.last)
    ).count()
    return VolunteerFigures(
        active_ips_at_end=active_on(year.last).count(),
        ips_newly_trained=trained,
        other_volunteers_at_end=active_on(year.last, VolunteerRole.OTHER).count(),
    )


def service_users_per_active_ips(year: Period) -> float | None:
    """Parent/carer service users of the financial year to IPS active at its 31 March
    (benchmarking chart 39); None for a service with no active IPS."""
    active = active_on(year.last).count()
    return round(service_users(year) / active, 1) if active else None


@dataclass(frozen=True)
class IpsActivity:
    active_ips: int
    hours: Decimal


def ips_activity(period: Period) -> IpsActivity:
    """IPS active at any time in the period, and their casework hours from monthly returns."""
    hours = MonthlyReturn.objects.filter(
        month__range=(period.first.replace(day=1), period.last)
    ).aggregate(
        total=Coalesce(
            Sum(F("phone_hours") + F("meeting_hours") + F("paperwork_hours") + F("tribunal_hours")),
            Decimal(0),
        )
    )["total"]
    return IpsActivity(active_during(period.first, period.last).count(), hours)
