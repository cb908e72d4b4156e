"""Approaches and response time (DOMAIN.md 4.0 "Approaches and response time").

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
kind of approach is counted in one aggregate query for every service in scope and every
period: two queries, whatever the number of approaches, services or periods.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from casework.models import Case, Contact, Enquiry
from pps.models import CalendarDay
from pps.workingdays import add_working_days
from reports.periods import Period, distinct_periods, span
from reports.queries.casework import in_period
from reports.queries.grouping import aggregate_by_service, only_service


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


def _ordinal(day):
    """The working-day ordinal of a day (an expression of the outer query, or a date)."""
    return Subquery(CalendarDay.objects.filter(day=day).values("ordinal")[:1])


def _counts(receipt: Q, days: int, today_ordinal) -> dict:
    """Within, later and overdue among the approaches received as `receipt` says, given
    the annotations `received` and `responded` (ordinals; responded NULL while unanswered)."""
    answered = Q(responded__isnull=False)
    return {
        "received": Count("pk", filter=receipt),
        "within": Count("pk", filter=receipt & answered & Q(taken__lte=days)),
        "later": Count("pk", filter=receipt & answered & Q(taken__gt=days)),
        "overdue": Count("pk", filter=receipt & Q(responded__isnull=True, waited__gt=days)),
    }


def response_times_by_service(
    periods: Iterable[Period], days: int, today: dt.date
) -> dict[tuple[int, Period], ResponseTimes]:
    """Approaches received in each period by whether they were answered within `days`
    working days (the service's response standard), as things stood on `today`, for every
    service in scope: two queries (enquiries, then cases opened without one)."""
    periods = distinct_periods(periods)
    whole = span(periods)
    # A day of receipt is a day in London, whatever time zone a request has switched on;
    # the conversion is only in what is selected, never in the filter, so the (service,
    # received_at) index finds the period's enquiries.
    zone = timezone.get_default_timezone()
    today_ordinal = _ordinal(today)
    enquiries = (
        Enquiry.objects.filter(in_period("received_at", whole))
        .alias(received_day=TruncDate("received_at", tzinfo=zone))
        .alias(
            received=_ordinal(OuterRef("received_day")),
            responded=_ordinal(OuterRef("first_response_on")),
        )
        .alias(taken=F("responded") - F("received"), waited=today_ordinal - F("received"))
    )
    # The first contact by staff: the earliest on the case's (case, at) index.
    first_staff_contact = (
        Contact.objects.filter(case=OuterRef("pk"), volunteer__isnull=True)
        .order_by("at")
        .values("at")[:1]
    )
    cases = (
        Case.objects.filter(received_on__gte=whole.first, received_on__lte=whole.last)
        .filter(~Exists(Enquiry.objects.filter(case=OuterRef("pk"))))
        .alias(first_staff_day=TruncDate(Subquery(first_staff_contact), tzinfo=zone))
        .alias(
            received=_ordinal(OuterRef("received_on")),
            responded=_ordinal(OuterRef("first_staff_day")),
        )
        .alias(taken=F("responded") - F("received"), waited=today_ordinal - F("received"))
    )
    by_enquiry = aggregate_by_service(
        enquiries, periods, lambda p: _counts(in_period("received_at", p), days, today_ordinal)
    )
    by_case = aggregate_by_service(
        cases,
        periods,
        lambda p: _counts(
            Q(received_on__gte=p.first, received_on__lte=p.last), days, today_ordinal
        ),
    )
    figures = {}
    for key in by_enquiry.keys() | by_case.keys():
        totals = {
            name: by_enquiry.get(key, {}).get(name, 0) + by_case.get(key, {}).get(name, 0)
            for name in ("received", "within", "later", "overdue")
        }
        totals["not_yet_due"] = (
            totals["received"] - totals["within"] - totals["later"] - totals["overdue"]
        )
        figures[key] = ResponseTimes(standard_days=days, **totals)
    return figures


def response_times(period: Period, days: int, today: dt.date) -> ResponseTimes:
    """Approaches of the one service in scope received in `period` (two queries)."""
    return only_service(
        response_times_by_service([period], days, today),
        period,
        ResponseTimes(days, 0, 0, 0, 0, 0),
    )
