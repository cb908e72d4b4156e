"""Working days in England: Monday to Friday, less the bank holidays (DOMAIN.md 3).

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
    if end <= start:
        return 0
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return count


def add_working_days(start: date, days: int) -> date:
    """The date that is `days` working days after `start` (the deadline of a standard)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
