"""Keeping the network report's monthly summaries right (docs/decisions/0020-network-
summaries.md).

A summary is never patched: the whole financial year of a service is counted again from
its records by the report functions (reports.queries.network) and its twelve rows written
over the old ones. What decides when:

- every save or delete of a record a summary counts (contacts, enquiries, cases,
  volunteers and their status changes) notes its service and the financial years of the
  record's dates, as the database held them before a save (read then, by key) and as they
  are saved or deleted, so a back-dated change rebuilds the year it left as well as the
  year it joined (a contact also its case's year of receipt: the first staff contact
  answers the case's approach); once the transaction
  commits, the background worker is asked to rebuild the years noted of the services
  that take part in the network (one rebuild per service and year however many records
  the transaction wrote, none if it rolled back);
- a status change counts at the end of every later month until the next one, so it
  rebuilds its year and every year after it up to the current one;
- a service leaving the network loses its summaries, so that joining again starts afresh;
- the network report builds any taking-part service's year it finds without all twelve
  rows (a service just joined, a year just begun) before reading;
- `manage.py network_summaries` rebuilds every year of every taking-part service, or
  with `--check` compares each summarised year with a count from the records: writes that
  bypass the models' signals (bulk SQL, `queryset.update()`) are caught there.
"""

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from django_tasks import task

from casework.models import Case, Contact, Enquiry
from pps.models import Service
from reports.models import NetworkSummary
from reports.periods import Period, financial_year, financial_year_of
from reports.queries.network import (
    monthly_figures_from_records,
    year_figures_from_records,
    year_figures_from_summaries,
)
from volunteers.models import Volunteer, VolunteerStatusChange

logger = logging.getLogger(__name__)

SUMMARY_COLUMNS = (
    "contacts",
    "service_users_first_seen",
    "approaches",
    "answered_within_2_days",
    "answered_later",
    "active_ips_at_end",
    "ips_newly_trained",
)


def rebuild_summaries(service_ids: Iterable[int], year: Period) -> int:
    """Count the year's months again from the records for each service and write its
    twelve rows over the old ones: one query to count, one to write. Returns the rows
    written."""
    service_ids = sorted(set(service_ids))
    if not service_ids:
        return 0
    with scope(service=service_ids):
        monthly = monthly_figures_from_records(year)
        built = timezone.now()
        rows = [
            NetworkSummary(service_id=service, month=month, built_at=built, **values)
            for (service, month), values in sorted(monthly.items())
        ]
        NetworkSummary.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["service", "month"],
            update_fields=[*SUMMARY_COLUMNS, "built_at"],
        )
    return len(rows)


def members() -> list[int]:
    """The services that take part in the network report."""
    return list(Service.objects.filter(network_member=True).values_list("pk", flat=True))


def summarised_year(year: Period, services: list[int]):
    """The year's figures of `services` from their summaries, building first the year of
    any of them not summarised in full: (figures by service id, whether anything was
    built)."""
    with scope(service=services):
        figures, complete = year_figures_from_summaries(year)
    missing = [service for service in services if service not in complete]
    if not missing:
        return figures, False
    rebuild_summaries(missing, year)
    with scope(service=services):
        figures, _ = year_figures_from_summaries(year)
    return figures, True


def rebuild_everything(years: Iterable[int] | None = None) -> int:
    """Every year of every taking-part service (from the year of its first record to the
    current one, or `years`): what `manage.py network_summaries` runs."""
    services = members()
    if not services:
        return 0
    if years is None:
        current = financial_year_of(timezone.localdate())
        with scopes_disabled():
            first = Contact.objects.filter(service__in=services).order_by("at").first()
        years = range(financial_year_of(first.at) if first else current, current + 1)
    return sum(rebuild_summaries(services, financial_year(year)) for year in years)


def drift(years: Iterable[int]) -> list[str]:
    """Each taking-part service's summarised year that differs from a count of its
    records, in words: empty when every summary is right."""
    services, found = members(), []
    for start in years:
        year = financial_year(start)
        with scope(service=services):
            summarised, _ = year_figures_from_summaries(year)
            counted = year_figures_from_records(year)
        for service, figures in sorted(summarised.items()):
            if figures != counted.get(service):
                found.append(
                    f"Service {service}, {year.label}: summaries {figures}, records "
                    f"{counted.get(service)}"
                )
    return found


# --- Keeping them up to date: which records count, and by which of their dates ---

# Each model a summary counts, with the date fields whose financial year a change touches.
WATCHED = {
    Contact: ("at",),
    Enquiry: ("received_at",),
    Case: ("received_on",),
    Volunteer: ("initial_training_completed_on", "role"),
    VolunteerStatusChange: ("on",),
}
# A status change counts at the end of every month after it until the next one.
CARRIED_FORWARD = {VolunteerStatusChange}


def _taking_part(services: Iterable[int]) -> set[int]:
    return set(
        Service.objects.filter(pk__in=set(services), network_member=True).values_list(
            "pk", flat=True
        )
    )


