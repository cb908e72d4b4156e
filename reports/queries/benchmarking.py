"""Casework figures of the benchmarking return that no other report counts: the families of
excluded pupils served, and the cases referred to disagreement resolution or appealed to
the SEND tribunal (docs/reporting.md, "The benchmarking return"; seed tables and charts
35 and 40-43).

Service users, volunteers and response times are counted by their own report functions
(reports.queries.casework, .volunteers, .response_times); this module adds only what they
do not count, and counts excluded pupils by the service users rule itself
(casework.service_users_count), never a copy of it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from casework.enums import OfficialExclusion
from casework.models import Case, Contact
from reports.periods import Period, distinct_periods, span
from reports.queries.casework import in_period, service_users_count
from reports.queries.grouping import Pending, compiled_once, grouped

EXCLUDED = (OfficialExclusion.FIXED_TERM, OfficialExclusion.PERMANENT)


@dataclass(frozen=True)
class Referrals:
    """Cases of the service referred (or appealed) in the year, and of them those where the
    case records whether the service was actively involved in the six months before."""

    cases: int
    involved: int
    not_involved: int

    @property
    def involvement_not_recorded(self) -> int:
        return self.cases - self.involved - self.not_involved


@dataclass(frozen=True)
class BenchmarkingCasework:
    # Service users (cases with a contact in the year) whose case records an official
    # exclusion, fixed-term or permanent.
    excluded_pupils: int
    disagreement_resolution: Referrals
    tribunal_appeals: Referrals


def _dated_in(field: str, year: Period) -> Q:
    return Q(**{f"{field}__gte": year.first, f"{field}__lte": year.last})


def _referral_aggregates(prefix: str, dated_field: str, involved_field: str, year: Period):
    dated = _dated_in(dated_field, year)
    return {
        f"{prefix}_cases": Count("id", filter=dated),
        f"{prefix}_involved": Count("id", filter=dated & Q(**{involved_field: True})),
        f"{prefix}_not_involved": Count("id", filter=dated & Q(**{involved_field: False})),
    }


@compiled_once
def pending_benchmarking_casework(years: Iterable[Period]) -> Pending:
    """For every service in scope and each financial year, in one round trip: service users
    whose case records an official exclusion; cases whose referral to disagreement
    resolution, or whose tribunal appeal, is dated in the year, with those recording the
    service's active involvement in the six months before (and those recording none)."""
    years = distinct_periods(years)
    whole = span(years)
    excluded = grouped(
        Contact.objects.filter(in_period("at", whole)),
        years,
        lambda year: {
            "excluded_pupils": service_users_count(
                year, among=Q(case__official_exclusion__in=EXCLUDED)
            )
        },
    )
    referred = grouped(
        Case.objects.filter(
            _dated_in("disagreement_resolution_on", whole) | _dated_in("tribunal_appeal_on", whole)
        ),
        years,
        lambda year: {
            **_referral_aggregates(
                "resolution",
                "disagreement_resolution_on",
                "disagreement_resolution_active_involvement",
                year,
            ),
            **_referral_aggregates(
                "tribunal", "tribunal_appeal_on", "tribunal_active_involvement", year
            ),
        },
    )

    def figures(excluded, referred):
        def referrals(key, prefix: str) -> Referrals:
            counts = ("cases", "involved", "not_involved")
            return Referrals(*(referred[key][f"{prefix}_{name}"] for name in counts))

        return {
            key: BenchmarkingCasework(
                excluded_pupils=values["excluded_pupils"],
                disagreement_resolution=referrals(key, "resolution"),
                tribunal_appeals=referrals(key, "tribunal"),
            )
            for key, values in excluded.items()
        }

    return Pending([excluded, referred], figures)
