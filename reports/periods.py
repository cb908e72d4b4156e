"""Reporting periods (docs/domain.md, "Periods"): each is a set of whole days, first to last
inclusive."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date
    label: str

    @property
    def day_before(self) -> dt.date:
        return self.first - dt.timedelta(days=1)

    @property
    def starts_at(self) -> dt.datetime:
        """Midnight at the start of the first day, in the service's time zone (Europe/London)."""
        return _midnight(self.first)

    @property
    def ends_before(self) -> dt.datetime:
        """Midnight at the end of the last day: a timestamp of the period is before it."""
        return _midnight(self.last + dt.timedelta(days=1))


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_default_timezone())


def distinct_periods(periods: Iterable[Period]) -> tuple[Period, ...]:
    """The periods in the order given, each once; at least one."""
    unique = tuple(dict.fromkeys(periods))
    if not unique:
        raise ValueError("No period given.")
    return unique


def span(periods: Sequence[Period]) -> Period:
    """The days from the first period's start to the last one's end (any gaps included):
    what a query over several periods reads, before each figure picks its own period."""
    return Period(min(p.first for p in periods), max(p.last for p in periods), "span")


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
