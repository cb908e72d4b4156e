"""Self-assessment levels across the network (the benchmarking seed's charts 55-71): for each
shipped framework, how many taking-part services rated each of its standards at each level
in their latest finalised self-assessment on or before the end of the financial year.

Only assessments made on a shipped framework exactly as shipped count: their version's
fingerprint (the hash of its scale, themes and standards) is the shipped file's. So the
standards of every service counted are the same ones, and the table's codes and level names
are the shipped file's, never a service's own wording. The counts are of services, which
the report numbers and never names, not of families, so they are not suppressed: with a
handful of services every cell would be under 5.

Registered with reports.network_report by QualityConfig.ready(): reports sits below quality.
"""

import functools

from django.db.models import Count, OuterRef, Subquery

from quality.enums import AssessmentStatus
from quality.frameworks import SHIPPED, ParsedFramework, ShippedFramework
from quality.models import Rating, SelfAssessment
from reports.periods import Period
from reports.presenters import Table


@functools.cache
def _shipped() -> dict[str, tuple[ShippedFramework, ParsedFramework]]:
    """Each shipped framework and its parsed file, by fingerprint."""
    found = {}
    for framework in SHIPPED:
        parsed = framework.parse()
        found[parsed.fingerprint()] = (framework, parsed)
    return found


def assessment_level_tables(year: Period, services: list[int]) -> list[Table]:
    """One table a shipped framework that any service in scope has assessed itself against
    (unchanged, finalised, on or before the year's last day): a row a standard, in the
    file's order, and a column a level, best first: the number of services. One query."""
    shipped = _shipped()
    finals = SelfAssessment.objects.filter(
        status=AssessmentStatus.FINAL,
        assessed_on__lte=year.last,
        version__fingerprint__in=list(shipped),
    )
    latest = (
        finals.filter(
            service=OuterRef("assessment__service"),
            version__fingerprint=OuterRef("assessment__version__fingerprint"),
        )
        .order_by("-assessed_on", "-id")
        .values("pk")[:1]
    )
    counted = (
        Rating.objects.filter(level__isnull=False, assessment=Subquery(latest))
        .order_by()
        .values("assessment__version__fingerprint", "standard__code", "level__rank")
        .annotate(services=Count("assessment__service", distinct=True))
    )
    by_framework: dict[str, dict[tuple[str, int], int]] = {}
    for row in counted:
        cells = by_framework.setdefault(row["assessment__version__fingerprint"], {})
        cells[row["standard__code"], row["level__rank"]] = row["services"]
    tables = []
    for fingerprint, (framework, parsed) in shipped.items():
        cells = by_framework.get(fingerprint)
        if not cells:
            continue
        size = len(parsed.scale)
        # Level ranks as installed: the best level has the highest (quality.actions).
        ranks = [size - i for i in range(size)]
        rows = tuple(
            (code, *(cells.get((code, rank), 0) for rank in ranks))
            for theme in parsed.themes
            for code, _text in theme.standards
        )
        tables.append(
            Table(
                slug=f"levels-{framework.key}",
                caption=f"{framework.name}: services at each level, {year.label}",
                header=("Standard", *parsed.scale),
                rows=rows,
                note=(
                    "Each service's latest finalised self-assessment on or before "
                    f"{year.last:%-d %B %Y}, made on the framework as shipped. Counts of "
                    "services, not of people."
                ),
            )
        )
    return tables
