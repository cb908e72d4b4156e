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
services or periods. The join is written in SQL around the ORM's query because the
calendar is keyed by day, a relation the models do not declare.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from casework.models import Case, Contact, Enquiry
from pps.figures import percent
from pps.models import CalendarDay
from pps.workingdays import add_working_days
from reports.periods import Period, distinct_periods, span
from reports.queries.casework import in_period
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
        return percent(self.within, self.received)


def deadline(received: dt.date, days: int) -> dt.date:
    """The last day an answer to an approach received on `received` meets a standard of
    `days` working days: the day before the next working day after those `days`."""
    return add_working_days(received, days + 1) - dt.timedelta(days=1)


def _approaches(whole: Period, days: int | None):
    """Every approach received in the span: (service, day of receipt, day of the first
    response or None, the standard in working days), as one UNION ALL query of the
    scoped querysets."""
    # A day of receipt is a day in London, whatever time zone a request has switched on;
    # the conversion is only in what is selected, never in the filter, so the (service,
    # received_at) index finds the period's enquiries.
    zone = timezone.get_default_timezone()
    if days is None:
        standard = F("service__response_standard_days")
    else:
        standard = Value(days, output_field=IntegerField())
    columns = ("approach_service", "received_day", "responded_day", "standard_days")
    enquiries = (
        Enquiry.objects.filter(in_period("received_at", whole))
        .annotate(
            approach_service=F("service_id"),
            received_day=TruncDate("received_at", tzinfo=zone),
            responded_day=F("first_response_on"),
            standard_days=standard,
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
        )
        .values_list(*columns)
    )
    return enquiries.order_by().union(cases.order_by(), all=True)


def response_times_by_service(
    periods: Iterable[Period], days: int | None, today: dt.date
) -> dict[tuple[int, Period], ResponseTimes]:
    """pending_response_times, run now: one query."""
    return pending_response_times(periods, days, today).run()


@compiled_once
def pending_response_times(periods: Iterable[Period], days: int | None, today: dt.date) -> Pending:
    """Approaches received in each period by whether they were answered within `days`
    working days, as things stood on `today`, for every service in scope: one query. With
    `days` None, each service's own response standard (Service.response_standard_days),
    as the network report needs."""
    periods = distinct_periods(periods)
    calendar = connection.ops.quote_name(CalendarDay._meta.db_table)
    taken = "d.ordinal - r.ordinal"
    today_ordinal = f"(SELECT ordinal FROM {calendar} WHERE day = %s)"  # noqa: S608

    def aggregates(period):
        receipt = "a.received_day BETWEEN %s AND %s"
        answered = f"{receipt} AND a.responded_day IS NOT NULL"
        bounds = [period.first, period.last]
        return {
            "standard": ("MAX(a.standard_days)", []),
            "received": (f"COUNT(*) FILTER (WHERE {receipt})", bounds),
            "within": (
                f"COUNT(*) FILTER (WHERE {answered} AND {taken} <= a.standard_days)",
                bounds,
            ),
            "later": (f"COUNT(*) FILTER (WHERE {answered} AND {taken} > a.standard_days)", bounds),
            "overdue": (
                f"COUNT(*) FILTER (WHERE {receipt} AND a.responded_day IS NULL"
                f" AND {today_ordinal} - r.ordinal > a.standard_days)",
                [*bounds, today],
            ),
        }

    whole = span(periods)
    rows = grouped_rows(
        _approaches(whole, days),
        periods,
        aggregates,
        # Every approach was received within the span: saying so on the join lets the
        # database hash those days of the calendar, not all of its years (a quarter of
        # a dashboard's response-time query). The day of an answer has no such bound.
        joins=f"LEFT JOIN {calendar} r ON r.day = a.received_day AND r.day BETWEEN %s AND %s"
        f" LEFT JOIN {calendar} d ON d.day = a.responded_day",
        joins_params=[whole.first, whole.last],
        service="approach_service",
    )

    def figures(rows):
        return {
            key: ResponseTimes(
                standard_days=days if days is not None else values["standard"],
                received=values["received"],
                within=values["within"],
                later=values["later"],
                overdue=values["overdue"],
                not_yet_due=values["received"]
                - values["within"]
                - values["later"]
                - values["overdue"],
            )
            for key, values in rows.items()
        }

    return Pending([rows], figures)


def response_times(period: Period, days: int, today: dt.date) -> ResponseTimes:
    """Approaches of the one service in scope received in `period`: one query."""
    return only_service(
        response_times_by_service([period], days, today),
        period,
        ResponseTimes(days, 0, 0, 0, 0, 0),
    )
