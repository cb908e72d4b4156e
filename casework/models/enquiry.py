from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from casework.enums import EnquirerType
from casework.models.case import Case
from casework.models.codelists import ContactReason
from pps.models import ServiceRecord
from pps.versioning import VersionedModel


class Enquiry(ServiceRecord, VersionedModel):
    """A contact that is not (yet) casework (docs/domain.md, "Contacts and enquiries"). Substantial
    ones count as contacts."""

    PERSONAL_FIELDS = ("enquirer_name", "enquirer_contact", "summary")

    received_at = models.DateTimeField("received")
    enquirer_type = models.CharField(
        "from", max_length=12, choices=EnquirerType.choices, default=EnquirerType.PARENT
    )
    enquirer_name = models.CharField("name", max_length=200, blank=True)
    enquirer_contact = models.CharField("phone or email", max_length=200, blank=True)
    topic = models.ForeignKey(
        ContactReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(blank=True)
    minutes = models.PositiveIntegerField(default=0)
    substantial = models.BooleanField(
        "involved substantial time",
        default=False,
        help_text="Substantial enquiries count as contacts in the monthly figures.",
    )
    first_response_on = models.DateField(null=True, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enquiries",
        verbose_name="converted to case",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "enquiries"
        indexes = [
            # Covering: substantial enquiries and response times of a period from the index.
            models.Index(
                fields=["service", "received_at"],
                include=["substantial", "first_response_on"],
                name="enquiry_by_service_received",
            ),
            models.Index(
                fields=["service", "received_at"],
                condition=Q(first_response_on__isnull=True),
                name="enquiry_awaiting_response",
            ),
        ]

    def __str__(self):
        return f"Enquiry of {self.received_at:%d %B %Y}"
