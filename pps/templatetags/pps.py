import datetime as dt
from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.template.defaultfilters import date as date_filter
from django.utils import translation

from pps.disclosure import count_shown, is_small

register = template.Library()


@register.filter(expects_localtime=True)
def day(value):
    """What {{ value|date }} prints, a day formatted once per process and language.

    A page of a hundred cases prints three hundred dates, mostly the same few dozen days,
    and formatting one costs about 25 microseconds (issue 11: a sixth of My work's time).
    Datetimes and anything else go to the date filter itself."""
    if type(value) is dt.date:
        return _day(value, translation.get_language())
    return date_filter(value)


@lru_cache(maxsize=4096)
def _day(value, language):
    return date_filter(value)


def _forget_days(**kwargs):
    # A test that changes a setting (formats, language) must not see days formatted before.
    _day.cache_clear()


setting_changed.connect(_forget_days)


@register.filter
def small_number(count):
    """DOMAIN.md 4.0: for readers who may not see personal data, 1 to 4 is "fewer than 5"."""
    return count_shown(count, public=True)


@register.filter(name="is_small")
def is_small_filter(count) -> bool:
    """Whether a percentage made from this count must be hidden from such readers."""
    return is_small(count)


@register.filter
def minutes_as_hours(minutes):
    hours, rest = divmod(int(minutes or 0), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d} min"
