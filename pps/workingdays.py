"""Working days in England: Monday to Friday, less the bank holidays (docs/domain.md,
"Working days and the response standard").

Bank holidays come from the maintained `holidays` package (GB, subdivision ENG), never
from a hand-written list.
"""

from datetime import date, timedelta

import holidays

_ENGLAND = holidays.country_holidays("GB", subdiv="ENG")


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _ENGLAND


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`: the day of receipt is not counted.

    An enquiry received on Friday and answered on Monday took 1 working day; received on
    the Thursday before Good Friday and answered on Easter Tuesday, also 1.
    """
    return sum(is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))


def add_working_days(start: date, days: int) -> date:
    """The date that is `days` working days after `start` (the deadline of a standard)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


# The calendar table (pps.models.CalendarDay) covers these years, refreshed at every migrate:
# records older than the first year predate any service on the product; the last reaches
# ten years ahead so that a deadline is always found.
CALENDAR_FIRST_YEAR = 2000
CALENDAR_YEARS_AHEAD = 10


def calendar_rows(first: date, last: date) -> list[tuple[date, bool, int]]:
    """(day, working, ordinal) for each day from `first` to `last`, ordinals counted from
    `first` (CalendarDay)."""
    rows, ordinal, day = [], 0, first
    while day <= last:
        working = is_working_day(day)
        ordinal += working
        rows.append((day, working, ordinal))
        day += timedelta(days=1)
    return rows


def refresh_calendar(using: str = "default") -> int:
    """Bring the calendar table in line with the bank-holiday source: every day from 1
    January of CALENDAR_FIRST_YEAR to 31 December CALENDAR_YEARS_AHEAD years from now. Only
    the days that differ are written, so a bank holiday the source adds later (a
    coronation, a jubilee) rewrites the days from it on, and a refresh that finds the table
    right (most migrates) writes nothing. Returns the number of days written."""
    from django.utils import timezone

    from pps.models import CalendarDay

    last = date(timezone.localdate().year + CALENDAR_YEARS_AHEAD, 12, 31)
    held = {
        day: (working, ordinal)
        for day, working, ordinal in CalendarDay.objects.using(using).values_list(
            "day", "working", "ordinal"
        )
    }
    days = [
        CalendarDay(day=day, working=working, ordinal=ordinal)
        for day, working, ordinal in calendar_rows(date(CALENDAR_FIRST_YEAR, 1, 1), last)
        if held.get(day) != (working, ordinal)
    ]
    if not held:
        # An empty table (a new database, or one a test has flushed): plain inserts.
        CalendarDay.objects.using(using).bulk_create(days, batch_size=5000)
    elif days:
        CalendarDay.objects.using(using).bulk_create(
            days,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["day"],
            update_fields=["working", "ordinal"],
        )
    return len(days)
