from django.conf import settings
from django.db import models
from django.db.models import Q
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from casework.enums import (
    CaseEventKind,
    CaseStatus,
    ClosureReason,
    Mention,
    OfficialExclusion,
    Outcome,
)
from casework.models.codelists import ContactReason, ReferralRoute
from casework.models.people import Child, Parent
from pps.links import record_url
from pps.loading import QuickLoadModel
from pps.models import Locality, Service, ServiceRecord
from pps.versioning import VersionedModel


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=CaseStatus.OPEN)


class Case(VersionedModel):
    """One casework service to one parent about one child (docs/domain.md, "Cases and case events").

    `status`, `closed_on`, `last_contact_on` and `last_activity_on` are kept by the actions in the
    same transaction as the event or contact that changes them, so that lists need no
    aggregate; the CaseEvent rows remain the record that reports count.
    """

    PERSONAL_FIELDS = ("tribunal_notes", "closing_summary")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    reference = models.CharField(max_length=20)
    parent = models.ForeignKey(Parent, on_delete=models.PROTECT, related_name="cases")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cases")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="case officer",
    )
    locality = models.ForeignKey(
        Locality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(help_text="When the details were first taken.")
    opened_on = models.DateField()
    referral_route = models.ForeignKey(
        ReferralRoute,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="how the case reached us",
    )
    primary_reason = models.ForeignKey(
        ContactReason,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="primary reason for contact",
    )
    secondary_reasons = models.ManyToManyField(
        ContactReason, blank=True, related_name="+", verbose_name="secondary issues"
    )
    status = models.CharField(max_length=6, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=12, choices=ClosureReason.choices, blank=True)
    outcome = models.CharField(
        "outcome at close", max_length=20, choices=Outcome.choices, blank=True
    )
    # The latest closing's summary (each closing keeps its own on its CaseEvent).
    closing_summary = models.TextField(blank=True, editable=False)
    bullying = models.CharField(max_length=10, choices=Mention.choices, default=Mention.NONE)
    unofficial_exclusion = models.CharField(
        max_length=10, choices=Mention.choices, default=Mention.NONE
    )
    official_exclusion = models.CharField(
        max_length=10, choices=OfficialExclusion.choices, default=OfficialExclusion.NONE
    )
    tribunal_appeal_on = models.DateField("SEND tribunal appeal lodged on", null=True, blank=True)
    tribunal_active_involvement = models.BooleanField(
        "service actively involved in the 6 months before the appeal", null=True, blank=True
    )
    disagreement_resolution_on = models.DateField(
        "referred to disagreement resolution or mediation on", null=True, blank=True
    )
    disagreement_resolution_active_involvement = models.BooleanField(
        "service actively involved in the 6 months before the referral", null=True, blank=True
    )
    tribunal_notes = models.TextField(blank=True)
    last_contact_on = models.DateField(null=True, blank=True)
    # The later of the last contact and the latest opening or re-opening: a case is due for
    # closure 3 months after it (docs/domain.md, "Due dates"), and a re-opened case starts a new
    # clock.
    last_activity_on = models.DateField(null=True, blank=True)
    evaluation_sent_on = models.DateField("parent evaluation last sent on", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(
        _manager_class=models.Manager.from_queryset(CaseQuerySet), service="service"
    )
    history = HistoricalRecords(
        m2m_fields=[secondary_reasons], excluded_fields=["last_contact_on", "last_activity_on"]
    )

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "reference"], name="case_unique_reference"),
            # One open case per parent and child: a double submit cannot open a second one.
            models.UniqueConstraint(
                fields=["parent", "child"], condition=Q(status="open"), name="case_open_once"
            ),
        ]
        indexes = [
            # The case list: a service's cases, newest opened first, a page at a time; the
            # id breaks ties so that pages neither repeat nor skip a case.
            models.Index(fields=["service", "opened_on", "id"], name="case_by_opening"),
            # Parent evaluations due (casework.queries.evaluations_due_for): cases not sent an
            # evaluation since their last contact, by last contact, per service and officer.
            models.Index(
                fields=["service", "last_contact_on", "id"],
                condition=Q(evaluation_sent_on__isnull=True)
                | Q(evaluation_sent_on__lt=models.F("last_contact_on")),
                name="case_evaluation_due",
            ),
            models.Index(
                fields=["officer", "last_contact_on", "id"],
                condition=Q(evaluation_sent_on__isnull=True)
                | Q(evaluation_sent_on__lt=models.F("last_contact_on")),
                name="case_evaluation_due_by_officer",
            ),
            # "My work" and the open-case list read open cases per officer and per service.
            models.Index(
                fields=["officer", "last_activity_on"],
                condition=Q(status="open"),
                name="case_open_by_officer",
            ),
            models.Index(
                fields=["service", "last_activity_on"],
                condition=Q(status="open"),
                name="case_open_by_service",
            ),
            # Response times read the cases received in a period (reports.queries), from
            # the index alone (PostgreSQL): no table page read, and so no parallel plan.
            models.Index(
                fields=["service", "received_on"],
                include=["id"],
                name="case_received_by_service",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return record_url("casework:case-detail", self.pk)

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class CaseEvent(ServiceRecord):
    """A dated opening, closing or re-opening: append-only, counted by the reports (4.0)."""

    PERSONAL_FIELDS = ("closing_summary",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=CaseEventKind.choices)
    on = models.DateField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    closure_reason = models.CharField(max_length=12, choices=ClosureReason.choices, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    # On a closing: what was done and where the family was left, in the officer's words.
    closing_summary = models.TextField(blank=True)
    # On an opening or re-opening: the day of the closing that ended it, empty while the
    # case stays open (and on closings). Kept by casework.actions.close_case in the closing's
    # transaction, so "open at the end of a day" is a range test on the openings alone and a
    # report's cost follows its period rather than each case's whole history.
    ended_on = models.DateField(null=True, blank=True, editable=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # "In the order they happened": by day, then by the order they were recorded.
        ordering = ["on", "id"]
        indexes = [
            # Both cover what case movements read (PostgreSQL; SQLite builds them without
            # the extra columns): the index answers alone, no table page is read.
            models.Index(
                fields=["service", "on"],
                include=["kind", "ended_on", "case"],
                name="case_event_by_service_on",
            ),
            models.Index(fields=["case", "on"]),
            # The openings still open at a day, or ended after it: case movements read
            # these and the events of their period, never a service's whole history.
            models.Index(
                fields=["service", "ended_on"],
                include=["kind", "on", "case"],
                condition=Q(kind__in=["opened", "reopened"]),
                name="case_event_opening_end",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.on:%d %B %Y}"


class AllocationQuerySet(models.QuerySet):
    def current(self, today):
        """Allocations in force on `today`: started, and not yet ended (ends at `ended_on`)."""
        return self.filter(started_on__lte=today).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=today)
        )


class Allocation(QuickLoadModel):
    """An IPS volunteer allocated to a case from `started_on` until `ended_on`.

    The volunteer sees the case only while the allocation is current: from the day it
    starts, and no longer from the day it ends.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allocations")
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.PROTECT, related_name="allocations"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(
        _manager_class=models.Manager.from_queryset(AllocationQuerySet), service="service"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            # A volunteer is allocated to a case once until that allocation ends.
            models.UniqueConstraint(
                fields=["case", "volunteer"],
                condition=Q(ended_on__isnull=True),
                name="allocation_open_once",
            )
        ]

    def __str__(self):
        return f"{self.volunteer} on {self.case}"
