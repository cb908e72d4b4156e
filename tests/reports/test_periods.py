"""Reporting periods at their edges (docs/domain.md, "Periods"): whole days, first to last
inclusive."""

from datetime import date, timedelta
from itertools import pairwise

import pytest

from reports.periods import (
    Period,
    academic_year,
    academic_year_containing,
    financial_year,
    latest_complete,
    quarter,
    quarter_containing,
    quarters_up_to,
    term,
    term_containing,
)
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


@pytest.mark.parametrize(
    ("day", "label", "first", "last"),
    [
        (date(2025, 9, 1), "Autumn term 2025", date(2025, 9, 1), date(2025, 12, 31)),
        (date(2025, 12, 31), "Autumn term 2025", date(2025, 9, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), "Spring term 2026", date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 3, 31), "Spring term 2026", date(2026, 1, 1), date(2026, 3, 31)),
        # The summer holiday belongs to the summer term: the terms cover the year.
        (date(2026, 4, 1), "Summer term 2026", date(2026, 4, 1), date(2026, 8, 31)),
        (date(2026, 8, 31), "Summer term 2026", date(2026, 4, 1), date(2026, 8, 31)),
    ],
)
def test_the_term_containing_a_day(day, label, first, last):
    found = term_containing(day)
    assert (found.label, found.first, found.last) == (label, first, last)
    assert found == term(first.year, label.split()[0].lower())


@pytest.mark.parametrize(
    ("day", "label", "first", "last"),
    [
        (date(2026, 1, 1), "January to March 2026", date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 6, 30), "April to June 2026", date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), "July to September 2026", date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 12, 31), "October to December 2026", date(2026, 10, 1), date(2026, 12, 31)),
        # A leap year's February.
        (date(2028, 2, 29), "January to March 2028", date(2028, 1, 1), date(2028, 3, 31)),
    ],
)
def test_the_quarter_containing_a_day(day, label, first, last):
    found = quarter_containing(day)
    assert (found.label, found.first, found.last) == (label, first, last)


def test_eight_quarters_run_back_across_the_turn_of_the_year():
    quarters = quarters_up_to(quarter(2026, 3), 8)
    assert [q.first for q in quarters] == [
        date(2024, 10, 1),
        date(2025, 1, 1),
        date(2025, 4, 1),
        date(2025, 7, 1),
        date(2025, 10, 1),
        date(2026, 1, 1),
        date(2026, 4, 1),
        date(2026, 7, 1),
    ]
    # Each quarter starts the day after the one before ends: no day is missed or twice.
    assert all(a.last + timedelta(days=1) == b.first for a, b in pairwise(quarters))


@pytest.mark.parametrize(
    ("today", "finder", "label"),
    [
        # On a quarter's first day the quarter before is the latest complete one.
        (date(2026, 10, 1), quarter_containing, "July to September 2026"),
        (date(2026, 9, 30), quarter_containing, "April to June 2026"),
        (date(2026, 1, 1), quarter_containing, "October to December 2025"),
        (date(2026, 1, 1), term_containing, "Autumn term 2025"),
        (date(2026, 9, 1), term_containing, "Summer term 2026"),
        (date(2026, 4, 1), term_containing, "Spring term 2026"),
    ],
)
def test_the_latest_complete_term_or_quarter(today, finder, label):
    assert latest_complete(today, finder).label == label


def test_no_fifth_quarter_or_winter_term():
    with pytest.raises(ValueError):
        quarter(2026, 5)
    with pytest.raises(ValueError):
        term(2026, "winter")
