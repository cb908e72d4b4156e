"""What the reports need that no other record holds: the annual report's narrative, written
per academic year, and the phone calls and website visits of each month, entered by hand
(docs/reporting.md)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from pps.models import ServiceRecord
from pps.versioning import VersionedModel
from reports.periods import year_label


class ServiceInput(ServiceRecord, VersionedModel):
    """What a reports record shares: its service, who saved it last and when, a version
    (two people cannot overwrite each other: pps.versioning) and its history."""

    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class NarrativeSection(ServiceInput):
    """One part of an academic year's annual report, in the coordinator's own words.

    `year` is the calendar year the academic year starts in (2025 for 2025/26). A part
    never written has no row; an edit keeps every earlier text in the history.
    """

    class Part(models.TextChoices):
        CONTEXT = "context", "Context"
        ACCOUNTABILITY = "accountability", "Accountability"
        CUSTOMER_JOURNEY = "customer_journey", "The customer journey"
        SERVICE_ACTIVITIES = "service_activities", "Service activities"
        CONCLUSIONS = "conclusions", "Conclusions and challenges"

    year = models.PositiveSmallIntegerField()
    part = models.CharField(max_length=20, choices=Part.choices)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "year", "part"], name="reports_one_text_per_part_and_year"
            )
        ]

    def __str__(self):
        return f"{self.get_part_display()}, {year_label(self.year)}"


class MonthlyActivity(ServiceInput):
    """Telephone calls and website visits of one month, counted outside the product and
    entered on a form. A blank figure was not recorded: reports say so, never 0."""

    # The first day of the month.
    month = models.DateField()
    calls_in = models.PositiveIntegerField("incoming calls", null=True, blank=True)
    calls_out = models.PositiveIntegerField("outgoing calls", null=True, blank=True)
    website_visits = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "month"], name="reports_one_activity_row_per_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="reports_activity_month_starts_on_day_1"
            ),
        ]

    def __str__(self):
        return f"{self.month:%B %Y}"

    def clean(self):
        if self.month and self.month.day != 1:
            raise ValidationError({"month": "Give the first day of the month."})


class Target(ServiceInput):
    """A service's thresholds for one measure of the steering group dashboard
    (docs/reporting.md, "The steering group dashboard"): a figure at or above `green` is
    on target, at or above `amber` below it, under `amber` well below it (red).

    Parent satisfaction's green threshold is the service's own satisfaction target
    (Service.satisfaction_target, the one place it is kept): its row holds the amber
    threshold only. A measure with no row takes the defaults of reports.targets.
    """

    class Measure(models.TextChoices):
        RESPONSE_TIME = "response_time", "Approaches answered within the response standard"
        SATISFACTION = "satisfaction", "Parent satisfaction (Good or better)"
        RETURN_RATE = "return_rate", "Parent evaluation return rate"
        IPS_AVAILABLE = "ips_available", "IPS available (active at the end of the period)"
        SUPERVISION = "supervision", "IPS supervision up to date"

    measure = models.CharField(max_length=20, choices=Measure.choices)
    green = models.PositiveIntegerField(null=True, blank=True)
    amber = models.PositiveIntegerField()

    class Meta:
        ordering = ["measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "measure"], name="reports_one_target_per_measure"
            ),
            # Satisfaction's green threshold lives on the service; every other has its own.
            models.CheckConstraint(
                condition=models.Q(measure="satisfaction", green__isnull=True)
                | (~models.Q(measure="satisfaction") & models.Q(green__isnull=False)),
                name="reports_target_green_unless_satisfaction",
            ),
            models.CheckConstraint(
                condition=models.Q(green__isnull=True) | models.Q(amber__lte=models.F("green")),
                name="reports_target_amber_not_above_green",
            ),
            # Every measure but the number of IPS is a percentage.
            models.CheckConstraint(
                condition=models.Q(measure="ips_available")
                | (
                    models.Q(amber__lte=100)
                    & (models.Q(green__isnull=True) | models.Q(green__lte=100))
                ),
                name="reports_target_percent_at_most_100",
            ),
        ]

    def __str__(self):
        return self.get_measure_display()


class IssueMonitored(models.TextChoices):
    """What a service monitors about its own work (benchmarking table M)."""

    HOW_FOUND_OUT = "how_found_out", "How parents found out about the service"
    ETHNIC_DIVERSITY = "ethnic_diversity", "Ethnic diversity"
    RESPONSE_TIME = "response_time", "Response time"
    WEBSITE_USE = "website_use", "Website use"
    CASEWORK_DETAILS = "casework_details", "Casework details"
    TYPE_OF_SUPPORT = "type_of_support", "Type of support"
    CLIENT_SATISFACTION = "client_satisfaction", "Client satisfaction"
    COMPLAINTS = "complaints", "Complaints"
    PARENTAL_INVOLVEMENT = "parental_involvement", "Parental involvement"
    SERVICE_IMPACT = "service_impact", "Service impact"
    OTHER = "other", "Other"


class PublicationFormat(models.TextChoices):
    """Formats the service publishes its information in besides standard print
    (benchmarking table J)."""

    AUDIO = "audio", "Audio"
    LARGE_PRINT = "large_print", "Large print"
    BRAILLE = "braille", "Braille"
    VIDEO = "video", "Video or DVD"
    OTHER = "other", "Other"


class LanguageSupport(models.TextChoices):
    """What the service offers parents whose first language is not English (benchmarking
    charts 31-33)."""

    TRANSLATIONS = "translations", "Translations"
    INTERPRETERS = "interpreters", "Interpreters"
    COMMUNITY_LANGUAGES = "community_languages", "Information in community languages"


class YearlyDenominators(ServiceInput):
    """What a benchmarking return divides by, for one financial year (1 April to 31 March),
    entered by the coordinator from the local authority's and the service's own accounts
    (docs/reporting.md, "The benchmarking return"). `year` is the calendar year the
    financial year starts in (2025 for 2025-26). A blank figure was not recorded: the
    figures made from it say so, never 0."""

    year = models.PositiveSmallIntegerField()
    population_0_19 = models.PositiveIntegerField(
        "population aged 0-19 in the area", null=True, blank=True
    )
    pupils_with_sen = models.PositiveIntegerField(
        "pupils with special educational needs", null=True, blank=True
    )
    pupils_on_fsm = models.PositiveIntegerField(
        "pupils on free school meals", null=True, blank=True
    )
    funding = models.DecimalField(
        "total funding for the year (£)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    budget = models.DecimalField(
        "total budget for the year (£)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    paid_staff_fte = models.DecimalField(
        "paid staff at 31 March (full-time equivalent)",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
    )

    # Facts of the return that no other record holds (docs/reporting.md, "The benchmarking
    # return"). The area's totals are the local authority's, for the shares the service
    # was involved in; a blank list was answered "none", a NULL never answered.
    area_disagreement_referrals = models.PositiveIntegerField(
        "cases referred to disagreement resolution in the area in the year (all)",
        null=True,
        blank=True,
    )
    area_tribunal_appeals = models.PositiveIntegerField(
        "appeals lodged with the SEND tribunal from the area in the year (all)",
        null=True,
        blank=True,
    )
    issues_monitored = models.JSONField(
        "issues the service monitors", null=True, blank=True, default=None
    )
    formats_offered = models.JSONField(
        "formats information is published in", null=True, blank=True, default=None
    )
    languages_offered = models.JSONField(
        "help offered in other languages", null=True, blank=True, default=None
    )

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "year"], name="reports_one_denominators_row_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(funding__isnull=True) | models.Q(funding__gte=0),
                name="reports_funding_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0),
                name="reports_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(paid_staff_fte__isnull=True) | models.Q(paid_staff_fte__gte=0),
                name="reports_fte_not_negative",
            ),
        ]

    def __str__(self):
        return year_label(self.year, "-")


class NetworkSummary(ServiceRecord):
    """One service's figures of one month, kept for the network report so that a
    financial year across every taking-part service reads twelve rows a service, not
    every contact (docs/decisions/0020-network-summaries.md).

    Rows are made only by reports.network (rebuilt for a service's whole financial year
    at once, from the report functions that count the same figures everywhere else), never
    edited by hand. Each column sums over the months of a financial year except
    `active_ips_at_end`, a snapshot read from the year's last month (31 March).
    `service_users_first_seen` makes the year's distinct service users a sum: a case
    counts in the month of its first contact of that financial year, and only there.
    """

    # The first day of the month.
    month = models.DateField()
    contacts = models.PositiveIntegerField(default=0)
    service_users_first_seen = models.PositiveIntegerField(default=0)
    # Approaches received in the month, and how many were answered within 2 working days
    # (the benchmarking return's standard, the same for every service) or later; the rest
    # were not answered yet when the row was built.
    approaches = models.PositiveIntegerField(default=0)
    answered_within_2_days = models.PositiveIntegerField(default=0)
    answered_later = models.PositiveIntegerField(default=0)
    active_ips_at_end = models.PositiveIntegerField(default=0)
    ips_newly_trained = models.PositiveIntegerField(default=0)
    built_at = models.DateTimeField()

    class Meta:
        ordering = ["service", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "month"], name="reports_one_network_summary_per_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="reports_network_month_starts_on_day_1"
            ),
        ]

    def __str__(self):
        return f"{self.month:%B %Y}"
