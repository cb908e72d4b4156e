"""The network report's figures of a financial year for every service in scope, read two
ways: from the per-service monthly summaries (reports.models.NetworkSummary), which is
what the page reads, and from the records themselves, which is what the summaries are
built from and checked against (docs/decisions/0020-network-summaries.md).

Both ways count with the report functions every other report uses (reports.queries.
casework, response_times, volunteers), so a summary cannot count by a rule of its own.
"""

import datetime as dt
from dataclasses import dataclass, fields

from django.db.models import Count, F, Min, Q, Sum

from casework.models import Contact
from reports.models import NetworkSummary
from reports.periods import Period
from reports.queries.casework import in_period, pending_contacts_and_users
from reports.queries.grouping import Pending, compiled_once, grouped_rows, together
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


@compiled_once
def pending_first_contacts(year: Period) -> Pending:
    """For every service in scope, each month of the year: the cases whose first contact
    of the year (by staff or volunteer) fell in it. Summed over the year's months, the
    year's service users (docs/domain.md, "Service users"), as pending_service_users counts
    them; tests/reports/test_network_summaries.py and tests/bench/test_network.py check
    that the two agree. One query: each case's first contact of the year, then a count a
    month."""
    months = tuple(months_of(year))
    first = (
        Contact.objects.filter(in_period("at", year))
        .order_by()
        .values(row_service=F("service_id"), row_case=F("case_id"))
        .annotate(first_at=Min("at"))
    )
    rows = grouped_rows(
        first,
        months,
        lambda month: {
            "first_seen": (
                "COUNT(*) FILTER (WHERE a.first_at >= %s AND a.first_at < %s)",
                [month.starts_at, month.ends_before],
            )
        },
    )
    return Pending([rows], lambda rows: {key: v["first_seen"] for key, v in rows.items()})


def _counted(contacts, answered, volunteers) -> dict[str, int]:
    """The figures of one service and period read from the report functions' results
    (contact figures, response times, volunteer figures), under NetworkFigures' names:
    what both ways of counting from the records share (service users apart)."""
    return {
        "contacts": contacts.contacts,
        "approaches": answered.received,
        "answered_within_2_days": answered.within,
        "answered_later": answered.later,
        "active_ips_at_end": volunteers.active_ips_at_end,
        "ips_newly_trained": volunteers.ips_newly_trained,
    }


def monthly_figures_from_records(year: Period) -> dict[tuple[int, dt.date], dict]:
    """Each month's summary columns ({(service id, first day of the month): {column:
    value}}) for every service in scope, counted from the records by the report functions
    in one round trip (`year.last` is only the date response times call today: the
    figures kept here do not depend on it).

    The year's distinct service users are made a sum: a case counts in the month of its
    first contact of the financial year (pending_first_contacts)."""
    months = months_of(year)
    contacts, first_seen, responses, volunteers = together(
        pending_contacts_and_users(months, ()).then(lambda both: both[0]),
        pending_first_contacts(year),
        pending_response_times(months, NETWORK_STANDARD_DAYS, year.last),
        pending_volunteer_counts(years=months),
    )
    services = {service for service, _ in contacts}
    rows = {}
    for service in services:
        for month in months:
            key = (service, month)
            rows[service, month.first] = {
                **_counted(contacts[key], responses[key], volunteers.figures[key]),
                "service_users_first_seen": first_seen[key],
            }
    return rows


def year_figures_from_records(year: Period) -> dict[int, NetworkFigures]:
    """The year's figures of every service in scope counted from the records (what the
    summaries must add up to): one query."""
    (contacts, users), responses, volunteers = together(
        pending_contacts_and_users([year], [year]),
        pending_response_times([year], NETWORK_STANDARD_DAYS, year.last),
        pending_volunteer_counts(years=[year]),
    )
    figures = {}
    for key in contacts:
        figures[key[0]] = NetworkFigures(
            service_users=users[key],
            **_counted(contacts[key], responses[key], volunteers.figures[key]),
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
