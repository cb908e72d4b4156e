"""Reporting periods at their edges (docs/domain.md, "Periods"): whole days, first to last
inclusive."""

from datetime import date

import pytest

from reports.periods import Period, academic_year, academic_year_containing, financial_year
from reports.queries.volunteers import months_of


@pytest.mark.parametrize(
    ("day", "start_month", "label", "first", "last"),
    [
        (date(2026, 8, 31), 9, "2025/26", date(2025, 9, 1), date(2026, 8, 31)),
        (date(2026, 9, 1), 9, "2026/27", date(2026, 9, 1), date(2027, 8, 31)),
        (date(2027, 1, 1), 9, "2026/27", date(2026, 9, 1), date(2027, 8, 31)),
        # A service whose year starts in April.
        (date(2027, 3, 31), 4, "2026/27", date(2026, 4, 1), date(2027, 3, 31)),
        (date(2027, 4, 1), 4, "2027/28", date(2027, 4, 1), date(2028, 3, 31)),
        # The century's turn in the label: 2099/00.
        (date(2099, 9, 1), 9, "2099/00", date(2099, 9, 1), date(2100, 8, 31)),
    ],
)
def test_the_academic_year_containing_a_day(day, start_month, label, first, last):
    year = academic_year_containing(day, start_month)
    assert (year.label, year.first, year.last) == (label, first, last)
    assert year == academic_year(first.year, start_month)


@pytest.mark.parametrize(
    ("start_year", "label", "last"),
    [
        (2025, "2025-26", date(2026, 3, 31)),
        (2027, "2027-28", date(2028, 3, 31)),  # across 29 February 2028
        (2099, "2099-00", date(2100, 3, 31)),
    ],
)
def test_a_financial_year_runs_from_1_april_to_31_march(start_year, label, last):
    year = financial_year(start_year)
    assert (year.first, year.last, year.label) == (date(start_year, 4, 1), last, label)
    assert year.day_before == date(start_year, 3, 31)


def test_a_leap_years_february_has_29_days_in_the_months():
    months = months_of(financial_year(2027))
    assert [m.label for m in months][:2] == ["April 2027", "May 2027"]
    assert len(months) == 12
    february = months[10]
    assert (february.first, february.last) == (date(2028, 2, 1), date(2028, 2, 29))
    assert (months[-1].first, months[-1].last) == (date(2028, 3, 1), date(2028, 3, 31))


def test_months_of_a_period_that_starts_and_ends_mid_month_are_cut_to_it():
    months = months_of(Period(date(2026, 1, 31), date(2026, 3, 1), "a stretch"))
    assert [(m.first, m.last) for m in months] == [
        (date(2026, 1, 31), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 1)),
    ]
    assert [m.label for m in months] == ["January 2026", "February 2026", "March 2026"]
