"""Volunteers, their pipeline of dated statuses, and their supervision and CPD."""

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from pps.models import Locality, Service, ServiceRecord
from pps.versioning import VersionedModel


class VolunteerRole(models.TextChoices):
    IPS = "ips", "Independent Parental Supporter"
    OTHER = "other", "Other volunteer"


class VolunteerStatus(models.TextChoices):
    ENQUIRER = "enquirer", "Enquirer"
    APPLICANT = "applicant", "Applicant"
    IN_TRAINING = "in_training", "In training"
    SHADOWING = "shadowing", "Shadowing"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    LEFT = "left", "Left"


class Volunteer(VersionedModel):
    PERSONAL_FIELDS = (
        "first_name",
        "last_name",
        "email",
        "phone",
        "languages",
        "availability",
        "dbs_reference",
    )

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="volunteers")
    # The account a volunteer signs in with; none for volunteers who never use the product.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    role = models.CharField(max_length=10, choices=VolunteerRole.choices, default=VolunteerRole.IPS)
    status = models.CharField(
        max_length=12, choices=VolunteerStatus.choices, default=VolunteerStatus.ENQUIRER
    )
    languages = models.CharField(max_length=200, blank=True, help_text="Besides English.")
    localities = models.ManyToManyField(Locality, blank=True, related_name="volunteers")
    availability = models.CharField(max_length=200, blank=True)
    dbs_checked_on = models.DateField("DBS check date", null=True, blank=True)
    dbs_reference = models.CharField("DBS certificate number", max_length=40, blank=True)
    dbs_renewal_due_on = models.DateField("DBS renewal due", null=True, blank=True)
    references_received_on = models.DateField(null=True, blank=True)
    confidentiality_signed_on = models.DateField(
        "confidentiality agreement signed", null=True, blank=True
    )
    initial_training_completed_on = models.DateField(
        "initial IPS course completed", null=True, blank=True
    )
    accreditation = models.CharField(
        max_length=200, blank=True, help_text="E.g. Open College Network credits, certificate."
    )

    objects = ScopedManager(service="service")
    history = HistoricalRecords()

    class Meta:
        ordering = ["first_name", "last_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class VolunteerStatusChange(ServiceRecord):
    """A dated move in the pipeline: append-only, counted by the reports (docs/domain.md,
    "Active IPS and IPS hours")."""

    # Why a volunteer paused or left is about them (health, family).
    PERSONAL_FIELDS = ("note",)

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(max_length=12, choices=VolunteerStatus.choices)
    on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["service", "on"])]

    def __str__(self):
        return f"{self.get_status_display()} from {self.on:%-d %B %Y}"


class SupervisionKind(models.TextChoices):
    SUPERVISION = "supervision", "Supervision"
    CPD = "cpd", "Continuing professional development"


class SupervisionSession(ServiceRecord):
    """Supervision or CPD with a volunteer; neither counts as IPS casework hours."""

    PERSONAL_FIELDS = ("notes",)

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="supervision_sessions"
    )
    kind = models.CharField(
        max_length=12, choices=SupervisionKind.choices, default=SupervisionKind.SUPERVISION
    )
    on = models.DateField()
    topic = models.CharField(max_length=200, blank=True)
    led_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.on:%-d %B %Y}"
