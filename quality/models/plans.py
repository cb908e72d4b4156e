"""Development (business) plans: per standard, what the service will do in a year.

The entries are the working copy a coordinator edits. Recording an update takes a dated
copy of every entry (PlanUpdateEntry), so every update is kept and a reader can see what
changed since the one before, as Norfolk printed in brown (seed norfolk-business-plan-update-2010).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from pps.loading import QuickLoadModel
from pps.models import ServiceRecord
from pps.versioning import VersionedModel
from quality.models.frameworks import FrameworkVersion, Standard
from reports.periods import year_label

# The words of an entry, in the order a plan shows them; compared between updates.
ENTRY_TEXT_FIELDS = (
    "current_level",
    "activities",
    "objectives",
    "timescales",
    "comments",
    "monitoring",
    "evidence",
    "progress",
)


class DevelopmentPlan(ServiceRecord):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="plans", verbose_name="framework"
    )
    start_year = models.PositiveSmallIntegerField(
        "academic year starting", help_text="2025 for the plan of 2025/26."
    )
    title = models.CharField(max_length=200)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_year", "title"]

    def __str__(self):
        return self.title

    @property
    def year_label(self) -> str:
        return year_label(self.start_year)


class PlanEntryText(QuickLoadModel):
    """The words of a plan entry (docs/domain.md, "Standards, self-assessments and plans": current
    level, activities, objectives with timescale, comments, monitoring and evaluation, progress; and
    the evidence that the standard is met, the regional plan's "Evidence" column beside
    "Progress")."""

    current_level = models.CharField("current level", max_length=200, blank=True)
    activities = models.TextField(blank=True)
    objectives = models.TextField("service objectives", blank=True)
    timescales = models.CharField(
        "timescale",
        max_length=40,
        blank=True,
        help_text="Short, medium or long term (any of them).",
    )
    comments = models.TextField(blank=True)
    monitoring = models.TextField("monitoring and evaluation", blank=True)
    evidence = models.TextField(blank=True)
    progress = models.TextField(blank=True)

    class Meta:
        abstract = True


class PlanEntry(ServiceRecord, VersionedModel, PlanEntryText):
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="entries")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "standard__position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "standard"], name="plan_entry_a_standard")
        ]
        verbose_name_plural = "plan entries"

    def __str__(self):
        return f"{self.standard.code} in {self.plan}"


class PlanUpdate(ServiceRecord):
    """A dated update of the plan, as the steering group reads it (published)."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="updates")
    number = models.PositiveIntegerField()
    made_on = models.DateField("update of")
    note = models.CharField(max_length=300, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_update_number")
        ]

    def __str__(self):
        return f"Update {self.number} of {self.made_on:%-d %B %Y}"


class PlanUpdateEntry(ServiceRecord, PlanEntryText):
    """An entry's words as they stood at an update: never changed afterwards."""

    update = models.ForeignKey(PlanUpdate, on_delete=models.CASCADE, related_name="entries")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["update", "standard__position"]
        constraints = [
            models.UniqueConstraint(fields=["update", "standard"], name="update_entry_a_standard")
        ]

    def __str__(self):
        return f"{self.standard.code} at {self.update}"
