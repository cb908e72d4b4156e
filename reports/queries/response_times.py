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

Working days come from pps.workingdays (bank holidays in England), which the database
does not know. Rather than fetch every approach, the deadline of each possible day of
receipt in the period is worked out in Python (at most 366 days, no query) and handed to
the database as one CASE expression over ranges of receipt days that share a deadline;
the database then counts within, later, overdue and not yet due in one aggregate query
per kind of approach: two queries, whatever the number of approaches.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from casework.models import Case, Contact, Enquiry
from pps.workingdays import add_working_days
from reports.periods import Period


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


def _deadline_expression(field: str, period: Period, days: int):
    """CASE mapping a receipt day in `field` to the last day that meets the standard."""
    whens, start, day = [], period.first, period.first
    last_day = deadline(start, days)
    while day <= period.last:
        following = day + dt.timedelta(days=1)
        next_deadline = deadline(following, days) if following <= period.last else None
        if next_deadline != last_day:
            whens.append(When(**{f"{field}__range": (start, day)}, then=Value(last_day)))
            start, last_day = following, next_deadline
        day = following
    return models.Case(*whens, default=Value(None), output_field=DateField())


def _count(queryset, period: Period, days: int, today: dt.date) -> dict:
    rows = queryset.annotate(deadline=_deadline_expression("received", period, days)).aggregate(
        received=Count("pk"),
        within=Count("pk", filter=Q(responded__isnull=False, responded__lte=F("deadline"))),
        later=Count("pk", filter=Q(responded__isnull=False, responded__gt=F("deadline"))),
        overdue=Count("pk", filter=Q(responded__isnull=True, deadline__lt=today)),
    )
    rows["not_yet_due"] = rows["received"] - rows["within"] - rows["later"] - rows["overdue"]
    return rows


def response_times(period: Period, days: int, today: dt.date) -> ResponseTimes:
    """Approaches received in `period` by whether they were answered within `days` working
    days (the service's response standard), as things stood on `today`."""
    # A day of receipt is a day in London, whatever time zone a request has switched on.
    zone = timezone.get_default_timezone()
    enquiries = (
        Enquiry.objects.annotate(received=TruncDate("received_at", tzinfo=zone))
        .filter(received__range=(period.first, period.last))
        .annotate(responded=F("first_response_on"))
    )
    first_staff_contact = (
        Contact.objects.filter(case=OuterRef("pk"), volunteer__isnull=True)
        .annotate(day=TruncDate("at", tzinfo=zone))
        .values("case")
        .annotate(first=Min("day"))
        .values("first")[:1]
    )
    cases = (
        Case.objects.filter(received_on__range=(period.first, period.last))
        .filter(~Exists(Enquiry.objects.filter(case=OuterRef("pk"))))
        .annotate(received=F("received_on"), responded=Subquery(first_staff_contact))
    )
    totals = {"received": 0, "within": 0, "later": 0, "overdue": 0, "not_yet_due": 0}
    for queryset in (enquiries, cases):
        for name, count in _count(queryset, period, days, today).items():
            totals[name] += count
    return ResponseTimes(standard_days=days, **totals)
