from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from casework.models import Parent
from pps.models import GeneratedDocument, ServiceRecord


class SubjectAccessRequest(ServiceRecord):
    """A parent's request for everything the service holds about them and their children
    (docs/data-lifecycle.md, "Subject access requests").

    Recorded, given its bundle and completed through access_requests.actions; every change
    is kept in its history.
    """

    # Who asked may be someone acting for the parent; the redacted names are other people's.
    PERSONAL_FIELDS = ("requester", "redacted_names")

    parent = models.ForeignKey(
        Parent, on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    received_on = models.DateField()
    requester = models.CharField(
        "who asked and how",
        max_length=300,
        blank=True,
        help_text="For example: the parent, by email to the office.",
    )
    # Computed once from received_on by access_requests.rules.due_on.
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The names replaced by "[redacted]" in the latest bundle, one a line, and how many.
    redacted_names = models.TextField(blank=True)
    redacted_count = models.PositiveSmallIntegerField(default=0)
    # The latest bundle made: the document records who asked for it and when it was built.
    bundle = models.ForeignKey(
        GeneratedDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # The list of open requests, soonest due first.
            models.Index(
                fields=["service", "due_on"],
                condition=models.Q(completed_on__isnull=True),
                name="sar_open_by_due",
            )
        ]

    def __str__(self):
        return f"Subject access request of {self.received_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.completed_on is None

    def redacted_name_list(self) -> list[str]:
        return [line.strip() for line in self.redacted_names.splitlines() if line.strip()]
