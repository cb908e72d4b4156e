"""Days as the site prints them ("24 November 2026"), each formatted once per process.

`date_format` costs about 25 µs a call on the 2-core server, and a list page prints
hundreds of dates that are mostly the same few dozen days (issue 11). The text of a day
depends on the day, the format's name and the active language's formats; it is kept per
process and forgotten whenever a setting changes (tests that change formats or languages).
"""

import datetime as dt
from functools import lru_cache

from django.core.signals import setting_changed
from django.utils import formats, translation


def day_shown(value: dt.date, format_name: str = "DATE_FORMAT") -> str:
    """What `{{ value|date:format_name }}` prints for a date (not a datetime)."""
    return _shown(value, format_name, translation.get_language())


@lru_cache(maxsize=4096)
def _shown(value, format_name, language):
    return formats.date_format(value, format_name)


def _forget(**kwargs):
    _shown.cache_clear()


setting_changed.connect(_forget)
