from django.conf import settings
from django.db import models

from evaluations.enums import EventKind
from pps.links import record_url
from pps.models import ServiceRecord
from pps.versioning import VersionedModel


class Event(ServiceRecord, VersionedModel):
    """A forum meeting, road show, training or meeting the service ran or attended
    (docs/domain.md, "Events"). Attendance is counted, never named."""

    kind = models.CharField(max_length=24, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    topic = models.CharField(max_length=200, blank=True)
    on = models.DateField("date")
    venue = models.CharField(max_length=200, blank=True)
    speaker = models.CharField("speaker or trainer", max_length=200, blank=True)
    parents_attending = models.PositiveSmallIntegerField(default=0)
    professionals_attending = models.PositiveSmallIntegerField(default=0)
    volunteers_attending = models.PositiveSmallIntegerField(default=0)
    evaluation_summary = models.TextField(blank=True)
    # The steering group reads the title, topic, venue and summary only once a coordinator
    # has cleared them; never the speaker's name (docs/architecture.md).
    cleared_for_steering = models.BooleanField(
        "details cleared for the steering group",
        default=False,
        help_text="The title, topic, venue and evaluation summary may be read by the steering "
        "group. The speaker or trainer is never shown to them.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["service", "on"])]

    def __str__(self):
        return f"{self.title} ({self.on:%-d %B %Y})"

    def get_absolute_url(self):
        return record_url("evaluations:event-detail", self.pk)

    @property
    def attendance(self) -> int:
        return self.parents_attending + self.professionals_attending + self.volunteers_attending
