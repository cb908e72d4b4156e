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
import statistics

from django.db.models import Count, OuterRef, Q, Subquery

from quality.enums import AssessmentStatus
from quality.frameworks import SHIPPED, ParsedFramework, ShippedFramework
from quality.models import Rating, SelfAssessment
from reports.network_report import MEAN_LEVEL, MEDIAN_LEVEL, YOUR_LEVEL
from reports.periods import Period
from reports.presenters import Table

NOT_RATED = "not rated"


@functools.cache
def _shipped() -> dict[str, tuple[ShippedFramework, ParsedFramework]]:
    """Each shipped framework and its parsed file, by fingerprint."""
    found = {}
    for framework in SHIPPED:
        parsed = framework.parse()
        found[parsed.fingerprint()] = (framework, parsed)
    return found


def _on_scale(value: float, scale: tuple[str, ...]) -> str:
    """A median of level ranks as printed: the number on the scale (1 the lowest level),
    and the level's name when it falls on one (half-way between two, it names neither)."""
    text = f"{value:.1f}"
    if value == int(value):
        return f"{text} ({scale[len(scale) - int(value)]})"
    return text


def _summaries(counts: list[int], ranks: list[int], scale: tuple[str, ...]) -> tuple[str, str]:
    """The mean and median level of the services counted in a row (their ranks, weighted
    by how many services chose each); words when no service rated the standard."""
    ranked = [rank for rank, count in zip(ranks, counts, strict=True) for _ in range(count)]
    if not ranked:
        return NOT_RATED, NOT_RATED
    return (
        f"{statistics.fmean(ranked):.1f}",
        _on_scale(statistics.median(ranked), scale),
    )


def assessment_level_tables(
    year: Period, services: list[int], own: int | None = None
) -> list[Table]:
    """One table a shipped framework that any service in scope has assessed itself against
    (unchanged, finalised, on or before the year's last day): a row a standard, in the
    file's order, a column a level, best first: the number of services; then the mean and
    median level of those services (on the scale, 1 the lowest level) and, for a reader
    of a service (`own`), that service's own level. One query."""
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
        .annotate(
            services=Count("assessment__service", distinct=True),
            # 1 in the row of the reader's own level of the standard, else 0 (always 0
            # for an analyst: no service is None).
            own=Count("id", filter=Q(assessment__service=own)),
        )
    )
    by_framework: dict[str, dict[tuple[str, int], int]] = {}
    own_levels: dict[str, dict[str, int]] = {}
    for row in counted:
        key = row["assessment__version__fingerprint"]
        cells = by_framework.setdefault(key, {})
        cells[row["standard__code"], row["level__rank"]] = row["services"]
        if row["own"]:
            own_levels.setdefault(key, {})[row["standard__code"]] = row["level__rank"]
    tables = []
    for fingerprint, (framework, parsed) in shipped.items():
        cells = by_framework.get(fingerprint)
        if not cells:
            continue
        scale = tuple(parsed.scale)
        size = len(scale)
        # Level ranks as installed: the best level has the highest (quality.actions).
        ranks = [size - i for i in range(size)]
        mine = own_levels.get(fingerprint, {})
        rows = []
        for theme in parsed.themes:
            for code, _text in theme.standards:
                counts = [cells.get((code, rank), 0) for rank in ranks]
                row = (code, *counts, *_summaries(counts, ranks, scale))
                if own:
                    rank = mine.get(code)
                    row += (NOT_RATED if rank is None else scale[size - rank],)
                rows.append(row)
        header = ("Standard", *scale, MEAN_LEVEL, MEDIAN_LEVEL) + ((YOUR_LEVEL,) if own else ())
        tables.append(
            Table(
                slug=f"levels-{framework.key}",
                caption=f"{framework.name}: services at each level, {year.label}",
                header=header,
                rows=tuple(rows),
                note=(
                    "Each service's latest finalised self-assessment on or before "
                    f"{year.last:%-d %B %Y}, made on the framework as shipped. Counts of "
                    f"services, not of people. The mean and median level are on a scale of "
                    f"1 ({scale[-1]}) to {size} ({scale[0]})."
                    + (" “Your service” is your own service's level." if own else "")
                ),
            )
        )
    return tables
