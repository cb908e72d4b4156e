"""Casework figures of a period, counted in the database by the rules of DOMAIN.md 4.0."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from casework.enums import CaseEventKind
from casework.models import Case, CaseEvent, Contact, Enquiry
from reports.periods import Period

_OPENING = [CaseEventKind.OPENED, CaseEventKind.REOPENED]


@dataclass(frozen=True)
class CaseMovements:
    brought_forward: int
    new: int
    reopened: int
    closed: int
    carried_forward: int
    casework_total: int

    def balances(self) -> bool:
        """Brought forward + new + re-opened - closed = carried forward, always."""
        return self.brought_forward + self.new + self.reopened - self.closed == (
            self.carried_forward
        )


def _latest_kind_on(day):
    """The kind of each case's latest event on or before `day`, in the order they happened."""
    return Subquery(
        CaseEvent.objects.filter(case=OuterRef("pk"), on__lte=day)
        .order_by("-on", "-id")
        .values("kind")[:1]
    )


def case_movements(period: Period) -> CaseMovements:
    """Case movements and the casework total of a period (DOMAIN.md 4.0), in two queries."""
    events = CaseEvent.objects.filter(on__range=(period.first, period.last)).aggregate(
        new=Count("id", filter=Q(kind=CaseEventKind.OPENED)),
        reopened=Count("id", filter=Q(kind=CaseEventKind.REOPENED)),
        closed=Count("id", filter=Q(kind=CaseEventKind.CLOSED)),
    )
    in_period = CaseEvent.objects.filter(case=OuterRef("pk"), on__range=(period.first, period.last))
    cases = (
        Case.objects.filter(opened_on__lte=period.last)
        .annotate(
            kind_before=_latest_kind_on(period.day_before),
            kind_at_end=_latest_kind_on(period.last),
            active=Exists(in_period),
        )
        .aggregate(
            brought_forward=Count("id", filter=Q(kind_before__in=_OPENING)),
            carried_forward=Count("id", filter=Q(kind_at_end__in=_OPENING)),
            total=Count("id", filter=Q(kind_before__in=_OPENING) | Q(active=True)),
        )
    )
    return CaseMovements(
        brought_forward=cases["brought_forward"],
        new=events["new"],
        reopened=events["reopened"],
        closed=events["closed"],
        carried_forward=cases["carried_forward"],
        casework_total=cases["total"],
    )


def _local_days(period: Period) -> dict:
    """A timestamp filter for the period's days in the service's time zone (Europe/London):
    from midnight at the start of its first day to midnight at the end of its last, so that
    a contact at 23:59 on 31 March is in March and one at 00:00 on 1 April is in April, in
    summer time as in winter. Filtering the timestamp itself also lets PostgreSQL use its
    index instead of converting every row's time zone (CONVENTIONS.md, "Known traps")."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(period.first, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(period.last + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    return {"gte": start, "lt": end}


def _at(field: str, period: Period) -> dict:
    return {f"{field}__{lookup}": value for lookup, value in _local_days(period).items()}


@dataclass(frozen=True)
class ContactFigures:
    casework_contacts: int
    substantial_enquiries: int
    office_hours: float

    @property
    def contacts(self) -> int:
        """Contacts of a period: casework contacts plus substantial enquiries (4.0)."""
        return self.casework_contacts + self.substantial_enquiries


def contact_figures(period: Period) -> ContactFigures:
    """Contacts and office hours (staff minutes on cases / 60) of a period."""
    contacts = Contact.objects.filter(**_at("at", period)).aggregate(
        count=Count("id"),
        staff_minutes=Coalesce(Sum("minutes", filter=Q(volunteer__isnull=True)), 0),
    )
    substantial = Enquiry.objects.filter(substantial=True, **_at("received_at", period)).count()
    return ContactFigures(
        casework_contacts=contacts["count"],
        substantial_enquiries=substantial,
        office_hours=round(contacts["staff_minutes"] / 60, 1),
    )


def service_users(period: Period) -> int:
    """Parent/carer service users (DOMAIN.md 4.3): cases with at least one contact, by staff
    or volunteer, in the period. Enquiries and professionals are never service users."""
    contacted = Contact.objects.filter(case=OuterRef("pk"), **_at("at", period))
    return Case.objects.filter(Exists(contacted)).count()
