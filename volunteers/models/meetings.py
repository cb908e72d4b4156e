"""Meetings with volunteers (team meetings, briefings) and who attended."""

from django.db import models

from pps.models import ServiceRecord
from volunteers.models.register import Volunteer


class MeetingKind(models.TextChoices):
    COFFEE_MORNING = "coffee_morning", "Coffee morning for prospective volunteers"
    SUPPORT_MEETING = "support_meeting", "Support meeting for volunteers"


class VolunteerMeeting(ServiceRecord):
    kind = models.CharField(max_length=16, choices=MeetingKind.choices)
    on = models.DateField()
    venue = models.CharField(max_length=200, blank=True)
    attended_by = models.ManyToManyField(
        Volunteer,
        blank=True,
        related_name="meetings_attended",
        help_text="Those on the register who came.",
    )
    other_attendees = models.PositiveSmallIntegerField(
        default=0, help_text="Others who came and are not (yet) on the register."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.on:%-d %B %Y}"
