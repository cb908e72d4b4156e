"""Date rules of casework (docs/domain.md, "Time"), shared by "My work", the reports and their
tests.

"Due N months after" means: due on the day `last + N calendar months`, where a day that
does not exist in the later month falls back to that month's last day (31 January plus
one month is 28 February). The cut-offs below turn that into a single date comparison the
database can make: a record is due today exactly when its date is on or before the cut-off.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from pps.workingdays import working_days_between

CLOSURE_MONTHS = 3
EVALUATION_MONTHS = 1


def _due_on(last: date, months: int) -> date:
    return last + relativedelta(months=months)


def _cutoff(today: date, months: int) -> date:
    """The latest `last` with `_due_on(last, months) <= today`."""
    if (today + timedelta(days=1)).day == 1:
        # At a month's end every later day of the earlier month is due too
        # (on 28 February, 29, 30 and 31 January are all due a month on).
        return today + relativedelta(months=-months, day=31)
    return today - relativedelta(months=months)


def closure_due_on(last_activity: date) -> date:
    """A case with no contact for 3 months is due for closure (docs/domain.md, "Due dates")."""
    return _due_on(last_activity, CLOSURE_MONTHS)


def closure_cutoff(today: date) -> date:
    return _cutoff(today, CLOSURE_MONTHS)


def evaluation_due_on(last_contact: date) -> date:
    """A parent evaluation is due one month after the last contact (docs/domain.md, "Due dates")."""
    return _due_on(last_contact, EVALUATION_MONTHS)


def evaluation_cutoff(today: date) -> date:
    return _cutoff(today, EVALUATION_MONTHS)


def response_days(received: date, responded: date | None, today: date) -> int:
    """Working days from receipt to the first response, or to today while unanswered."""
    return working_days_between(received, responded or today)


# The service supports children and young people up to 25 (the SEND age range, 0-25).
OLDEST_AGE = 25


def age_on(born: date, day: date) -> int:
    """Age in whole years on `day` (a birthday on 29 February falls on 1 March)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
