"""Named reads reused by views (CONVENTIONS.md): each is one query, whatever the data size."""

import datetime as dt

from django.db.models import F, Q, QuerySet

from casework.access import cases_visible_to, contacts_visible_to, enquiries_visible_to
from casework.enums import CaseStatus
from casework.models import Case, Child, Contact, Enquiry, Parent
from casework.rules import closure_cutoff, evaluation_cutoff

_CASE_ROW = ("parent", "child", "officer")


def caseload_for(user) -> QuerySet[Case]:
    """The user's open cases, the longest without activity first."""
    return (
        cases_visible_to(user)
        .filter(status=CaseStatus.OPEN, officer=user)
        .select_related(*_CASE_ROW)
        .order_by("last_activity_on", "id")
    )


def follow_ups_due_for(user) -> QuerySet[Contact]:
    """Follow-ups the user set that are not done yet, soonest first."""
    return (
        contacts_visible_to(user)
        .filter(by=user, follow_up_due_on__isnull=False, follow_up_done_on__isnull=True)
        .select_related("case__parent", "case__child")
        .order_by("follow_up_due_on", "id")
    )


def enquiries_awaiting_response(user) -> QuerySet[Enquiry]:
    """Enquiries of the service with no first response yet, oldest first."""
    return (
        enquiries_visible_to(user)
        .filter(first_response_on__isnull=True, case__isnull=True)
        .select_related("topic", "taken_by")
        .order_by("received_at", "id")
    )


def cases_due_for_closure(user, today: dt.date) -> QuerySet[Case]:
    """The user's open cases with no contact for 3 months (DOMAIN.md 3)."""
    return caseload_for(user).filter(last_activity_on__lte=closure_cutoff(today))


def evaluations_due_for(user, today: dt.date, *, officer_only: bool = True) -> QuerySet[Case]:
    """Cases whose parent evaluation is due: a month after the last contact, and not sent
    since that contact. The user's own cases, or with `officer_only=False` all they see."""
    cases = cases_visible_to(user)
    if officer_only:
        cases = cases.filter(officer=user)
    return (
        cases.filter(last_contact_on__lte=evaluation_cutoff(today))
        .filter(Q(evaluation_sent_on__isnull=True) | Q(evaluation_sent_on__lt=F("last_contact_on")))
        .select_related(*_CASE_ROW)
        .order_by("last_contact_on", "id")
    )


def search_cases(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """The cases of `cases` that every word of `text` matches somewhere: in the reference,
    the parent's first or last name or postcode, or the child's first or last name (any
    case, any part of the word).

    Each word looks up the service's parents and children first and keeps the cases of
    those found, rather than joining every case to its parent and child before testing
    the names: on PostgreSQL the look-ups use the trigram indexes of migration
    casework 0006, so a search costs what it finds, not the size of the service.
    """
    for word in text.split():
        parents = Parent.objects.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(postcode__icontains=word)
        )
        children = Child.objects.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
        matching = (
            Case.objects.filter(reference__icontains=word)
            .order_by()
            .values("pk")
            .union(
                Case.objects.filter(parent__in=parents.values("pk")).order_by().values("pk"),
                Case.objects.filter(child__in=children.values("pk")).order_by().values("pk"),
            )
        )
        cases = cases.filter(pk__in=matching)
    return cases
