from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from casework.enums import FeedbackAbout, FeedbackChannel, FeedbackKind
from pps.models import ServiceRecord
from pps.versioning import VersionedModel


class Feedback(ServiceRecord, VersionedModel):
    """A complaint, compliment or suggestion (docs/domain.md,
    "Complaints, compliments and suggestions"; Charter Mark 4.3.4 and 4.3.5)."""

    PERSONAL_FIELDS = ("from_name", "summary", "response")

    kind = models.CharField("type", max_length=12, choices=FeedbackKind.choices)
    received_on = models.DateField()
    channel = models.CharField(max_length=16, choices=FeedbackChannel.choices)
    about = models.CharField(max_length=12, choices=FeedbackAbout.choices)
    from_name = models.CharField("from", max_length=200, blank=True)
    summary = models.TextField()
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    improvement = models.TextField("resulting improvement", blank=True)
    publishable = models.BooleanField(
        default=False, help_text="May be summarised in published reports (never with a name)."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "complaint, compliment or suggestion"
        verbose_name_plural = "complaints, compliments and suggestions"

    def __str__(self):
        return f"{self.get_kind_display()} of {self.received_on:%d %B %Y}"
