"""Named reads of the annual report's and the benchmarking return's inputs, in the
request's service scope."""

import datetime as dt

from reports.models import MonthlyActivity, NarrativeSection, YearlyDenominators


def narrative_section(service, year: int, part) -> NarrativeSection:
    """One part of a year's narrative; a new, unsaved one until its first save."""
    found = NarrativeSection.objects.filter(year=year, part=part).first()
    return found or NarrativeSection(service=service, year=year, part=part)


def monthly_activity_by_month(months: list[dt.date]) -> dict[dt.date, MonthlyActivity]:
    """The calls and visits entered for `months` (first days, in order), by month."""
    rows = MonthlyActivity.objects.filter(month__range=(months[0], months[-1]))
    return {row.month: row for row in rows}


def yearly_denominators(service, year: int) -> YearlyDenominators:
    """A financial year's denominators and facts; a new, unsaved record until its first save."""
    found = YearlyDenominators.objects.filter(year=year).first()
    return found or YearlyDenominators(service=service, year=year)
