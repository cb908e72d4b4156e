"""Casework figures of a period, counted in the database by the rules of docs/domain.md,
"Counting rules".

Each `*_by_service` function counts every service in scope and every period given in one
query (reports.queries.grouping); the function named after the figure is its thin wrapper
for the one service and period a page shows.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Aggregate, Count, DateField, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from casework.enums import CaseEventKind
from casework.models import CaseEvent, Contact, Enquiry
from pps.figures import one_decimal
from reports.periods import Period, distinct_periods, span
from reports.queries.grouping import Pending, compiled_once, grouped, grouped_rows, only_service

_OPENING = [CaseEventKind.OPENED, CaseEventKind.REOPENED]


@dataclass(frozen=True)
class CaseMovements:
    brought_forward: int
    new: int
    reopened: int
    closed: int
    carried_forward: int
    casework_total: int

    def balances(self) -> bool:
        """Brought forward + new + re-opened - closed = carried forward, always."""
        return self.brought_forward + self.new + self.reopened - self.closed == (
            self.carried_forward
        )


def _movement_aggregates(period: Period) -> dict:
    """Each figure of one period, as SQL over the rows of `_movement_rows` (the derived
    table `a`). A case is open at the end of day D when it has an opening (or re-opening)
    on or before D not ended (CaseEvent.ended_on) on or before D."""
    opening = "a.event_kind IN (%s, %s)"
    kinds = list(_OPENING)

    def open_at_end_of(day):
        return (
            f"COUNT(*) FILTER (WHERE {opening} AND a.event_on <= %s"
            " AND (a.event_end IS NULL OR a.event_end > %s))",
            [*kinds, day, day],
        )

    def during(kind):
        return (
            "COUNT(*) FILTER (WHERE a.event_kind = %s AND a.event_on BETWEEN %s AND %s)",
            [kind, period.first, period.last],
        )

    return {
        "brought_forward": open_at_end_of(period.day_before),
        "new": during(CaseEventKind.OPENED),
        "reopened": during(CaseEventKind.REOPENED),
        "closed": during(CaseEventKind.CLOSED),
        "carried_forward": open_at_end_of(period.last),
        # An opening overlaps the period when it began by its last day and did not end
        # before its first: the case was open at the start or had an event in it. A case
        # re-opened within the period has two openings overlapping it: count cases.
        "casework_total": (
            f"COUNT(DISTINCT a.event_case) FILTER (WHERE {opening} AND a.event_on <= %s"
            " AND (a.event_end IS NULL OR a.event_end >= %s))",
            [*kinds, period.last, period.first],
        ),
    }


def opening_overlaps(period: Period, prefix: str = "") -> Q:
    """The openings (and re-openings) of cases open during the period, as a filter on
    CaseEvent rows (`prefix` to reach them from another model): begun by its last day and
    not ended before its first. It says what the casework total of `_movement_aggregates`
    says in SQL; tests/reports/test_annual_figures.py checks that the two agree."""
    return Q(
        **{f"{prefix}kind__in": _OPENING, f"{prefix}on__lte": period.last},
    ) & (Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": period.first}))


def _movement_rows(whole: Period):
    """The events of the span, and the openings before it still open at its start: two
    index ranges, each answered by its covering index alone (UNION ALL of the scoped
    querysets), whatever the service's history."""
    columns = ("row_service", "event_case", "event_kind", "event_on", "event_end")

    def rows(events):
        return (
            events.annotate(
                row_service=F("service_id"),
                event_case=F("case_id"),
                event_kind=F("kind"),
                event_on=F("on"),
                event_end=F("ended_on"),
            )
            .order_by()
            .values_list(*columns)
        )

    during = CaseEvent.objects.filter(on__gte=whole.first, on__lte=whole.last)
    still_open = CaseEvent.objects.filter(
        Q(kind__in=_OPENING, on__lt=whole.first)
        & (Q(ended_on__isnull=True) | Q(ended_on__gte=whole.first))
    )
    return rows(during).union(rows(still_open), all=True)


def case_movements_by_service(
    periods: Iterable[Period],
) -> dict[tuple[int, Period], CaseMovements]:
    """Case movements of every service in scope for each period: one query."""
    return pending_case_movements(periods).run()


