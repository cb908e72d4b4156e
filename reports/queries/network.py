"""The network report's figures of a financial year for every service in scope, read two
ways: from the per-service monthly summaries (reports.models.NetworkSummary), which is
what the page reads, and from the records themselves, which is what the summaries are
built from and checked against (docs/decisions/0020-network-summaries.md).

Both ways count with the report functions every other report uses (reports.queries.
casework, response_times, volunteers), so a summary cannot count by a rule of its own.
"""

import datetime as dt
from dataclasses import dataclass, fields

from django.db.models import Count, Q, Sum

from reports.models import NetworkSummary
from reports.periods import Period
from reports.queries.casework import pending_contacts_and_users
from reports.queries.grouping import together
from reports.queries.response_times import pending_response_times
from reports.queries.volunteers import months_of, pending_volunteer_counts

# The benchmarking return asks for the share of enquiries answered within 2 working days,
# whatever standard a service sets itself, so that the services compare on one footing.
NETWORK_STANDARD_DAYS = 2


@dataclass(frozen=True)
class NetworkFigures:
    """One service's figures of a financial year, as the network report compares them."""

    contacts: int
    service_users: int
    approaches: int
    answered_within_2_days: int
    answered_later: int
    active_ips_at_end: int
    ips_newly_trained: int

    @property
    def not_answered(self) -> int:
        return self.approaches - self.answered_within_2_days - self.answered_later


FIGURES = tuple(field.name for field in fields(NetworkFigures))
# The summary columns that add up over the months of a year; active IPS is a snapshot.
SUMMED = tuple(name for name in FIGURES if name not in ("service_users", "active_ips_at_end"))
NO_FIGURES = NetworkFigures(**dict.fromkeys(FIGURES, 0))


def _year_to_date(month: Period, year: Period) -> Period:
    return Period(year.first, month.last, f"{year.label} to {month.label}")


def _pending(months, to_date, year_end: dt.date):
    """The report functions' queries behind every column, for `months` (and the service
    users of each of `to_date`): one round trip. `year_end` is only the date response
    times call today; the figures kept here do not depend on it."""
    return together(
        pending_contacts_and_users(months, to_date),
        pending_response_times(months, NETWORK_STANDARD_DAYS, year_end),
        pending_volunteer_counts(years=months),
    )


def monthly_figures_from_records(year: Period) -> dict[tuple[int, dt.date], dict]:
    """Each month's summary columns ({(service id, first day of the month): {column:
    value}}) for every service in scope, counted from the records in one query.

    The year's distinct service users are made a sum: the service users of the year up to
    the end of a month, less those up to the end of the month before, are the cases whose
    first contact of the financial year fell in that month."""
    months = months_of(year)
    to_date = [_year_to_date(month, year) for month in months]
    (contacts, users), responses, volunteers = _pending(months, to_date, year.last)
    services = {service for service, _ in contacts}
    rows = {}
    for service in services:
        before = 0
        for month, so_far in zip(months, to_date, strict=True):
            answered = responses[service, month]
            counted = volunteers.figures[service, month]
            users_so_far = users[service, so_far]
            rows[service, month.first] = {
                "contacts": contacts[service, month].contacts,
                "service_users_first_seen": users_so_far - before,
                "approaches": answered.received,
                "answered_within_2_days": answered.within,
                "answered_later": answered.later,
                "active_ips_at_end": counted.active_ips_at_end,
                "ips_newly_trained": counted.ips_newly_trained,
            }
            before = users_so_far
    return rows


def year_figures_from_records(year: Period) -> dict[int, NetworkFigures]:
    """The year's figures of every service in scope counted from the records (what the
    summaries must add up to): one query."""
    (contacts, users), responses, volunteers = _pending([year], [year], year.last)
    figures = {}
    for service, _ in contacts:
        answered = responses[service, year]
        counted = volunteers.figures[service, year]
        figures[service] = NetworkFigures(
            contacts=contacts[service, year].contacts,
            service_users=users[service, year],
            approaches=answered.received,
            answered_within_2_days=answered.within,
            answered_later=answered.later,
            active_ips_at_end=counted.active_ips_at_end,
            ips_newly_trained=counted.ips_newly_trained,
        )
    return figures


def year_figures_from_summaries(year: Period) -> tuple[dict[int, NetworkFigures], set[int]]:
    """The year's figures of every service in scope summed from its monthly summaries, and
    the services whose year is summarised in full (twelve rows): one query. A service
    without all twelve is left out of the figures; reports.network builds its year."""
    last_month = year.last.replace(day=1)
    rows = (
        NetworkSummary.objects.filter(month__gte=year.first, month__lte=year.last)
        .order_by()
        .values("service")
        .annotate(
            months=Count("id"),
            service_users=Sum("service_users_first_seen"),
            active_ips_at_end=Sum("active_ips_at_end", filter=Q(month=last_month)),
            **{name: Sum(name) for name in SUMMED},
        )
    )
    figures, complete = {}, set()
    for row in rows:
        if row["months"] != len(months_of(year)):
            continue
        complete.add(row["service"])
        figures[row["service"]] = NetworkFigures(**{name: row[name] or 0 for name in FIGURES})
    return figures, complete
