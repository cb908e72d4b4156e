"""Writes that carry a business rule (docs/architecture.md, "Layers inside an app").

Each is keyword-only, runs in one transaction, raises ValidationError (with field names
where a field is at fault) and changes nothing when it refuses. Case openings, closings
and re-openings are recorded as CaseEvent rows, which the reports count (docs/domain.md,
"Open cases and case movements").
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from casework.codelists import create_default_code_lists
from casework.enums import (
    AppointmentStatus,
    CaseEventKind,
    CaseStatus,
    ClosureReason,
    ContactShare,
    Outcome,
)
from casework.models import (
    Allocation,
    Appointment,
    Case,
    CaseEvent,
    Child,
    Contact,
    ContactReason,
    Enquiry,
    Parent,
)
from pps.double_submits import create_once
from pps.models import Locality, Service, User
from pps.roles import STAFF, Role
from pps.versioning import EditConflict
from volunteers.models import Volunteer, VolunteerRole, VolunteerStatus


def create_service(
    *, name: str, local_authority: str, localities: Iterable[str] = (), reference_prefix="PPS"
) -> Service:
    """A new service with its localities and the shipped code lists."""
    with transaction.atomic():
        service = Service.objects.create(
            name=name, local_authority=local_authority, reference_prefix=reference_prefix
        )
        Locality.objects.bulk_create(
            Locality(service=service, name=locality, position=i)
            for i, locality in enumerate(localities)
        )
        create_default_code_lists(service)
    return service


def _not_in_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: "This date is in the future."})


def _next_reference(service: Service, year: int) -> str:
    # Called under a lock on the service row, so two openings cannot take the same number.
    stem = f"{service.reference_prefix}-{year}-"
    taken = Case.objects.filter(service=service, reference__startswith=stem).count()
    return f"{stem}{taken + 1:04d}"


def open_case(
    *,
    service: Service,
    by: User,
    parent: Parent,
    child: Child,
    officer: User | None,
    received_on: dt.date,
    opened_on: dt.date | None = None,
    enquiry: Enquiry | None = None,
    secondary_reasons: Iterable[ContactReason] = (),
    **fields,
) -> Case:
    """Open a case for one parent about one child, optionally from an enquiry.

    A case that comes from an enquiry was received when the enquiry was (docs/domain.md,
    "Cases and case events"), and taking the details for casework answers the enquiry if nothing had
    yet.
    """
    opened_on = opened_on or timezone.localdate()
    if enquiry is not None:
        if enquiry.case_id:
            raise ValidationError("This enquiry has already been converted to a case.")
        received_on = timezone.localdate(enquiry.received_at)
    _not_in_future(opened_on, "opened_on")
    if received_on > opened_on:
        raise ValidationError({"received_on": "A case cannot be received after it was opened."})
    if parent.service_id != service.pk or child.service_id != service.pk:
        raise ValidationError("The parent and child must belong to this service.")
    _refuse_second_open_case(parent=parent, child=child)
    try:
        with transaction.atomic():
            Service.objects.select_for_update().filter(pk=service.pk).first()
            # Checked again under the lock: a double submit waited here for the first one.
            _refuse_second_open_case(parent=parent, child=child)
            case = Case.objects.create(
                service=service,
                reference=_next_reference(service, opened_on.year),
                parent=parent,
                child=child,
                officer=officer,
                received_on=received_on,
                opened_on=opened_on,
                status=CaseStatus.OPEN,
                last_activity_on=opened_on,
                **fields,
            )
            case.secondary_reasons.set(secondary_reasons)
            CaseEvent.objects.create(
                service=service, case=case, kind=CaseEventKind.OPENED, on=opened_on, by=by
            )
            if enquiry is not None:
                enquiry.case = case
                if enquiry.first_response_on is None:
                    enquiry.first_response_on = opened_on
                enquiry.save()
    except IntegrityError:
        # The one-open-case constraint (casework.models.Case) caught what no check could.
        _refuse_second_open_case(parent=parent, child=child)
        raise
    return case


def _refuse_second_open_case(*, parent: Parent, child: Child) -> None:
    """One open case per parent and child: further contacts go on the open one.

    The error carries the open case (params["case"]) so that the page can link to it.
    """
    existing = Case.objects.open().filter(parent=parent, child=child).first()
    if existing is not None:
        raise ValidationError(
            "This parent already has an open case about this child (%(reference)s): "
            "log contacts there.",
            code="open_case_exists",
            params={"reference": existing.reference, "case": existing},
        )


def _latest_event(case: Case) -> CaseEvent | None:
    return case.events.order_by("-on", "-id").first()


# A closing summary is a paragraph or two, not the case notes again.
CLOSING_SUMMARY_MAX = 2000
# A contact's note records a call or a meeting; more than this is a pasted document.
NOTE_MAX = 10_000


def close_case(
    *,
    case: Case,
    by: User,
    on: dt.date,
    reason: ClosureReason,
    outcome: Outcome,
    summary: str = "",
) -> Case:
    """Close an open case on `on`, with the officer's closing summary (the close form
    requires one; cases closed in bulk or imported may have none); its volunteers'
    allocations end that day.

    The allocations are ended in the same transaction and saved one by one, so each end
    date lands in the allocation's history. Re-opening the case does not revive them: a
    volunteer who should carry on is allocated again.
    """
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            raise ValidationError("This case is already closed.")
        _not_in_future(on, "on")
        summary = summary.strip()
        if len(summary) > CLOSING_SUMMARY_MAX:
            raise ValidationError(
                {
                    "summary": f"Keep the summary to {CLOSING_SUMMARY_MAX:,} characters "
                    f"(it has {len(summary):,}): the case notes hold the detail."
                }
            )
        latest = _latest_event(case)
        if latest and on < latest.on:
            raise ValidationError(
                {"on": f"The case was last opened on {latest.on:%-d %B %Y}: close it after that."}
            )
        case.status = CaseStatus.CLOSED
        case.closed_on = on
        case.closure_reason = reason
        case.outcome = outcome
        case.closing_summary = summary
        case.save()
        # The opening this closing ends (CaseEvent.ended_on): the case's open episode.
        case.events.filter(
            kind__in=[CaseEventKind.OPENED, CaseEventKind.REOPENED], ended_on__isnull=True
        ).update(ended_on=on)
        CaseEvent.objects.create(
            service_id=case.service_id,
            case=case,
            kind=CaseEventKind.CLOSED,
            on=on,
            by=by,
            closure_reason=reason,
            outcome=outcome,
            closing_summary=summary,
        )
        _end_allocations_of(case, on=on)
    return case


def _end_allocations_of(case: Case, *, on: dt.date) -> None:
    # An allocation that would start after the closing day ends the day it starts, so an
    # allocation never ends before it began.
    for allocation in case.allocations.select_for_update().filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on)
    ):
        allocation.ended_on = max(on, allocation.started_on)
        allocation.save()


def reopen_case(*, case: Case, by: User, on: dt.date) -> Case:
    """Re-open a closed case: it keeps its reference, and the re-opening is counted apart."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != CaseStatus.CLOSED:
            raise ValidationError("Only a closed case can be re-opened.")
        _not_in_future(on, "on")
        if on < case.closed_on:
            raise ValidationError(
                {"on": f"The case was closed on {case.closed_on:%-d %B %Y}: re-open it after that."}
            )
        _refuse_second_open_case(parent=case.parent, child=case.child)
        case.status = CaseStatus.OPEN
        case.closed_on = None
        case.closure_reason = ""
        case.outcome = ""
        case.closing_summary = ""
        case.last_activity_on = max(case.last_activity_on or on, on)
        case.save()
        CaseEvent.objects.create(
            service_id=case.service_id, case=case, kind=CaseEventKind.REOPENED, on=on, by=by
        )
    return case


