"""The `day` filter (pps/templatetags/pps.py) prints what `date` prints, though it
remembers the days it has formatted: every day of two years, empty values, aware times
either side of midnight in London, another language, and a changed setting."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.template import engines
from django.test import override_settings
from django.utils import translation

_DAY = engines["django"].from_string("{% load pps %}{{ value|day }}|{{ value|day|default:'none' }}")
_DATE = engines["django"].from_string("{{ value|date }}|{{ value|date|default:'none' }}")

LONDON = ZoneInfo("Europe/London")


def _both(value):
    return _DAY.render({"value": value}), _DATE.render({"value": value})


def test_every_day_of_two_years_and_the_empty_values():
    first = dt.date(2025, 1, 1)
    values = [first + dt.timedelta(days=n) for n in range(731)] + [None, ""]
    for _ in range(2):  # the second time from what was remembered
        for value in values:
            ours, django = _both(value)
            assert ours == django, value
    assert _both(dt.date(2026, 11, 24))[0] == "24 November 2026|24 November 2026"


def test_times_are_shown_as_their_day_in_london():
    for value in (
        dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC),  # 23:30 in London, 31 March
        dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC),  # 00:30 on 1 April in London
        dt.datetime(2026, 10, 25, 0, 30, tzinfo=LONDON),
    ):
        assert _both(value)[0] == _both(value)[1], value
    assert _both(dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC))[0].startswith("1 April 2026")


def test_a_day_remembered_in_one_language_is_not_shown_in_another():
    day = dt.date(2026, 1, 5)
    english = _both(day)[0]
    with translation.override("fr"):
        french = _both(day)
    assert french[0] == french[1] != english
    assert _both(day)[0] == english


def test_a_changed_setting_forgets_the_days_remembered():
    """Formats come from settings (FORMAT_MODULE_PATH, the language's formats): a test that
    changes one must not be shown a day formatted before."""
    from pps.days import _shown as _day

    _both(dt.date(2026, 1, 5))
    assert _day.cache_info().currsize > 0
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        assert _day.cache_info().currsize == 0
