"""Which casework records each role may see: one function per record type.

Every view asks these; none filters by service (the scope does that) or by role itself.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from casework.models import (
    Allocation,
    Appointment,
    Case,
    CaseDocument,
    Child,
    Contact,
    Correspondence,
    Enquiry,
    Feedback,
    Parent,
)
from pps.access import rows_for_roles
from pps.roles import STAFF, Role
from volunteers.access import volunteers_on_duty


def cases_visible_to(user) -> QuerySet[Case]:
    """Staff see every case of their service; an IPS volunteer only the cases allocated to
    them today, and only while they are active: marked paused or left, they see none at
    once (docs/domain.md, "Users and roles"); everyone else none."""
    if user.role in STAFF:
        return Case.objects.all()
    if user.role == Role.VOLUNTEER:
        allocated = (
            Allocation.objects.current(timezone.localdate())
            .filter(volunteer__in=volunteers_on_duty().filter(user=user))
            .values("case_id")
        )
        return Case.objects.filter(pk__in=allocated)
    return Case.objects.none()


# What a case's pages read of its relations, in the same query.
CASE_RELATED = (
    "parent",
    "child",
    "officer",
    "locality",
    "referral_route",
    "primary_reason",
    "child__school_type",
    "child__primary_need__area",
)


def get_case_for(request, pk, *, related=CASE_RELATED) -> Case:
    """The case if this user may see it, else 404 (never 403: no hint that it exists).

    `related` are joined (select_related). The case page reads its case, with totals and
    code-list names, through casework.queries.case_for_page: the same rule, compiled once."""
    return get_object_or_404(cases_visible_to(request.user).select_related(*related), pk=pk)


def contacts_visible_to(user) -> QuerySet[Contact]:
    return Contact.objects.filter(case__in=cases_visible_to(user))


def _staff_only(user, model) -> QuerySet:
    # Parents, children, enquiries and feedback are seen by paid staff only; a volunteer
    # sees the parent and child of an allocated case on that case's page alone.
    return rows_for_roles(user, STAFF, model)


def parents_visible_to(user) -> QuerySet[Parent]:
    return _staff_only(user, Parent)


def children_visible_to(user) -> QuerySet[Child]:
    return _staff_only(user, Child)


def enquiries_visible_to(user) -> QuerySet[Enquiry]:
    return _staff_only(user, Enquiry)


def feedback_visible_to(user) -> QuerySet[Feedback]:
    return _staff_only(user, Feedback)


# Who may add a document to a case or a parent: the service's case officers and
# coordinators. Everyone who sees the case page may read its documents.
DOCUMENT_UPLOADERS = frozenset({Role.CASE_OFFICER, Role.COORDINATOR})


def documents_visible_to(user) -> QuerySet[CaseDocument]:
    """A case's documents to whoever sees the case (cases_visible_to: a volunteer only on
    a case allocated to them today); a parent's own documents, on no case, to those who
    see the parent (paid staff)."""
    return CaseDocument.objects.filter(
        Q(case__in=cases_visible_to(user))
        | Q(case__isnull=True, parent__in=parents_visible_to(user))
    )


def correspondence_visible_to(user) -> QuerySet[Correspondence]:
    """The copies of letters and emails sent from the cases this user sees: an IPS volunteer
    reads them on an allocated case's timeline, as they read its contacts' notes."""
    return Correspondence.objects.filter(case__in=cases_visible_to(user))


def appointments_visible_to(user) -> QuerySet[Appointment]:
    """Appointments are booked and kept by paid staff, on the cases they see."""
    return _staff_only(user, Appointment).filter(case__in=cases_visible_to(user))


def get_appointment_for(request, pk) -> Appointment:
    """The appointment with its case if this user may see it, else 404."""
    return get_object_or_404(
        appointments_visible_to(request.user).select_related("case", "officer"), pk=pk
    )