@compiled_once
def pending_case_movements(periods: Iterable[Period]) -> Pending:
    """Case movements and the casework total (docs/domain.md, "Open cases and case movements") of
    every service in scope for each period, in one query over the events of the periods' span and
    the openings still open at its start.

    Brought forward is open at the end of the day before the period, carried forward open
    at the end of its last day; the casework total counts the cases open at its start or
    with an event in it."""
    periods = distinct_periods(periods)
    return Pending(
        [grouped_rows(_movement_rows(span(periods)), periods, _movement_aggregates)],
        lambda rows: {key: CaseMovements(**values) for key, values in rows.items()},
    )


def case_movements(period: Period) -> CaseMovements:
    """Case movements of the one service in scope: one query."""
    return only_service(
        case_movements_by_service([period]), period, CaseMovements(0, 0, 0, 0, 0, 0)
    )


def in_period(field: str, period: Period) -> Q:
    """A timestamp filter for the period's days in the service's time zone (Europe/London):
    from midnight at the start of its first day to midnight at the end of its last, so that
    a contact at 23:59 on 31 March is in March and one at 00:00 on 1 April is in April, in
    summer time as in winter. Filtering the timestamp itself also lets the database use its
    (service, timestamp) index instead of converting every row's time zone."""
    return Q(**{f"{field}__gte": period.starts_at, f"{field}__lt": period.ends_before})


@dataclass(frozen=True)
class ContactFigures:
    casework_contacts: int
    substantial_enquiries: int
    office_hours: float

    @property
    def contacts(self) -> int:
        """Contacts of a period: casework contacts plus substantial enquiries (4.0)."""
        return self.casework_contacts + self.substantial_enquiries


def office_hours(staff_minutes: int) -> float:
    """Staff minutes as hours to one decimal, a half rounded up (4.0 "office hours"):
    24,615 minutes are 410.25 hours, shown as 410.3."""
    return one_decimal(Decimal(staff_minutes) / 60)


def contact_figures_by_service(
    periods: Iterable[Period],
) -> dict[tuple[int, Period], ContactFigures]:
    """Contacts and office hours of every service in scope for each period: one query."""
    return pending_contact_figures(periods).run()


# Contact figures (docs/domain.md, "Counting rules"): the contacts on cases, the staff
# minutes among them (a volunteer's minutes are not office hours) and the substantial
# enquiries. Both ways of reading them, a conditional count per period and a sum of
# months, count with these definitions.
_BY_STAFF = Q(volunteer__isnull=True)


def _contact_aggregates(during: Q | None) -> dict[str, Aggregate]:
    """The contacts' count and staff minutes, of the contacts read that `during` selects
    (all of them when None). Of a column of the covering index (not the id): the index
    answers alone."""
    return {
        "count": Count("service", filter=during),
        "staff_minutes": Sum("minutes", filter=_BY_STAFF & during if during else _BY_STAFF),
    }


def _substantial_enquiries(whole: Period) -> QuerySet:
    return Enquiry.objects.filter(in_period("received_at", whole), substantial=True)


def _enquiry_aggregates(during: Q | None) -> dict[str, Aggregate]:
    return {"count": Count("service", filter=during)}


def _contact_figures(contacts: dict, substantial: dict, periods) -> dict:
    """ContactFigures of each (service, period) of `periods` from the grouped aggregates of
    `_contact_aggregates` and `_enquiry_aggregates`."""
    return {
        key: ContactFigures(
            casework_contacts=values["count"],
            substantial_enquiries=substantial.get(key, {}).get("count", 0),
            office_hours=office_hours(values["staff_minutes"]),
        )
        for key, values in contacts.items()
        if key[1] in periods
    }


def pending_contact_figures(periods: Iterable[Period]) -> Pending:
    """Contacts and office hours (staff minutes on cases / 60) of every service in scope
    for each period: the contacts and the substantial enquiries, each grouped by service,
    in one round trip."""
    return pending_contacts_and_users(periods, ()).then(lambda both: both[0])


@compiled_once
def pending_contacts_and_users(periods: Iterable[Period], users_in: Iterable[Period]) -> Pending:
    """Contact figures of each of `periods` and the service users of each of `users_in`
    (as pending_service_users), reading the contacts once: a page that shows both (the
    overview: three academic years of contacts, the users of the financial year) reads
    its contacts once. The result is the pair (contact figures, service users)."""
    periods = distinct_periods(periods)
    users_in = tuple(dict.fromkeys(users_in))

    def contact_aggregates(period):
        aggregates = {}
        if period in periods:
            aggregates.update(_contact_aggregates(in_period("at", period)))
        if period in users_in:
            aggregates["users"] = service_users_count(period)
        return aggregates

    read = distinct_periods(periods + users_in)
    contacts = grouped(
        Contact.objects.filter(in_period("at", span(read))), read, contact_aggregates
    )
    substantial = grouped(
        _substantial_enquiries(span(periods)),
        periods,
        lambda period: _enquiry_aggregates(in_period("received_at", period)),
    )

    def figures(contacts, substantial):
        return (
            _contact_figures(contacts, substantial, periods),
            {key: values["users"] for key, values in contacts.items() if key[1] in users_in},
        )

    return Pending([contacts, substantial], figures)


