"""External assessments (Charter Mark review, health check) and their action plans.

A review bands each element of the framework it assessed; the action plan lists the
partial compliances, each raised at this review, carried forward from the previous one, or
closed at this review, with the evidence of progress (seed leeds-charter-mark-health-check).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from pps.models import ServiceRecord
from pps.versioning import VersionedModel
from quality.enums import ActionStatus, ReviewKind
from quality.models.frameworks import FrameworkVersion, Standard, level_field


class ExternalReview(ServiceRecord):
    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name="assessment criteria",
    )
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    reviewed_on = models.DateField("date of review")
    assessor = models.CharField(max_length=200)
    assessing_body = models.CharField(max_length=200, blank=True)
    result = models.TextField()
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="previous review",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Optimistic locking as pps.versioning does it, under another name because `version`
    # here is the framework version reviewed: quality.actions.edit_review raises it by one
    # on every edit and refuses an edit opened at an older revision.
    revision = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.reviewed_on:%-d %B %Y}"


class ElementBand(ServiceRecord):
    review = models.ForeignKey(ExternalReview, on_delete=models.CASCADE, related_name="bands")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    level = level_field("band")

    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "standard__position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "standard"], name="one_band_an_element")
        ]

    def __str__(self):
        return f"{self.standard.code} at {self.review}"


class ActionItem(ServiceRecord, VersionedModel):
    review = models.ForeignKey(ExternalReview, on_delete=models.CASCADE, related_name="actions")
    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="+", verbose_name="element"
    )
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    finding = models.TextField(help_text="What the assessor found short of full compliance.")
    progress = models.TextField("evidence of progress", blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "standard__position", "id"]

    def __str__(self):
        return f"{self.standard.code}: {self.get_status_display()}"
