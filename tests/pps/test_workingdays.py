"""Working days in England, against examples worked out by hand on a calendar."""

from datetime import date

import pytest
from django.db.models import F

from pps.workingdays import add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize(
    ("received", "answered", "days"),
    [
        # Same day: the day of receipt is not counted.
        (date(2026, 11, 24), date(2026, 11, 24), 0),
        # Monday to Wednesday: Tuesday and Wednesday.
        (date(2026, 11, 23), date(2026, 11, 25), 2),
        # Friday to Monday: the weekend does not count.
        (date(2026, 11, 20), date(2026, 11, 23), 1),
        # Thursday before Easter to the Tuesday after: Good Friday (3 April) and Easter
        # Monday (6 April) are bank holidays, so only Tuesday counts.
        (date(2026, 4, 2), date(2026, 4, 7), 1),
        # Christmas 2026: Boxing Day falls on a Saturday, so Monday 28 December is the
        # substitute bank holiday; Christmas Eve to Tuesday 29 December is 1 working day.
        (date(2026, 12, 24), date(2026, 12, 29), 1),
        # Friday 1 May 2026 to Tuesday 5 May: Monday 4 May is the early May bank holiday.
        (date(2026, 5, 1), date(2026, 5, 5), 1),
        # A response before receipt is never negative.
        (date(2026, 5, 5), date(2026, 5, 1), 0),
    ],
)
def test_working_days_between(received, answered, days):
    assert working_days_between(received, answered) == days


def test_bank_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 8, 31))  # Late summer bank holiday
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day (substitute)
    assert is_working_day(date(2026, 11, 24))  # an ordinary Tuesday


def test_deadline_of_the_two_day_standard_skips_easter():
    # Received on Maundy Thursday 2026: the 2 working days are Tuesday 7 and Wednesday 8 April.
    assert add_working_days(date(2026, 4, 2), 2) == date(2026, 4, 8)


@pytest.mark.django_db
def test_the_calendar_table_counts_working_days_by_subtraction():
    """The database's calendar (written at migrate) gives the same working days as the
    Python rule, around weekends, Easter, Christmas and the summer bank holiday."""
    from pps.models import CalendarDay

    ordinal = dict(
        CalendarDay.objects.filter(day__range=(date(2025, 3, 1), date(2026, 1, 31))).values_list(
            "day", "ordinal"
        )
    )
    days = sorted(ordinal)
    assert days[0] == date(2025, 3, 1) and days[-1] == date(2026, 1, 31)
    for start in days[::3]:
        for end in days[::7]:
            if end >= start:
                assert ordinal[end] - ordinal[start] == working_days_between(start, end)
    # Received Wednesday, answered Saturday: Thursday and Friday, 2 working days.
    assert ordinal[date(2025, 10, 4)] - ordinal[date(2025, 10, 1)] == 2
    assert not CalendarDay.objects.get(day=date(2025, 12, 25)).working


@pytest.mark.django_db
def test_refreshing_the_calendar_again_changes_nothing():
    from pps.models import CalendarDay
    from pps.workingdays import refresh_calendar

    before = list(CalendarDay.objects.values_list("day", "working", "ordinal"))
    assert refresh_calendar() == 0
    assert list(CalendarDay.objects.values_list("day", "working", "ordinal")) == before


@pytest.mark.django_db
def test_refreshing_rewrites_only_the_days_that_differ():
    """A day the table has wrong (as if the source had added a bank holiday) is put right,
    and so is every ordinal after it; a day missing is added; nothing else is written."""
    from pps.models import CalendarDay
    from pps.workingdays import refresh_calendar

    before = list(CalendarDay.objects.order_by("day").values_list("day", "working", "ordinal"))
    later = CalendarDay.objects.filter(day__gt=date(2026, 12, 20))
    later_count = later.count()
    later.update(ordinal=F("ordinal") + 1)
    CalendarDay.objects.filter(day=date(2026, 12, 21)).update(working=False)
    CalendarDay.objects.filter(day=date(2027, 1, 4)).delete()
    assert refresh_calendar() == later_count
    after = list(CalendarDay.objects.order_by("day").values_list("day", "working", "ordinal"))
    assert after == before
