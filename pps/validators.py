"""Rules on typed values that every app applies the same way (docs/architecture.md, "Where
does X go").

Records describe what has happened: a contact, a status change, a review or a request is
dated on or before today, in the service's time zone (Europe/London). The actions refuse a
later date (forms that check early use the same function, so the rule and its words live
here once).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

FUTURE_DAY = "This date is in the future."
FUTURE_MOMENT = "This time is in the future."
# A time typed as "now" on a device whose clock runs a little ahead is still now.
MOMENT_GRACE = dt.timedelta(minutes=5)


def is_future(value: dt.date | dt.datetime) -> bool:
    """Whether a date lies after today, or an aware datetime more than MOMENT_GRACE after
    now."""
    if isinstance(value, dt.datetime):
        return value > timezone.now() + MOMENT_GRACE
    return value > timezone.localdate()


def refuse_future(value: dt.date | dt.datetime, field: str | None = None, message: str = ""):
    """Raise ValidationError, for `field` when named, when `value` is in the future."""
    if value is None or not is_future(value):
        return
    message = message or (FUTURE_MOMENT if isinstance(value, dt.datetime) else FUTURE_DAY)
    raise ValidationError({field: message} if field else message)
