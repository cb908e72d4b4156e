"""Demo inputs of the annual report: every month's calls and website visits (August and the
odd month left unrecorded, as real services leave them) and the narrative of the last
academic year that has ended, so the demo's report has every part to show."""

import datetime as dt
import random

from publications.annual import latest_ended_year
from reports.models import MonthlyActivity, NarrativeSection

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
    return {"months of calls and visits": len(rows), "narrative parts": len(NARRATIVE)}
