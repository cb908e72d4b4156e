"""The retention rule of a service, legal holds, and the record of each anonymisation
(docs/data-lifecycle.md, "Retention, legal holds and anonymisation")."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from casework.models import Parent
from pps.models import Service, ServiceRecord
from pps.versioning import VersionedModel


class RetentionSetting(VersionedModel):
    """How long a service keeps a family's records after their casework ended (docs/domain.md,
    section 6, "Retention"). One row per service, made with the defaults when first read
    (retention.queries.retention_setting_for)."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="+")
    years_after_closure = models.PositiveSmallIntegerField(
        "years a case is kept after it closed",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="From 1 to 50; 6 unless you change it.",
    )
    tribunal_child_age = models.PositiveSmallIntegerField(
        "cases with a tribunal appeal are kept until the child is",
        default=25,
        validators=[MinValueValidator(18), MaxValueValidator(40)],
        help_text="An age from 18 to 40; 25 unless you change it.",
    )

    objects = ScopedManager(service="service")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "retention setting"

    def __str__(self):
        return "Retention"


class LegalHold(ServiceRecord):
    """A family that must not be anonymised while the hold stands (a claim, a complaint to
    the ombudsman, a court order): placed with a reason, released later. The rows are their
    own history: placing and releasing are dated and signed here, never edited."""

    # The reasons are typed by staff and may name people: anonymising the family after the
    # hold is released blanks them like any other personal field.
    PERSONAL_FIELDS = ("reason", "release_reason")

    parent = models.ForeignKey(Parent, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(auto_now_add=True)
    release_reason = models.TextField(blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            # One standing hold per family: a double submit cannot place a second.
            models.UniqueConstraint(
                fields=["parent"], condition=Q(released_at__isnull=True), name="legal_hold_once"
            )
        ]

    def __str__(self):
        return f"Legal hold of {self.placed_at:%d %B %Y}"

    @property
    def standing(self) -> bool:
        return self.released_at is None


class Anonymisation(ServiceRecord):
    """What one anonymisation did: when, by whom, why, and how many rows of each table it
    changed. It holds no personal data: counts by model, never a name or an id of a row."""

    class Trigger(models.TextChoices):
        DUE = "due", "Retention period over"
        REQUEST = "request", "Erasure on request"

    at = models.DateTimeField(auto_now_add=True)
    # None when the operator's monthly command did it (retention_monthly --apply).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    reason = models.CharField(max_length=300, blank=True)
    families = models.PositiveIntegerField()
    # {"casework.Parent": {"rows": 1, "history": 3}, ..., "pps.GeneratedDocument":
    # {"deleted": 1}}: rows changed per model, live and history tables.
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_trigger_display()} on {self.at:%d %B %Y}"


class AnonymisedFamily(ServiceRecord):
    """Marks a parent as anonymised, so that the family is never listed as due again. The
    parent row stays (reports count its cases) with its personal fields blanked."""

    parent = models.OneToOneField(Parent, on_delete=models.CASCADE, related_name="+")
    anonymisation = models.ForeignKey(
        Anonymisation, on_delete=models.CASCADE, related_name="families_done"
    )

    class Meta:
        verbose_name_plural = "anonymised families"

    def __str__(self):
        return f"Family anonymised ({self.anonymisation})"
