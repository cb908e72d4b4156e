"""The volunteer record a case can be allocated to. The full IPS register is issue 3."""

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from pps.models import Locality, Service


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


class Volunteer(models.Model):
    PERSONAL_FIELDS = ("first_name", "last_name", "email", "phone", "languages")

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

    objects = ScopedManager(service="service")
    history = HistoricalRecords()

    class Meta:
        ordering = ["first_name", "last_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"
