from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from casework.enums import ContactMethod
from casework.models.case import Case
from pps.models import ServiceRecord


class Contact(ServiceRecord):
    """One piece of work on a case (docs/domain.md, "Contacts and enquiries"), by a member of staff
    or a volunteer."""

    PERSONAL_FIELDS = ("note", "follow_up")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    at = models.DateTimeField("when")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts"
    )
    # Set when a volunteer logged it: their contacts count as contacts, not as office hours.
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    method = models.CharField(max_length=16, choices=ContactMethod.choices)
    minutes = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    follow_up = models.CharField("follow-up action", max_length=300, blank=True)
    follow_up_due_on = models.DateField("follow-up due on", null=True, blank=True)
    follow_up_done_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "-at"]),
            # Covering: the reports' counts, minutes and service users of a period are read
            # from the index alone (an index-only scan), never from the contacts' rows.
            models.Index(
                fields=["service", "at"],
                include=["minutes", "volunteer", "case"],
                name="contact_by_service_at",
            ),
            models.Index(
                fields=["by", "follow_up_due_on"],
                condition=Q(follow_up_due_on__isnull=False, follow_up_done_on__isnull=True),
                name="contact_follow_up_open",
            ),
        ]

    def __str__(self):
        return f"{self.get_method_display()} on {self.at:%d %B %Y}"