@task()
def rebuild_years(wanted: list[list[int]]) -> int:
    """The worker's task: rebuild each [service id, financial year start] asked for, of
    the services that (still) take part. Safe to run twice: a rebuild writes the same rows
    again."""
    taking_part = _taking_part(service for service, _ in wanted)
    written = 0
    for year in sorted({year for _, year in wanted}):
        chosen = [s for s, y in wanted if y == year and s in taking_part]
        written += rebuild_summaries(chosen, financial_year(year))
    return written


class _Rebuild:
    """The rebuilds one transaction asked for, handed to the background worker once it
    commits (decision 0018): the writer's request does not wait for them."""

    def __init__(self):
        self.wanted: set[tuple[int, int]] = set()

    def __call__(self):
        # Only services that take part have summaries: the others queue nothing.
        taking_part = _taking_part(service for service, _ in self.wanted)
        wanted = [[s, year] for s, year in sorted(self.wanted) if s in taking_part]
        if wanted:
            rebuild_years.enqueue(wanted)


def _note(service_id: int | None, years: set[int]) -> None:
    """Ask for the years' rebuild once the transaction commits, adding to the rebuild
    already asked for in it (one for all the transaction's writes)."""
    if not service_id or not years:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _Rebuild):
                callback.wanted.update((service_id, year) for year in years)
                return
    rebuild = _Rebuild()
    rebuild.wanted.update((service_id, year) for year in years)
    # Robust: the record is saved whatever happens to its summary; a rebuild that could
    # not be queued is logged, and `manage.py network_summaries --check` finds the year.
    transaction.on_commit(rebuild, robust=True)


def _dates(instance) -> set:
    # Read from the instance's own values: a deferred field is not fetched for this.
    return _dates_in(type(instance), instance.__dict__)


def _dates_in(model, values: dict) -> set:
    return {values[name] for name in WATCHED[model] if isinstance(values.get(name), dt.date)}


def _years(model, dates: set) -> set[int]:
    years = {financial_year_of(day) for day in dates}
    if model in CARRIED_FORWARD and years:
        years = set(range(min(years), max(financial_year_of(timezone.localdate()), *years) + 1))
    return years


def _stored(sender, instance, using=None, **kwargs):
    """Before a save: the dates (and a volunteer's role) the database holds for the
    record, whose years are rebuilt as well as those it is saved with. Read here, not
    as each record is loaded: a page reads dozens of records for each one anybody saves,
    and a receiver of every load cost the case list a twentieth of its time (issue 11)."""
    stored = None
    if instance.pk is not None:
        stored = (
            sender._base_manager.db_manager(using)
            .filter(pk=instance.pk)
            .values(*WATCHED[sender])
            .first()
        )
    instance._network_read = (
        (set(), None) if stored is None else (_dates_in(sender, stored), stored.get("role"))
    )


def _role(instance):
    return instance.__dict__.get("role")


def _case_received_on(contact) -> dt.date | None:
    """The day the contact's case was received: a case's approach is answered by its first
    staff contact, which may fall in a later year than the approach it counts for."""
    case = contact._state.fields_cache.get("case")
    if case is not None:
        return case.received_on
    # A contact read without its case (a delete): one row by primary key, outside the
    # scope because the service is the contact's own.
    return (
        Case._base_manager.filter(pk=contact.case_id).values_list("received_on", flat=True).first()
    )


def _written(sender, instance, **kwargs):
    read_dates, read_role = getattr(instance, "_network_read", (set(), None))
    dates = _dates(instance) | read_dates
    if sender is Contact and instance.case_id:
        received = _case_received_on(instance)
        if received is not None:
            dates.add(received)
    years = _years(sender, dates)
    if sender is Volunteer and read_role is not None and read_role != _role(instance):
        # An IPS who becomes another kind of volunteer (or back) changes who counts as
        # active: the current year is rebuilt (the check finds any earlier one).
        years.add(financial_year_of(timezone.localdate()))
    _note(instance.__dict__.get("service_id"), years)


def _service_saved(sender, instance, created, **kwargs):
    # Summaries are only built for services that take part, so one that does not has
    # none to keep: deleting whatever is there needs no memory of what the service was.
    # (docs/decisions/0020: remembering what it was took a post_init receiver, which
    # every record read would pay for.)
    if not created and not instance.network_member:
        with scope(service=[instance.pk]):
            NetworkSummary.objects.filter(service=instance).delete()


def connect() -> None:
    """Called once by ReportsConfig.ready()."""
    for model in WATCHED:
        pre_save.connect(_stored, sender=model, dispatch_uid=f"network-stored-{model.__name__}")
        post_save.connect(_written, sender=model, dispatch_uid=f"network-save-{model.__name__}")
        post_delete.connect(_written, sender=model, dispatch_uid=f"network-delete-{model.__name__}")
    post_save.connect(_service_saved, sender=Service, dispatch_uid="network-service-saved")
