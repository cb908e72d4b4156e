"""Reporting periods (docs/domain.md, "Periods"): each is a set of whole days, first to last
inclusive."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from pps.days import start_of


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
        return start_of(self.first)

    @property
    def ends_before(self) -> dt.datetime:
        """Midnight at the end of the last day: a timestamp of the period is before it."""
        return start_of(self.last + dt.timedelta(days=1))


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


def year_label(start_year: int, separator: str = "/") -> str:
    """A year that starts in `start_year` and ends in the next, as services write it: 2025/26
    for an academic year, 2025-26 for a financial one (and in file names)."""
    return f"{start_year}{separator}{(start_year + 1) % 100:02d}"


def year_slug(year: Period, name: str) -> str:
    """`name` of the year, as file names and table slugs write it: case-movements-2025-26."""
    return f"{name}-{year_label(year.first.year, '-')}"


def academic_year(start_year: int, start_month: int = 9) -> Period:
    """The academic year that starts in `start_month` of `start_year` (default September)."""
    first = dt.date(start_year, start_month, 1)
    following = dt.date(start_year + 1, start_month, 1)
    return Period(first, following - dt.timedelta(days=1), year_label(start_year))


def start_year_of(day: dt.date | dt.datetime, start_month: int) -> int:
    """The calendar year in which the year holding `day` began, for years that begin on the
    1st of `start_month`: 9 for a school year, 4 for a financial one (a timestamp's day is
    London's)."""
    if isinstance(day, dt.datetime):
        day = timezone.localdate(day)
    return day.year if day.month >= start_month else day.year - 1


def financial_year_of(day: dt.date | dt.datetime) -> int:
    """The calendar year the financial year holding `day` starts in."""
    return start_year_of(day, 4)


def academic_year_containing(day: dt.date, start_month: int = 9) -> Period:
    return academic_year(start_year_of(day, start_month), start_month)


def financial_year(start_year: int) -> Period:
    """1 April to 31 March, for benchmarking."""
    return Period(
        dt.date(start_year, 4, 1),
        dt.date(start_year + 1, 3, 31),
        year_label(start_year, "-"),
    )


# Terms follow the school calendar, whatever month a service starts its academic year:
# autumn from September to December, spring from January to March, summer from April to
# August (the summer holiday counted in the summer term, so the three terms cover the year).
TERMS = (("spring", 1, 3), ("summer", 4, 8), ("autumn", 9, 12))


def _months(year: int, first_month: int, last_month: int) -> tuple[dt.date, dt.date]:
    following = dt.date(year + (last_month == 12), last_month % 12 + 1, 1)
    return dt.date(year, first_month, 1), following - dt.timedelta(days=1)


def term(year: int, name: str) -> Period:
    """The term `name` ("autumn", "spring" or "summer") of calendar year `year`: "Autumn
    term 2025" is 1 September to 31 December 2025."""
    for term_name, first_month, last_month in TERMS:
        if term_name == name:
            first, last = _months(year, first_month, last_month)
            return Period(first, last, f"{name.capitalize()} term {year}")
    raise ValueError(f"No term called {name!r}.")


def term_containing(day: dt.date) -> Period:
    name = next(name for name, first, last in TERMS if first <= day.month <= last)
    return term(day.year, name)


def quarter(year: int, number: int) -> Period:
    """Calendar quarter `number` (1 to 4) of `year`, labelled by its months: quarter 4 of
    2025 is "October to December 2025"."""
    if not 1 <= number <= 4:
        raise ValueError(f"No quarter {number}.")
    first, last = _months(year, 3 * number - 2, 3 * number)
    return Period(first, last, f"{first:%B} to {last:%B} {year}")


def quarter_containing(day: dt.date) -> Period:
    return quarter(day.year, (day.month - 1) // 3 + 1)


def previous(period: Period, finder) -> Period:
    """The period before `period`, of the kind `finder` finds (term_containing,
    quarter_containing): the one that contains the day before it."""
    return finder(period.day_before)


def quarters_up_to(last: Period, count: int) -> tuple[Period, ...]:
    """`count` calendar quarters, oldest first, ending with the quarter `last`."""
    quarters = [last]
    while len(quarters) < count:
        quarters.append(previous(quarters[-1], quarter_containing))
    return tuple(reversed(quarters))


def latest_complete(today: dt.date, finder) -> Period:
    """The latest period of its kind (term_containing, quarter_containing) that ended
    before `today`."""
    return previous(finder(today), finder)