def log_contact(
    *,
    case: Case,
    by: User,
    at: dt.datetime,
    method: str,
    minutes: int,
    note: str = "",
    follow_up: str = "",
    follow_up_due_on: dt.date | None = None,
) -> Contact:
    """Log a piece of work on a case and keep the case's last-contact dates in step."""
    if minutes <= 0:
        raise ValidationError({"minutes": "Enter the minutes spent, at least 1."})
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"at": "This time is in the future."})
    if follow_up_due_on and not follow_up:
        raise ValidationError({"follow_up": "Say what needs following up by that date."})
    if follow_up_due_on and follow_up_due_on < timezone.localdate():
        raise ValidationError(
            {"follow_up_due_on": "This date has passed: give the day it is now due."}
        )
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {
                "note": f"Keep the note to {NOTE_MAX:,} characters (it has {len(note):,}): "
                "split a longer record over more than one contact."
            }
        )
    # A volunteer's contacts count as contacts, never as office hours (docs/domain.md,
    # "Contacts and office hours").
    volunteer = Volunteer.objects.filter(user=by).first() if by.role == Role.VOLUNTEER else None
    day = timezone.localdate(at)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            raise ValidationError("This case is closed: re-open it to log a contact.")
        if day < case.opened_on:
            raise ValidationError({"at": "This is before the case was opened."})
        contact = Contact.objects.create(
            service_id=case.service_id,
            case=case,
            at=at,
            by=by,
            volunteer=volunteer,
            method=method,
            minutes=minutes,
            note=note,
            follow_up=follow_up,
            follow_up_due_on=follow_up_due_on,
        )
        # A derived field, not an edit of the case: update it without a history row.
        Case.objects.filter(pk=case.pk).update(
            last_contact_on=max(case.last_contact_on or day, day),
            last_activity_on=max(case.last_activity_on or day, day),
        )
    return contact


