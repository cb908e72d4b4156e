"""The date rule of a subject access request (docs/data-lifecycle.md, "Subject access
requests")."""

from datetime import date

from dateutil.relativedelta import relativedelta


def due_on(received_on: date) -> date:
    """The day a request received on `received_on` must be answered by: one calendar month on.

    UK GDPR gives one calendar month from the day of receipt: the same day number in the
    next month (received 3 September, due 3 October). Where the next month has no such day
    the answer is due on its last day (received 31 January, due 28 February, or 29 in a
    leap year; received 31 August, due 30 September). The date is not moved off weekends
    or bank holidays: answering by it is always in time.
    """
    return received_on + relativedelta(months=1)
