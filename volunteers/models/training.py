"""Training courses, their sessions, and who enrolled, attended and completed."""

from django.db import models
from simple_history.models import HistoricalRecords

from pps.models import ServiceRecord
from pps.versioning import VersionedModel
from volunteers.models.register import Volunteer


class TrainingCourse(ServiceRecord, VersionedModel):
    """A course for volunteers, such as the 5.5-day initial IPS course (spring and autumn)."""

    MIN_TRAINEES = 6
    MAX_TRAINEES = 10

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

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class CourseSession(ServiceRecord):
    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="sessions")
    on = models.DateField()
    topic = models.CharField(max_length=200)
    tutor = models.CharField(max_length=200, blank=True)
    days = models.DecimalField(
        max_digits=3, decimal_places=1, default=1, help_text="Length in days, e.g. 0.5."
    )
    attended_by = models.ManyToManyField(Volunteer, blank=True, related_name="sessions_attended")

    class Meta:
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.topic} ({self.on:%-d %B %Y})"


class Enrolment(ServiceRecord):
    """A trainee on a course, and whether and when they completed it."""

    PERSONAL_FIELDS = ("certificate", "feedback")

    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="enrolments")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="enrolments")
    completed_on = models.DateField(null=True, blank=True)
    certificate = models.CharField(max_length=200, blank=True)
    feedback = models.TextField("trainee feedback", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["volunteer__first_name", "volunteer__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "volunteer"], name="enrolled_once")
        ]

    def __str__(self):
        return f"{self.volunteer} on {self.course}"
