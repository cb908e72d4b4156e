"""The register of volunteers: Independent Parental Supporters (IPS) and other volunteers.

A volunteer's status moves through a pipeline (enquirer to left); every move is kept as a
dated VolunteerStatusChange, from which the reports count active IPS on any day.
"""

import operator
from decimal import Decimal
from functools import reduce

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from pps.models import Locality, Service
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


class VolunteerStatusChange(models.Model):
    """A dated move in the pipeline: append-only, counted by the reports (docs/domain.md,
    "Active IPS and IPS hours")."""

    # Why a volunteer paused or left is about them (health, family).
    PERSONAL_FIELDS = ("note",)

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
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

    objects = ScopedManager(service="service")

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["service", "on"])]

    def __str__(self):
        return f"{self.get_status_display()} from {self.on:%-d %B %Y}"


class MonthlyReturn(models.Model):
    """An IPS volunteer's hours of casework support in one month, by nature of support.

    Supervision and CPD are not casework and are not returned here (docs/domain.md,
    "Active IPS and IPS hours").
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="monthly_returns"
    )
    month = models.DateField(help_text="The first day of the month returned.")
    phone_hours = models.DecimalField("phone", max_digits=5, decimal_places=2, default=0)
    meeting_hours = models.DecimalField("meetings", max_digits=5, decimal_places=2, default=0)
    paperwork_hours = models.DecimalField("paperwork", max_digits=5, decimal_places=2, default=0)
    tribunal_hours = models.DecimalField(
        "tribunal preparation", max_digits=5, decimal_places=2, default=0
    )
    # Travel and out-of-pocket costs claimed with the return; neither counts as hours.
    miles = models.DecimalField(
        "mileage (miles)",
        max_digits=6,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0, "Miles cannot be negative.")],
    )
    expenses = models.DecimalField(
        "expenses (£)",
        max_digits=7,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0, "Expenses cannot be negative.")],
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    # The last correction by the volunteer (the history keeps what it replaced).
    corrected_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(service="service")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "month"], name="one_return_a_month")
        ]

    # The kinds of casework support a return counts: their sum is the month's IPS hours
    # (the reports add them up in the database with `hours_in_database`).
    HOURS = ("phone_hours", "meeting_hours", "paperwork_hours", "tribunal_hours")

    def __str__(self):
        return f"{self.volunteer}: {self.month:%B %Y}"

    @property
    def total_hours(self) -> Decimal:
        return sum((getattr(self, name) for name in self.HOURS), Decimal(0))

    @classmethod
    def hours_in_database(cls) -> models.Expression:
        """A return's total hours as an expression over its row."""
        return reduce(operator.add, (models.F(name) for name in cls.HOURS))


class ReturnMonthLock(models.Model):
    """A month of returns the coordinator has closed: its returns can no longer be sent or
    corrected until a coordinator unlocks it (the lock row is then deleted; the history
    keeps who locked and unlocked it, and when)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month locked.")
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    locked_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(service="service")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["service", "month"], name="one_lock_a_month")
        ]

    def __str__(self):
        return f"Returns for {self.month:%B %Y} locked"


class SupervisionKind(models.TextChoices):
    SUPERVISION = "supervision", "Supervision"
    CPD = "cpd", "Continuing professional development"


class SupervisionSession(models.Model):
    """Supervision or CPD with a volunteer; neither counts as IPS casework hours."""

    PERSONAL_FIELDS = ("notes",)

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
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

    objects = ScopedManager(service="service")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.on:%-d %B %Y}"


class TrainingCourse(VersionedModel):
    """A course for volunteers, such as the 5.5-day initial IPS course (spring and autumn)."""

    MIN_TRAINEES = 6
    MAX_TRAINEES = 10

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    initial_ips_course = models.BooleanField(
        "initial IPS course",
        default=True,
        help_text="Completing it records the trainee's initial IPS training.",
    )
    venue = models.CharField(max_length=200, blank=True)
    tutors = models.CharField(max_length=200, blank=True)
    moderated_on = models.DateField("external moderation on", null=True, blank=True)
    moderation_outcome = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(service="service")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class CourseSession(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="sessions")
    on = models.DateField()
    topic = models.CharField(max_length=200)
    tutor = models.CharField(max_length=200, blank=True)
    days = models.DecimalField(
        max_digits=3, decimal_places=1, default=1, help_text="Length in days, e.g. 0.5."
    )
    attended_by = models.ManyToManyField(Volunteer, blank=True, related_name="sessions_attended")

    objects = ScopedManager(service="service")

    class Meta:
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.topic} ({self.on:%-d %B %Y})"


class Enrolment(models.Model):
    """A trainee on a course, and whether and when they completed it."""

    PERSONAL_FIELDS = ("certificate", "feedback")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="enrolments")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="enrolments")
    completed_on = models.DateField(null=True, blank=True)
    certificate = models.CharField(max_length=200, blank=True)
    feedback = models.TextField("trainee feedback", blank=True)

    objects = ScopedManager(service="service")
    history = HistoricalRecords()

    class Meta:
        ordering = ["volunteer__first_name", "volunteer__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "volunteer"], name="enrolled_once")
        ]

    def __str__(self):
        return f"{self.volunteer} on {self.course}"


class MeetingKind(models.TextChoices):
    COFFEE_MORNING = "coffee_morning", "Coffee morning for prospective volunteers"
    SUPPORT_MEETING = "support_meeting", "Support meeting for volunteers"


class VolunteerMeeting(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
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

    objects = ScopedManager(service="service")

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.on:%-d %B %Y}"
