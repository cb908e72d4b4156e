"""IPS monthly returns of casework hours, and the months a coordinator has locked."""

import operator
from decimal import Decimal
from functools import reduce

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from pps.models import ServiceRecord
from volunteers.models.register import Volunteer


class MonthlyReturn(ServiceRecord):
    """An IPS volunteer's hours of casework support in one month, by nature of support.

    Supervision and CPD are not casework and are not returned here (docs/domain.md,
    "Active IPS and IPS hours").
    """

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


class ReturnMonthLock(ServiceRecord):
    """A month of returns the coordinator has closed: its returns can no longer be sent or
    corrected until a coordinator unlocks it (the lock row is then deleted; the history
    keeps who locked and unlocked it, and when)."""

    month = models.DateField(help_text="The first day of the month locked.")
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    locked_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["service", "month"], name="one_lock_a_month")
        ]

    def __str__(self):
        return f"Returns for {self.month:%B %Y} locked"
