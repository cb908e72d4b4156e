"""Code lists a coordinator edits for their service (docs/domain.md, "Records"), shipped with its
values.

Localities live in pps (staff and volunteers cover them too). Lists that reports count by
fixed categories (gender, SEN status, ethnicity, contact method...) are enums, not here.
"""

from django.db import models

from pps.models import ServiceRecord
from pps.versioning import VersionedModel


class CodeListItem(ServiceRecord, VersionedModel):
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Inactive values stay on old records.")
    is_not_known = models.BooleanField(
        default=False, help_text="Left out of 'of those who told us' percentages."
    )

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ReferralRoute(CodeListItem):
    """How a case reached the service."""

    class Meta(CodeListItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="referralroute_unique_name")
        ]


class ContactReason(CodeListItem):
    """Reasons for contact: a case's primary reason and secondary issues; enquiry topics."""

    class Meta(CodeListItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="contactreason_unique_name")
        ]


class NeedArea(CodeListItem):
    """Areas of need: a top-level area, or a sub-type of one (its `area`)."""

    area = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="subtypes"
    )

    class Meta(CodeListItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["service", "area", "name"], name="needarea_unique")
        ]

    def __str__(self):
        if self.area_id:
            return f"{self.area.name}: {self.name}"
        return self.name


class SchoolType(CodeListItem):
    class Meta(CodeListItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="schooltype_unique_name")
        ]
