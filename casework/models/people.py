from django.db import models
from simple_history.models import HistoricalRecords

from casework.enums import (
    AccessibleFormat,
    ContactPreference,
    Ethnicity,
    Gender,
    SenStage,
    SenStatus,
)
from casework.models.codelists import NeedArea, SchoolType
from pps.models import Locality, ServiceRecord
from pps.versioning import VersionedModel


def full_name(first_name: str, last_name: str) -> str:
    """How a parent or child is named on a page: "first last" (their str(), and the
    lists read as plain values, casework.queries.caseload_rows)."""
    return f"{first_name} {last_name}"


class Parent(ServiceRecord, VersionedModel):
    """A parent or carer the service works with (docs/domain.md, "Parents and children")."""

    PERSONAL_FIELDS = (
        "first_name",
        "last_name",
        "email",
        "phone",
        "address",
        "postcode",
        "ethnicity",
        "first_language",
        "consent_details",
        "notes",
    )

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    preferred_contact = models.CharField(
        "preferred contact method",
        max_length=10,
        choices=ContactPreference.choices,
        default=ContactPreference.PHONE,
    )
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    locality = models.ForeignKey(
        Locality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ethnicity = models.CharField(
        max_length=20, choices=Ethnicity.choices, default=Ethnicity.NOT_STATED
    )
    first_language = models.CharField(max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)
    accessible_formats = models.JSONField(
        default=list,
        blank=True,
        help_text="Any of: " + ", ".join(label for _, label in AccessibleFormat.choices),
    )
    consent_recorded_on = models.DateField(null=True, blank=True)
    consent_details = models.TextField(blank=True, help_text="What may be shared, and with whom.")
    confidentiality_explained_on = models.DateField(
        "confidentiality policy explained on", null=True, blank=True
    )
    mailing_list = models.BooleanField("on the mailing list / parents' forum", default=False)
    willing_to_be_consulted = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["service", "last_name"])]

    def __str__(self):
        return full_name(self.first_name, self.last_name)


class Child(ServiceRecord, VersionedModel):
    PERSONAL_FIELDS = ("first_name", "last_name", "date_of_birth", "school_name")

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=10, choices=Gender.choices, default=Gender.NOT_KNOWN)
    school_name = models.CharField(max_length=200, blank=True)
    school_type = models.ForeignKey(
        SchoolType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sen_status = models.CharField(
        "SEN status", max_length=10, choices=SenStatus.choices, default=SenStatus.NOT_KNOWN
    )
    sen_stage = models.CharField(
        "SEN stage", max_length=24, choices=SenStage.choices, blank=True, default=SenStage.NONE
    )
    primary_need = models.ForeignKey(
        NeedArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    secondary_needs = models.ManyToManyField(NeedArea, blank=True, related_name="+")
    not_in_full_time_education = models.BooleanField(default=False)

    history = HistoricalRecords(m2m_fields=[secondary_needs])

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        indexes = [models.Index(fields=["service", "last_name"])]

    def __str__(self):
        return full_name(self.first_name, self.last_name)