def complete_follow_up(*, contact: Contact, on: dt.date) -> Contact:
    if not contact.follow_up:
        raise ValidationError("This contact has no follow-up.")
    contact.follow_up_done_on = on
    contact.save()
    return contact


def record_enquiry(*, service: Service, by: User, received_at: dt.datetime, **fields) -> Enquiry:
    if received_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"received_at": "This time is in the future."})
    first_response_on = fields.get("first_response_on")
    if first_response_on and first_response_on < timezone.localdate(received_at):
        raise ValidationError({"first_response_on": "The response cannot precede the enquiry."})
    return Enquiry.objects.create(service=service, taken_by=by, received_at=received_at, **fields)


def record_evaluation_sent(*, case: Case, on: dt.date) -> Case:
    """Mark the parent evaluation as sent, which takes the case off the "due" list."""
    _not_in_future(on, "on")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        case.evaluation_sent_on = on
        case.save()
    return case


def interpreter_language(case: Case) -> str:
    """The language a volunteer must speak for this parent, or "" when English will do."""
    parent = case.parent
    if parent.interpreter_needed and parent.first_language.strip().lower() != "english":
        return parent.first_language.strip()
    return ""


def allocate_volunteer(
    *, case: Case, volunteer: Volunteer, by: User, started_on: dt.date
) -> Allocation:
    """Allocate an active IPS to a case: from `started_on` they see it and may log contacts.

    The volunteer must cover the case's locality, and speak the parent's language when the
    parent needs an interpreter. The case row is locked, as close_case locks it, so an
    allocation made while the case is being closed waits, sees the case closed and is
    refused, instead of being left open on a closed case.
    """
    if volunteer.service_id != case.service_id:
        raise ValidationError({"volunteer": "This volunteer belongs to another service."})
    if volunteer.role != VolunteerRole.IPS or volunteer.status != VolunteerStatus.ACTIVE:
        raise ValidationError({"volunteer": "Only an active IPS volunteer can be allocated."})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            raise ValidationError("Only an open case can have a volunteer allocated.")
        if case.locality_id and not volunteer.localities.filter(pk=case.locality_id).exists():
            raise ValidationError({"volunteer": f"This volunteer does not cover {case.locality}."})
        language = interpreter_language(case)
        if language and language.lower() not in volunteer.languages.lower():
            raise ValidationError(
                {"volunteer": f"The parent needs a volunteer who speaks {language}."}
            )
        already = {"volunteer": "This volunteer is already allocated to this case."}
        if case.allocations.current(started_on).filter(volunteer=volunteer).exists():
            raise ValidationError(already)
        # The one-open-allocation constraint still stands behind the lock.
        return create_once(
            Allocation,
            already=case.allocations.filter(volunteer=volunteer, ended_on__isnull=True),
            refusal=already,
            service_id=case.service_id,
            case=case,
            volunteer=volunteer,
            started_on=started_on,
            allocated_by=by,
        )


def end_allocation(*, allocation: Allocation, on: dt.date) -> Allocation:
    """End an allocation: from `on` the volunteer no longer sees the case.

    Takes the case row lock (as close_case does, which ends allocations too) and reads the
    allocation again under it, so one that the closing has just ended is not ended twice.
    """
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=allocation.case_id)
        allocation = case.allocations.select_for_update().get(pk=allocation.pk)
        if allocation.ended_on is not None:
            raise ValidationError("This allocation has already ended.")
        if on < allocation.started_on:
            raise ValidationError({"on": "An allocation cannot end before it started."})
        allocation.ended_on = on
        allocation.save()
    return allocation


