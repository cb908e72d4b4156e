from django.db import models
from django.db.models import Q
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from pps.models import Service
from pps.versioning import VersionedModel
from quality.enums import MemberType


class SteeringSeatQuerySet(models.QuerySet):
    def held_on(self, day):
        """Seats filled on `day`: joined on or before it, not yet left (leaves at `left_on`)."""
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))


class SteeringSeat(VersionedModel):
    """A seat on the steering or advisory group, by member type, with no name: the
    evidence for "parents on the steering group" (benchmarking; Charter Mark 4.2.3)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    member_type = models.CharField(max_length=20, choices=MemberType.choices)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    objects = ScopedManager(
        _manager_class=models.Manager.from_queryset(SteeringSeatQuerySet), service="service"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["member_type", "joined_on", "id"]

    def __str__(self):
        return f"{self.get_member_type_display()} from {self.joined_on:%-d %B %Y}"
