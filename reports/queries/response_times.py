"""Approaches and response time (docs/domain.md, "Approaches and response time").

An approach is an enquiry, or a case opened without an enquiry (an enquiry converted into
a case is one approach). Its response time is the working days from receipt to the
service's first response, the day of receipt not counted: for an enquiry its receipt and
first response; for a case its "received on" and its first contact by staff. An approach
still unanswered counts as outside the standard once the standard's days have passed.

An answer meets a standard of N working days when at most N working days lie after the
day of receipt up to and including the day of the answer (casework.rules.response_days,
which "My work" shows). Its deadline is so the day before the (N+1)th working day: received
on a Wednesday, an answer on Saturday or Sunday took 2 working days, as did one on Friday.
An unanswered approach is overdue from the day after its deadline.

Working days are known to the database: pps.models.CalendarDay holds each day's ordinal,
the working days counted up to and including it, so the working days after a day of
receipt up to and including an answer (or today) are a subtraction of two ordinals. Each
approach is a row of one query (enquiries and cases opened without one, UNION ALL, from
the apps' scoped querysets), joined to the calendar twice; one aggregate over it counts
every service in scope and every period: one query, whatever the number of approaches,
services or periods. Periods of whole months (a dashboard's) may instead be counted by
month, each approach once in the month of its receipt, and the months summed
(pending_monthly_response_times). The join is written in SQL around the ORM's query
because the calendar is keyed by day, a relation the models do not declare.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import DateField, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from casework.models import Case, Contact, Enquiry
from pps.models import CalendarDay
from pps.workingdays import add_working_days
from reports.periods import Period, distinct_periods, span
from reports.queries.casework import in_period, whole_months
from reports.queries.grouping import Pending, compiled_once, grouped_rows, only_service


@dataclass(frozen=True)
class ResponseTimes:
    standard_days: int
    received: int
    within: int
    later: int
    overdue: int  # unanswered, and the standard's days have passed
    not_yet_due: int  # unanswered, still inside the standard

    @property
    def outside(self) -> int:
        return self.later + self.overdue

    @property
    def share_within(self) -> float | None:
        """Percentage of the approaches received in the period answered within the standard."""
        return round(100 * self.within / self.received, 1) if self.received else None


def deadline(received: dt.date, days: int) -> dt.date:
    """The last day an answer to an approach received on `received` meets a standard of
    `days` working days: the day before the next working day after those `days`."""
    return add_working_days(received, days + 1) - dt.timedelta(days=1)


def _approaches(whole: Period, days: int | None):
    """Every approach received in the span: (service, day of receipt, day of the first
    response or None, the standard in working days, month of receipt), as one UNION ALL
    query of the scoped querysets."""
    # A day of receipt is a day in London, whatever time zone a request has switched on;
    # the conversion is only in what is selected, never in the filter, so the (service,
    # received_at) index finds the period's enquiries.
    zone = timezone.get_default_timezone()
    if days is None:
        standard = F("service__response_standard_days")
    else:
        standard = Value(days, output_field=IntegerField())
    columns = ("approach_service", "received_day", "responded_day", "standard_days", "month")
    enquiries = (
        Enquiry.objects.filter(in_period("received_at", whole))
        .annotate(
            approach_service=F("service_id"),
            received_day=TruncDate("received_at", tzinfo=zone),
            responded_day=F("first_response_on"),
            standard_days=standard,
            month=TruncMonth("received_at", tzinfo=zone, output_field=DateField()),
        )
        .values_list(*columns)
    )
    # A case opened without an enquiry, and its first contact by staff: the earliest on
    # the case's (case, at) index, one row read per case.
    first_staff_contact = (
        Contact.objects.filter(case=OuterRef("pk"), volunteer__isnull=True)
        .order_by("at")
        .values("at")[:1]
    )
    cases = (
        Case.objects.filter(received_on__gte=whole.first, received_on__lte=whole.last)
        # Through the scoped case's own enquiries (a join on the enquiries' case index),
        # not a second scoped query per case: the scope's service filter inside that one
        # made the planner misjudge its cost and start parallel workers (2-6 ms).
        .filter(enquiries__isnull=True)
        .annotate(
            approach_service=F("service_id"),
            received_day=F("received_on"),
            responded_day=TruncDate(Subquery(first_staff_contact), tzinfo=zone),
            standard_days=standard,
            month=TruncMonth("received_on", output_field=DateField()),
        )
        .values_list(*columns)
    )
    return enquiries.order_by().union(cases.order_by(), all=True)


def response_times_by_service(
    periods: Iterable[Period], days: int | None, today: dt.date
) -> dict[tuple[int, Period], ResponseTimes]:
    """pending_response_times, run now: one query."""
    return pending_response_times(periods, days, today).run()


# How each approach counts, as SQL over the approach `a` joined to the calendar on its day
# of receipt (`r`) and of answer (`d`, `_joins`): working days taken are a subtraction of
# ordinals. Both ways of counting below (a conditional count per period, a sum of months)
# count with these.
_TAKEN = "d.ordinal - r.ordinal"
_ANSWERED = "a.responded_day IS NOT NULL"
_COUNTED = ("received", "within", "later", "overdue")


def _calendar() -> str:
    return connection.ops.quote_name(CalendarDay._meta.db_table)


def _joins(whole: Period) -> tuple[str, list]:
    """The calendar joined on the days of receipt and of answer (SQL, its parameters).

    Only the span's part of the calendar is read, so the join costs what the period holds,
    not the calendar's decades: every day of receipt is in the span, and an answer is
    looked up on its day, or on the day of receipt when it was recorded before it (0
    working days, within as its negative count was), so on a day from the span's start.
    """
    answered_on = (
        "CASE WHEN a.responded_day < a.received_day THEN a.received_day ELSE a.responded_day END"
    )
    return (
        f"LEFT JOIN {_calendar()} r ON r.day = a.received_day AND r.day BETWEEN %s AND %s"
        f" LEFT JOIN {_calendar()} d ON d.day = {answered_on} AND d.day >= %s",
        [whole.first, whole.last, whole.first],
    )


def _counts(receipt: str, receipt_params: list, today: dt.date) -> dict[str, tuple[str, list]]:
    """The approaches counted among those `receipt` selects (SQL, its parameters)."""
    today_ordinal = f"(SELECT ordinal FROM {_calendar()} WHERE day = %s)"  # noqa: S608
    return {
        "received": (f"COUNT(*) FILTER (WHERE {receipt})", receipt_params),
        "within": (
            f"COUNT(*) FILTER (WHERE {receipt} AND {_ANSWERED} AND {_TAKEN} <= a.standard_days)",
            receipt_params,
        ),
        "later": (
            f"COUNT(*) FILTER (WHERE {receipt} AND {_ANSWERED} AND {_TAKEN} > a.standard_days)",
            receipt_params,
        ),
        "overdue": (
            f"COUNT(*) FILTER (WHERE {receipt} AND a.responded_day IS NULL"
            f" AND {today_ordinal} - r.ordinal > a.standard_days)",
            [*receipt_params, today],
        ),
    }


def _response_times(rows: dict, days: int | None) -> dict[tuple[int, Period], ResponseTimes]:
    return {
        key: ResponseTimes(
            standard_days=days if days is not None else values["standard"],
            received=values["received"],
            within=values["within"],
            later=values["later"],
            overdue=values["overdue"],
            not_yet_due=values["received"] - values["within"] - values["later"] - values["overdue"],
        )
        for key, values in rows.items()
    }


@compiled_once
def pending_response_times(periods: Iterable[Period], days: int | None, today: dt.date) -> Pending:
    """Approaches received in each period by whether they were answered within `days`
    working days, as things stood on `today`, for every service in scope: one query. With
    `days` None, each service's own response standard (Service.response_standard_days),
    as the network report needs."""
    periods = distinct_periods(periods)

    def aggregates(period):
        counts = _counts("a.received_day BETWEEN %s AND %s", [period.first, period.last], today)
        return {"standard": ("MAX(a.standard_days)", []), **counts}

    joins, joins_params = _joins(span(periods))
    rows = grouped_rows(
        _approaches(span(periods), days),
        periods,
        aggregates,
        joins=joins,
        joins_params=joins_params,
        service="approach_service",
    )
    return Pending([rows], lambda rows: _response_times(rows, days))


@compiled_once
def pending_monthly_response_times(
    periods: Iterable[Period], days: int | None, today: dt.date
) -> Pending:
    """pending_response_times of periods made of whole months (a dashboard's period and
    its eight quarters), the same figures read more cheaply: each approach is counted once,
    in the month of its receipt (a GROUP BY service and month), and each period sums its
    months' rows, instead of every approach meeting one condition per figure and period."""
    periods = distinct_periods(periods)
    if not all(whole_months(period) for period in periods):
        raise ValueError("Whole months only: use pending_response_times.")
    whole = span(periods)
    approaches, params = _approaches(whole, days).query.sql_with_params()
    joins, joins_params = _joins(whole)
    counts = _counts("TRUE", [], today)
    by_month = (
        "SELECT a.approach_service AS month_service, a.month AS month,"  # noqa: S608
        " MAX(a.standard_days) AS standard, "
        + ", ".join(f"{sql} AS {name}" for name, (sql, _) in counts.items())
        + f" FROM ({approaches}) a {joins} GROUP BY a.approach_service, a.month"
    )
    by_month_params = [*(p for _, (_, ps) in counts.items() for p in ps), *params, *joins_params]

    def sums(period):
        # A month belongs to the period when its first day is in it (whole months).
        within = "FILTER (WHERE a.month >= %s AND a.month <= %s)"
        bounds = [period.first, period.last]
        return {
            # As pending_response_times: the standard of the service's approaches read.
            "standard": ("MAX(a.standard)", []),
            **{name: (f"CAST(SUM(a.{name}) {within} AS bigint)", bounds) for name in _COUNTED},
        }

    rows = grouped_rows((by_month, by_month_params), periods, sums, service="month_service")
    return Pending([rows], lambda rows: _response_times(rows, days))


def response_times(period: Period, days: int, today: dt.date) -> ResponseTimes:
    """Approaches of the one service in scope received in `period`: one query."""
    return only_service(
        response_times_by_service([period], days, today),
        period,
        ResponseTimes(days, 0, 0, 0, 0, 0),
    )
