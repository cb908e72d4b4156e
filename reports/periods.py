"""Reporting periods (DOMAIN.md 3): each is a set of whole days, first to last inclusive."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date
    label: str

    @property
    def day_before(self) -> dt.date:
        return self.first - dt.timedelta(days=1)


def academic_year(start_year: int, start_month: int = 9) -> Period:
    """The academic year that starts in `start_month` of `start_year` (default September)."""
    first = dt.date(start_year, start_month, 1)
    following = dt.date(start_year + 1, start_month, 1)
    return Period(
        first, following - dt.timedelta(days=1), f"{start_year}/{(start_year + 1) % 100:02d}"
    )


def academic_year_containing(day: dt.date, start_month: int = 9) -> Period:
    start_year = day.year if day.month >= start_month else day.year - 1
    return academic_year(start_year, start_month)


def financial_year(start_year: int) -> Period:
    """1 April to 31 March, for benchmarking."""
    return Period(
        dt.date(start_year, 4, 1),
        dt.date(start_year + 1, 3, 31),
        f"{start_year}-{(start_year + 1) % 100:02d}",
    )
