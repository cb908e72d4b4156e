"""Who sees which quality records (docs/domain.md, "Users and roles"): the coordinator keeps them
all; a steering group member reads finalised self-assessments, published plan updates, external
reviews and the feedback summary, never a draft and never personal data."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from pps.access import rows_for_roles
from pps.roles import COORDINATORS, Role
from quality.enums import AssessmentStatus
from quality.models import (
    DevelopmentPlan,
    Document,
    ExternalReview,
    Framework,
    PlanUpdate,
    Rating,
    SelfAssessment,
    SteeringSeat,
)


def frameworks_visible_to(user) -> QuerySet[Framework]:
    return rows_for_roles(user, COORDINATORS, Framework)


def get_framework_for(request, pk) -> Framework:
    return get_object_or_404(frameworks_visible_to(request.user), pk=pk)


def assessments_visible_to(user) -> QuerySet[SelfAssessment]:
    if user.role in COORDINATORS:
        return SelfAssessment.objects.all()
    if user.role == Role.STEERING:
        return SelfAssessment.objects.filter(status=AssessmentStatus.FINAL)
    return SelfAssessment.objects.none()


def get_assessment_for(request, pk) -> SelfAssessment:
    """The assessment if this user may see it, else 404 (a draft is a 404 to steering)."""
    return get_object_or_404(
        assessments_visible_to(request.user).select_related("version__framework", "service"),
        pk=pk,
    )


def documents_visible_to(user) -> QuerySet[Document]:
    # Uploaded files are not checked for personal data, so only coordinators open them;
    # a steering member sees their titles and dates on a finalised assessment.
    return rows_for_roles(user, COORDINATORS, Document)


def plans_visible_to(user) -> QuerySet[DevelopmentPlan]:
    if user.role in COORDINATORS:
        return DevelopmentPlan.objects.all()
    if user.role == Role.STEERING:
        return DevelopmentPlan.objects.filter(updates__isnull=False).distinct()
    return DevelopmentPlan.objects.none()


def get_plan_for(request, pk) -> DevelopmentPlan:
    return get_object_or_404(
        plans_visible_to(request.user).select_related("version__framework"), pk=pk
    )


def plan_updates_visible_to(user) -> QuerySet[PlanUpdate]:
    """Recorded updates are what the steering group reads; the working copy is the
    coordinator's alone."""
    return rows_for_roles(user, COORDINATORS | {Role.STEERING}, PlanUpdate)


def reviews_visible_to(user) -> QuerySet[ExternalReview]:
    return rows_for_roles(user, COORDINATORS | {Role.STEERING}, ExternalReview)


def get_review_for(request, pk) -> ExternalReview:
    return get_object_or_404(
        reviews_visible_to(request.user).select_related("version__framework"), pk=pk
    )


def seats_visible_to(user) -> QuerySet[SteeringSeat]:
    return rows_for_roles(user, COORDINATORS, SteeringSeat)


def ratings_editable_by(user) -> QuerySet[Rating]:
    """Ratings of draft assessments: a finalised one never changes."""
    if user.role not in COORDINATORS:
        return Rating.objects.none()
    return Rating.objects.filter(
        assessment__in=assessments_visible_to(user).filter(status=AssessmentStatus.DRAFT)
    ).select_related("assessment__version", "assessment__service", "standard__theme")