def whole_months(period: Period) -> bool:
    """Whether the period begins on the first of a month and ends on the last of one."""
    return period.first.day == 1 and (period.last + dt.timedelta(days=1)).day == 1


@compiled_once
def pending_monthly_contact_figures(periods: Iterable[Period]) -> Pending:
    """pending_contact_figures of periods made of whole months (the annual report's 36
    months and their three years), the same figures in the same shape, read more cheaply
    when they are many: each contact and substantial enquiry is counted once, in its month
    in the service's time zone (a GROUP BY service and month over the periods' span, still
    read as a range of the timestamp), and each period then sums its months' rows (a few
    dozen), instead of every row meeting one condition per figure and period."""
    periods = distinct_periods(periods)
    if not all(whole_months(period) for period in periods):
        raise ValueError("Whole months only: use pending_contact_figures.")
    whole = span(periods)

    def by_month(queryset: QuerySet, field: str, aggregates: dict):
        # The month of the timestamp in Europe/London, whatever time zone is active: a
        # contact at 23:30 on 31 March in summer time (22:30 in UTC) is March's.
        in_month = TruncMonth(
            field, tzinfo=timezone.get_default_timezone(), output_field=DateField()
        )
        rows = (
            queryset.order_by()
            .values(row_service=F("service"), month=in_month)
            .annotate(**aggregates)
        )

        def sums(period: Period) -> dict[str, tuple[str, list]]:
            # A month belongs to the period when its first day is in it (whole months).
            return {
                name: (
                    f"CAST(SUM(a.{connection.ops.quote_name(name)})"
                    " FILTER (WHERE a.month >= %s AND a.month <= %s) AS bigint)",
                    [period.first, period.last],
                )
                for name in aggregates
            }

        return grouped_rows(rows, periods, sums)

    contacts = by_month(
        Contact.objects.filter(in_period("at", whole)), "at", _contact_aggregates(None)
    )
    substantial = by_month(_substantial_enquiries(whole), "received_at", _enquiry_aggregates(None))
    return Pending(
        [contacts, substantial],
        lambda contacts, substantial: _contact_figures(contacts, substantial, periods),
    )


def contact_figures(period: Period) -> ContactFigures:
    """Contacts and office hours of the one service in scope: one query."""
    return only_service(contact_figures_by_service([period]), period, ContactFigures(0, 0, 0.0))


def service_users_count(period: Period, among: Q | None = None) -> Aggregate:
    """The service users rule as an aggregate over contacts (docs/domain.md, "Service
    users"; docs/reporting.md, "The benchmarking return"): the distinct cases with a contact,
    by staff or volunteer, in the period; with `among`, only the cases it matches (a filter
    on the contact's case, e.g. Q(case__official_exclusion=...)). Written once: every
    count of service users is this one."""
    during = in_period("at", period)
    return Count("case", distinct=True, filter=during if among is None else during & among)


def service_users_by_service(periods: Iterable[Period]) -> dict[tuple[int, Period], int]:
    """Parent/carer service users of every service in scope for each period: one query."""
    return pending_service_users(periods).run()


@compiled_once
def pending_service_users(periods: Iterable[Period]) -> Pending:
    """Parent/carer service users (docs/domain.md, "Service users") of every service in scope for
    each period: cases with at least one contact, by staff or volunteer, in the period, counted
    among the period's contacts. Enquiries and professionals are never service users."""
    periods = distinct_periods(periods)
    rows = grouped(
        Contact.objects.filter(in_period("at", span(periods))),
        periods,
        lambda period: {"users": service_users_count(period)},
    )
    return Pending([rows], lambda rows: {key: values["users"] for key, values in rows.items()})


def service_users(period: Period) -> int:
    """Service users of the one service in scope: one query."""
    return only_service(service_users_by_service([period]), period, 0)
