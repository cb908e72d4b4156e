from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from pps.loading import QuickLoadModel
from pps.roles import Role
from pps.versioning import VersionedModel


class Service(VersionedModel):
    """A Parent Partnership Service: the tenant every other record belongs to.

    Its settings are edited by its coordinators (versioned, so two cannot overwrite each
    other) and every change is kept in its history.
    """

    name = models.CharField(max_length=200, unique=True)
    local_authority = models.CharField(max_length=200)
    academic_year_start_month = models.PositiveSmallIntegerField(
        default=9, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    # docs/domain.md, "Working days and the response standard": "respond to every enquiry within 2
    # working days (some services use 3)".
    response_standard_days = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    evaluation_link_days = models.PositiveSmallIntegerField(
        "days an evaluation link stays open",
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
    )
    # docs/domain.md, "Evaluations": satisfaction against the target, by default 85% Good or better.
    satisfaction_target = models.PositiveSmallIntegerField(
        "parent satisfaction target (%)",
        default=85,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # On top of the absolute session age (SESSION_COOKIE_AGE): a signed-in screen left
    # unattended this long signs itself out (pps.middleware.IdleTimeoutMiddleware).
    idle_timeout_minutes = models.PositiveSmallIntegerField(
        "minutes without activity before signing out",
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    reference_prefix = models.CharField(
        max_length=6, default="PPS", help_text="Case references look like PPS-2026-0042."
    )
    # Printed at the head of letters made from a case (casework/letters.py).
    postal_address = models.TextField(
        blank=True, help_text="Printed at the top of letters, with the phone number."
    )
    phone = models.CharField("phone number", max_length=40, blank=True)
    # The network report compares the services of one installation that agreed to it
    # (docs/reporting.md, "The network report"); a service that did not is left out of
    # it altogether, and its coordinator does not see the other services' figures either.
    network_member = models.BooleanField(
        "take part in the network report",
        default=False,
        help_text="Your figures are compared with other services' under a number, never your "
        "name; your coordinators see the network report.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ServiceRecord(QuickLoadModel):
    """A record of one service: its `service`, and a default manager that reads only the
    rows of the services in scope (django-scopes; docs/architecture.md, "Tenant scope").
    A record with a manager or link of its own (Case, Locality) says both itself."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager(service="service")

    class Meta:
        abstract = True


class Locality(VersionedModel):
    """An area of the service (e.g. "Fenland"); cases, parents, staff and volunteers have some."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="localities")
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)
    is_not_known = models.BooleanField(
        default=False, help_text="Left out of 'of those who told us' percentages."
    )

    objects = ScopedManager(service="service")

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "localities"
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="locality_unique_name")
        ]

    def __str__(self):
        return self.name


class User(QuickLoadModel, AbstractUser):
    """A person who signs in: belongs to one service with one role (docs/domain.md,
    "Users and roles").

    Superusers may have no service: they use the Django admin only. Network analysts work
    across services and so have none either.
    """

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.CASE_OFFICER)
    localities = models.ManyToManyField(Locality, blank=True, related_name="staff")
    fte = models.DecimalField(
        "full-time equivalent", max_digits=4, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["first_name", "last_name"]

    def __str__(self):
        return self.get_full_name() or self.username


class AccessLog(ServiceRecord):
    """One row per page, PDF or export that showed personal data (docs/domain.md, "Audit").

    Written only by pps.audit.PersonalDataMixin, never by hand in a view.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"
        # A coordinator deleted a colleague's second factor (object_type "user").
        RESET_SECOND_FACTOR = "reset_2fa", "Reset second factor"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    path = models.CharField(max_length=500)
    # What was shown: "case", "parent", "child" or a list name; object_id is null for lists.
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField(null=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["service", "object_type", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_type} {self.object_id or ''}".strip()


class CalendarDay(QuickLoadModel):
    """One day of the working-day calendar of England (pps/workingdays.py, docs/domain.md,
    "Working days and the response standard").

    `ordinal` counts the working days from the calendar's first day up to and including
    this one, so the working days after a day of receipt up to and including an answer are
    `ordinal(answer) - ordinal(receipt)`: the database finds response times by a subtraction.
    A weekend or bank holiday carries the ordinal of the working day before it. The rows are
    written by pps.workingdays.refresh_calendar after every migrate, from the maintained
    bank-holiday source, so they are never edited by hand.
    """

    # Not a record of the service: backups leave it out (pps/backup.py), since migrate
    # writes it again wherever a backup is restored.
    REBUILT_AT_MIGRATE = True

    day = models.DateField(primary_key=True)
    working = models.BooleanField()
    ordinal = models.IntegerField()

    class Meta:
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%d %B %Y}"


class GeneratedDocument(ServiceRecord):
    """A document built by the background worker (docs/decisions/0018-background-worker.md).

    Its lifecycle: queued when asked for, building while a worker holds it, then ready (the
    file is in default storage) or failed (with the reason). A build that stops without
    finishing, or a queued one whose task is gone, is noticed after
    PPS_DOCUMENT_BUILD_TIMEOUT and queued again (a dead build once, then it is failed)
    (pps.documents.recover_stale_builds). Written only through pps/documents.py.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    # Which builder makes it (pps.documents.register_builder) and what it was asked for.
    kind = models.CharField(max_length=40)
    parameters = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=300)
    # Whether the file may hold personal data: then only coordinators and the person who
    # asked see it (pps.access.documents_visible_to) and each download is recorded in the
    # access log (docs/domain.md, "Audit").
    holds_personal_data = models.BooleanField(default=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    failure_reason = models.CharField(max_length=500, blank=True)
    # Through default_storage, never a path on this machine: several workers on several
    # machines share whatever storage is configured.
    file = models.FileField(upload_to="generated/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The django-tasks result of the latest enqueue, to notice a queued document whose task
    # is gone (pps.documents.recover_stale_builds).
    task_id = models.CharField(max_length=64, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["service", "-requested_at"]),
            # The stale-build check reads only the few rows queued or being built.
            models.Index(
                fields=["service", "status"],
                name="pps_document_in_progress",
                condition=models.Q(status__in=["queued", "building"]),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.BUILDING)
