import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from casework.enums import AppointmentStatus, ContactMethod
from casework.models.case import Case
from casework.models.contact import Contact
from pps.models import ServiceRecord
from pps.versioning import VersionedModel


class Appointment(ServiceRecord, VersionedModel):
    """A dated meeting or call booked on a case (docs/domain.md, "Contacts and enquiries").

    It counts for nothing in the reports while booked: once held it is recorded as the
    contact it became (`contact`), and that contact is what is counted.
    """

    PERSONAL_FIELDS = ("place", "attendees")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appointments")
    starts_at = models.DateTimeField("starts")
    minutes = models.PositiveIntegerField("length in minutes")
    # The contact methods are the kinds of appointment too (a home visit, a meeting at
    # school, a phone call out), so a held appointment becomes a contact of the same method.
    kind = models.CharField(max_length=16, choices=ContactMethod.choices)
    place = models.CharField(max_length=200, blank=True)
    attendees = models.CharField("who attends", max_length=500, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    status = models.CharField(
        max_length=9, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    contact = models.OneToOneField(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointment"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            # My work: an officer's booked appointments of this week.
            models.Index(
                fields=["officer", "starts_at"],
                condition=Q(status="booked"),
                name="appointment_booked_by_officer",
            ),
            models.Index(fields=["case", "starts_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.starts_at:%d %B %Y}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.minutes)
