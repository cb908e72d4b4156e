"""Days: where one starts, and as the site prints them ("24 November 2026"), each formatted
once per process.

`date_format` costs about 25 µs a call on the 2-core server, and a list page prints
hundreds of dates that are mostly the same few dozen days (issue 11). The text of a day
depends on the day, the format's name and the active language's formats; it is kept per
process and forgotten whenever a setting changes (tests that change formats or languages).
"""

import datetime as dt
from functools import lru_cache

from django.core.signals import setting_changed
from django.utils import formats, timezone, translation


def start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of a day in the service's time zone (Europe/London): a day's
    timestamps are from it to the next day's, so a filter on a day is a range on the
    timestamp itself, which its index serves, never a conversion of it."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_default_timezone())


def day_shown(value: dt.date, format_name: str = "DATE_FORMAT") -> str:
    """What `{{ value|date:format_name }}` prints for a date (not a datetime)."""
    return _shown(value, format_name, translation.get_language())


def days_shown(format_name: str = "DATE_FORMAT"):
    """`day_shown` for the many days of one page: the active language is read once (each
    read is a context-local look-up, a twentieth of the case page's time in all)."""
    language = translation.get_language()
    return lambda value: _shown(value, format_name, language)


@lru_cache(maxsize=4096)
def _shown(value, format_name, language):
    return formats.date_format(value, format_name)


def _forget(**kwargs):
    _shown.cache_clear()


setting_changed.connect(_forget)