def log_contact_on_cases(
    *,
    case: Case,
    also_on: Iterable[Case] = (),
    share: ContactShare = ContactShare.REPEAT,
    by: User,
    minutes: int,
    **contact,
) -> list[Contact]:
    """One call about two children: the same contact logged on `case` and on the family's
    other open cases in `also_on`, one Contact row per case, in one transaction.

    Each row counts as a contact of its own case (a family counts once per child served,
    docs/domain.md 4.3). The minutes are repeated on each case, or split into whole minutes
    that add up to the time spent, the remainder on `case`: office hours then count the
    call once.
    """
    others = [other for other in also_on if other.pk != case.pk]
    if not others:
        return [log_contact(case=case, by=by, minutes=minutes, **contact)]
    for other in others:
        if other.service_id != case.service_id or other.parent_id != case.parent_id:
            raise ValidationError({"also_on": "Only this parent's other cases can be chosen."})
    shares = [minutes] * (len(others) + 1)
    if share == ContactShare.SPLIT:
        if minutes < len(shares):
            raise ValidationError(
                {"minutes": f"Split between {len(shares)} cases, each needs at least 1 minute."}
            )
        each, remainder = divmod(minutes, len(shares))
        shares = [each + remainder] + [each] * len(others)
    with transaction.atomic():
        # The cases are locked in id order, so two officers logging on the same two cases
        # at once wait for each other instead of deadlocking.
        locked = {
            row.pk: row
            for row in Case.objects.select_for_update()
            .filter(pk__in=[case.pk, *(other.pk for other in others)])
            .order_by("pk")
        }
        for other in others:
            if locked[other.pk].status != CaseStatus.OPEN:
                raise ValidationError(
                    {"also_on": f"Case {other.reference} is closed: it cannot have the contact."}
                )
        return [
            log_contact(case=each_case, by=by, minutes=each_minutes, **contact)
            for each_case, each_minutes in zip([case, *others], shares, strict=True)
        ]


# An appointment is a meeting or call: a working day at most.
APPOINTMENT_MAX_MINUTES = 600


def check_appointment(*, case: Case, officer: User, starts_at: dt.datetime, minutes: int) -> None:
    """What a booking must satisfy, whether made or changed (forms call it too)."""
    if not 1 <= minutes <= APPOINTMENT_MAX_MINUTES:
        raise ValidationError(
            {"minutes": f"Give the length in minutes, from 1 to {APPOINTMENT_MAX_MINUTES}."}
        )
    if timezone.localdate(starts_at) < case.opened_on:
        raise ValidationError({"starts_at": "This is before the case was opened."})
    if officer.service_id != case.service_id or officer.role not in STAFF:
        raise ValidationError({"officer": "Choose a member of staff of this service."})


def book_appointment(
    *,
    case: Case,
    officer: User,
    starts_at: dt.datetime,
    minutes: int,
    kind: str,
    place: str = "",
    attendees: str = "",
) -> Appointment:
    """Book a meeting or call on an open case, for `officer` to hold."""
    check_appointment(case=case, officer=officer, starts_at=starts_at, minutes=minutes)
    with transaction.atomic():
        # The case row lock that closing takes: no booking lands on a case closing now.
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status != CaseStatus.OPEN:
            raise ValidationError("This case is closed: re-open it to book an appointment.")
        return Appointment.objects.create(
            service_id=case.service_id,
            case=case,
            officer=officer,
            starts_at=starts_at,
            minutes=minutes,
            kind=kind,
            place=place,
            attendees=attendees,
        )


def _booked_appointment(appointment: Appointment, expected_version: int | None) -> Appointment:
    # Under the appointment's row lock: only a booked appointment can be held or cancelled,
    # once, and not from a page opened before someone else changed it.
    current = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current)
    if current.status != AppointmentStatus.BOOKED:
        raise ValidationError(
            f"This appointment is already {current.get_status_display().lower()}."
        )
    return current


def cancel_appointment(*, appointment: Appointment, expected_version: int | None = None) -> None:
    with transaction.atomic():
        current = _booked_appointment(appointment, expected_version)
        current.status = AppointmentStatus.CANCELLED
        current.save()


def record_appointment_held(
    *,
    appointment: Appointment,
    by: User,
    expected_version: int | None = None,
    **contact,
) -> Contact:
    """The appointment took place: log it as a contact on its case (casework.actions.
    log_contact, so it is counted like any other) and mark it held, linked to that
    contact, in one transaction. A second "held" for the same appointment is refused, so
    the meeting is counted once."""
    with transaction.atomic():
        current = _booked_appointment(appointment, expected_version)
        logged = log_contact(case=current.case, by=by, **contact)
        current.status = AppointmentStatus.HELD
        current.contact = logged
        current.save()
    return logged
