"""Demo inputs of the annual report: every month's calls and website visits (August and the
odd month left unrecorded, as real services leave them) and the narrative of the last
academic year that has ended, so the demo's report has every part to show; and each
financial year's denominators of the benchmarking return."""

import datetime as dt
import random
from decimal import Decimal

from publications.annual import latest_ended_year
from reports.models import MonthlyActivity, NarrativeSection, YearlyDenominators
from reports.periods import financial_year_of

# The narrative a coordinator might write; the figures beside it come from the records.
NARRATIVE = {
    NarrativeSection.Part.CONTEXT: (
        "The service gives parents and carers of children with special educational needs "
        "and disabilities impartial information, advice and support, from the early years "
        "to 25.\n\nDemand rose again this year, and cases are more complex: more of them "
        "involve a tribunal appeal or an exclusion."
    ),
    NarrativeSection.Part.ACCOUNTABILITY: (
        "The advisory group, chaired independently and with parents among its members, met "
        "each term and reviewed our policies in November."
    ),
    NarrativeSection.Part.CONCLUSIONS: (
        "Capacity is the challenge for next year: the caseload grows faster than the team. "
        "Three new volunteers finished their training in May and start supporting families "
        "in the autumn."
    ),
}


def generate_publications(
    *, service, coordinator, start: dt.date, today: dt.date, rng: random.Random
):
    months = []
    month = start
    while month <= today:
        months.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    rows = []
    for month in months:
        # August is quiet and often not counted; so is the odd month in the year.
        if month.month == 8 or rng.random() < 0.05:
            continue
        calls_in = rng.randint(55, 150)
        rows.append(
            MonthlyActivity(
                service=service,
                month=month,
                calls_in=calls_in,
                calls_out=int(calls_in * rng.uniform(2.0, 2.8)),
                website_visits=rng.randint(30, 90) if month.year >= start.year + 1 else None,
                updated_by=coordinator,
            )
        )
    MonthlyActivity.objects.bulk_create(rows)
    year = latest_ended_year(service, today)
    NarrativeSection.objects.bulk_create(
        NarrativeSection(service=service, year=year, part=part, text=text, updated_by=coordinator)
        for part, text in NARRATIVE.items()
    )
    return {
        "months of calls and visits": len(rows),
        "narrative parts": len(NARRATIVE),
        "years of benchmarking denominators": _denominators(
            service, coordinator, start, today, rng
        ),
    }


def _denominators(service, coordinator, start: dt.date, today: dt.date, rng) -> int:
    """Every financial year of the records, entered as a coordinator would: the area's
    figures from the local authority, the service's funding and staff. The year not yet
    ended has no funding received or staff at 31 March yet, so its return says "not
    recorded" for them (docs/reporting.md, "The benchmarking return")."""
    first, current = financial_year_of(start), financial_year_of(today)
    rows = []
    for year in range(first, current + 1):
        ended = year < current
        funding = Decimal(rng.randrange(78_000, 92_000, 250))
        rows.append(
            YearlyDenominators(
                service=service,
                year=year,
                population_0_19=41_800 + 150 * (year - first),
                pupils_with_sen=rng.randint(5_200, 5_600),
                pupils_on_fsm=rng.randint(2_900, 3_300),
                funding=funding if ended else None,
                budget=funding + rng.randrange(0, 4_000, 250),
                paid_staff_fte=Decimal("2.60") if ended else None,
                area_disagreement_referrals=rng.randint(18, 40) if ended else None,
                area_tribunal_appeals=rng.randint(8, 25) if ended else None,
                issues_monitored=[
                    "how_found_out",
                    "ethnic_diversity",
                    "response_time",
                    "casework_details",
                    "client_satisfaction",
                    "complaints",
                ],
                formats_offered=["large_print", "audio"],
                languages_offered=["interpreters", "translations"],
                updated_by=coordinator,
            )
        )
    YearlyDenominators.objects.bulk_create(rows)
    return len(rows)
