"""The retention rule, written once, in the database (docs/data-lifecycle.md, "Retention,
legal holds and anonymisation")."""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet

from casework.access import cases_visible_to
from casework.enums import CaseStatus
from casework.models import Case, Parent
from retention.access import anonymisations_visible_to, holds_visible_to
from retention.models import Anonymisation, AnonymisedFamily, LegalHold, RetentionSetting


def retention_setting_for(service) -> RetentionSetting:
    """The service's retention setting; the defaults (6 years, 25) until a coordinator saves
    it. Unsaved when there is none yet, so reading it never writes."""
    found = RetentionSetting.objects.filter(service=service).first()
    return found or RetentionSetting(service=service)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier; 29 February becomes 28 February in a common year."""
    return day - relativedelta(years=years)


def years_after(day: dt.date, years: int) -> dt.date:
    """The anniversary `years` later; 29 February's falls on 1 March in a common year, as
    `years_before` implies (a case closed on 29 February 2020 is due from 1 March 2026)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


def families_due(setting: RetentionSetting, today: dt.date) -> QuerySet[Parent]:
    """The parents (families) of the service in scope whose records are due for
    anonymisation on `today` (docs/domain.md, section 6, "Retention").

    A case is past its retention when it is closed and
    - it closed at least `years_after_closure` years ago (closed exactly 6 years ago today
      counts: the anniversary is the first day it is due), and
    - if it has a tribunal appeal date, its child has also reached `tribunal_child_age`
      (the birthday is the first day). A tribunal case whose child's date of birth was never
      recorded falls back to the closure rule alone: it cannot be kept for an age no one
      knows, and the list says why it is due.
    A family is due when it has at least one case and every case of the parent is past
    its retention: one open case, or one closed too recently, keeps the whole family. A
    family on a standing legal hold, or already anonymised, is never due.

    One query: the cut-off days are computed once here, and the database compares dates.
    """
    closed_by = years_before(today, setting.years_after_closure)
    born_by = years_before(today, setting.tribunal_child_age)
    kept = Case.objects.filter(parent=OuterRef("pk")).filter(
        Q(status=CaseStatus.OPEN)
        | Q(closed_on__isnull=True)
        | Q(closed_on__gt=closed_by)
        | Q(tribunal_appeal_on__isnull=False, child__date_of_birth__gt=born_by)
    )
    return (
        Parent.objects.filter(Exists(Case.objects.filter(parent=OuterRef("pk"))))
        .exclude(Exists(kept))
        .exclude(Exists(LegalHold.objects.filter(parent=OuterRef("pk"), released_at__isnull=True)))
        .exclude(Exists(AnonymisedFamily.objects.filter(parent=OuterRef("pk"))))
    )


def with_due_facts(parents: QuerySet[Parent]) -> QuerySet[Parent]:
    """What the list of due families shows of each, in the same query: its number of cases,
    the last closing, and the latest birthday of a child with a tribunal appeal case."""
    return parents.annotate(
        case_count=Count("cases", distinct=True),
        last_closed_on=Max("cases__closed_on"),
        tribunal_birth=Max(
            "cases__child__date_of_birth", filter=Q(cases__tribunal_appeal_on__isnull=False)
        ),
    ).order_by("last_closed_on", "id")


@dataclass(frozen=True)
class DueFamily:
    parent: Parent
    case_count: int
    last_closed_on: dt.date
    due_since: dt.date
    why: str


def describe_due(parent: Parent, setting: RetentionSetting) -> DueFamily:
    """Since when a family annotated by `with_due_facts` is due, and why, in words: the
    later of the closure anniversary and a tribunal child's birthday."""
    closure_due = years_after(parent.last_closed_on, setting.years_after_closure)
    why = (
        f"{setting.years_after_closure} years after the last case closed "
        f"({parent.last_closed_on:%-d %B %Y})"
    )
    due_since = closure_due
    if parent.tribunal_birth is not None:
        age_due = years_after(parent.tribunal_birth, setting.tribunal_child_age)
        if age_due > closure_due:
            due_since = age_due
            why = (
                f"a child of a tribunal appeal case turned {setting.tribunal_child_age} "
                f"({age_due:%-d %B %Y})"
            )
    return DueFamily(
        parent=parent,
        case_count=parent.case_count,
        last_closed_on=parent.last_closed_on,
        due_since=due_since,
        why=why,
    )


def case_with_reference(user, reference: str) -> Case | None:
    """The case `user` may see whose reference is `reference`, whatever its letters' case."""
    return cases_visible_to(user).filter(reference__iexact=reference.strip()).first()


def standing_holds(user) -> QuerySet[LegalHold]:
    """The legal holds `user` may see that are not released, with who is held and by whom."""
    return (
        holds_visible_to(user)
        .filter(released_at__isnull=True)
        .select_related("parent", "placed_by")
    )


def recent_anonymisations(user, count: int) -> QuerySet[Anonymisation]:
    return anonymisations_visible_to(user).select_related("by")[:count]


def family_due(parent: Parent, setting: RetentionSetting, today: dt.date) -> DueFamily | None:
    """Since when and why one family is due on `today`; None when it is not."""
    due = with_due_facts(families_due(setting, today)).filter(pk=parent.pk)
    return next((describe_due(found, setting) for found in due), None)


def family_retention(user, parent: Parent) -> dict:
    """One family's retention state as its page shows it: its cases, its standing hold, its
    released holds and its anonymisation (None when not done)."""
    holds = holds_visible_to(user).filter(parent=parent)
    return {
        "cases": parent.cases.select_related("child").order_by("opened_on", "id"),
        "hold": holds.filter(released_at__isnull=True).select_related("placed_by").first(),
        "released": holds.filter(released_at__isnull=False).select_related(
            "placed_by", "released_by"
        ),
        "anonymised": AnonymisedFamily.objects.filter(parent=parent)
        .select_related("anonymisation", "anonymisation__by")
        .first(),
    }
