"""Self-assessments: every standard of a framework version rated at a date, with evidence.

A draft shows its live evidence figures recomputed on every view and print; finalising
freezes each figure's label, period and value into its EvidenceFigure row, and a finalised
assessment shows those frozen values forever (docs/domain.md,
"Standards, self-assessments and plans").
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from pps import uploads
from pps.models import ServiceRecord
from pps.versioning import VersionedModel
from quality.enums import AssessmentStatus
from quality.models.frameworks import FrameworkVersion, Standard, level_field


class SelfAssessment(ServiceRecord):
    # Not a VersionedModel: its header is never edited by a form, and its one change of
    # state (finalising) runs under a row lock in quality.actions.
    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name="framework",
    )
    title = models.CharField(max_length=200)
    assessed_on = models.DateField("assessed on")
    status = models.CharField(
        max_length=5, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self):
        return f"{self.title} ({self.assessed_on:%-d %B %Y})"

    @property
    def is_final(self) -> bool:
        return self.status == AssessmentStatus.FINAL


class Rating(ServiceRecord, VersionedModel):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="ratings")
    level = level_field("rating")
    evidence = models.TextField(blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "standard__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "standard"], name="one_rating_a_standard")
        ]

    def __str__(self):
        return f"{self.standard.code} in {self.assessment.title}"


class EvidenceFigure(ServiceRecord):
    """A live figure (quality.evidence catalogue key) linked as evidence for a rating.

    The frozen_* fields are empty while the assessment is a draft and are written once,
    when it is finalised; from then on they are what every page and print shows.
    """

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="figures")
    key = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    frozen_label = models.CharField(max_length=200, blank=True)
    frozen_period = models.CharField(max_length=100, blank=True)
    frozen_value = models.CharField(max_length=200, blank=True)
    # The same value with counts from 1 to 4 shown as "fewer than 5" (docs/domain.md,
    # "Small numbers").
    frozen_public_value = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["rating", "id"]
        constraints = [models.UniqueConstraint(fields=["rating", "key"], name="figure_once")]

    def __str__(self):
        return self.frozen_label or self.key


def _document_path(instance, filename):
    return uploads.stored_name(f"quality/{instance.service_id}", filename)


class Document(ServiceRecord):
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=_document_path)
    original_name = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["rating", "uploaded_at", "id"]

    def __str__(self):
        return self.title
