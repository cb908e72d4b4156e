"""Fixed vocabularies of standards, self-assessments, plans and external reviews."""

from django.db import models


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Finalised"


class ReviewKind(models.TextChoices):
    CHARTER_MARK = "charter_mark", "Charter Mark review"
    HEALTH_CHECK = "health_check", "Health check"
    CSE = "cse", "Customer Service Excellence assessment"
    OTHER = "other", "Other external assessment"


class ActionStatus(models.TextChoices):
    """Where a partial compliance stands at a review (seed leeds-charter-mark-health-check)."""

    RAISED = "raised", "Raised at this review"
    CARRIED_FORWARD = "carried_forward", "Carried forward from the previous review"
    CLOSED = "closed", "Closed at this review"


class MemberType(models.TextChoices):
    """Who sits on the steering or advisory group, by the seat they hold (no names)."""

    PARENT = "parent", "Parent or carer"
    INDEPENDENT_CHAIR = "chair", "Independent chair"
    LOCAL_AUTHORITY = "local_authority", "Local authority officer"
    SCHOOL = "school", "School or early years setting"
    HEALTH = "health", "Health"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"
