"""Writes that carry a business rule (docs/architecture.md, "Layers inside an app").

Each is keyword-only, runs in one transaction, raises ValidationError (with field names
where a field is at fault) and changes nothing when it refuses. Case openings, closings
and re-openings are recorded as CaseEvent rows, which the reports count (docs/domain.md,
"Open cases and case movements").
"""

import datetime as dt
import smtplib
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import BadHeaderError, EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from casework import letters
from casework.enums import (
    AppointmentStatus,
    CaseEventKind,
    CaseStatus,
    ClosureReason,
    ContactMethod,
    ContactShare,
    LetterKind,
    Outcome,
)
from casework.models import (
    Allocation,
    Appointment,
    Case,
    CaseDocument,
    CaseEvent,
    Child,
    Contact,
    ContactReason,
    Correspondence,
    Enquiry,
    Feedback,
    LetterTemplate,
    Parent,
)
from casework.queries import allocatable_volunteers, allocation_needs
from pps import uploads
from pps.double_submits import create_once
from pps.mail import subject_line
from pps.models import Service, User
from pps.roles import STAFF, Role
from pps.validators import refuse_future
from pps.versioning import EditConflict
from volunteers.models import Volunteer


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
    consent_recorded_on: dt.date | None = None,
    consent_details: str = "",
    confidentiality_explained_on: dt.date | None = None,
    **fields,
) -> Case:
    """Open a case for one parent about one child, optionally from an enquiry.

    A case that comes from an enquiry was received when the enquiry was (docs/domain.md,
    "Cases and case events"), and taking the details for casework answers the enquiry if nothing had
    yet. An enquiry becomes one case only: a second opening from it is refused.

    Consent and the confidentiality explanation asked at opening are written on the parent
    in the same transaction; each one given replaces the parent's, one left out leaves it.
    A case given no locality takes the parent's (docs/domain.md, "Records": a parent's
    locality is derived or chosen, and the case is about that family).
    """
    opened_on = opened_on or timezone.localdate()
    if enquiry is not None:
        _refuse_converted_enquiry(enquiry.case_id)
        received_on = timezone.localdate(enquiry.received_at)
    refuse_future(opened_on, "opened_on")
    if received_on > opened_on:
        raise ValidationError({"received_on": "A case cannot be received after it was opened."})
    if parent.service_id != service.pk or child.service_id != service.pk:
        raise ValidationError("The parent and child must belong to this service.")
    consent = _consent_changes(
        parent,
        consent_recorded_on=consent_recorded_on,
        consent_details=consent_details,
        confidentiality_explained_on=confidentiality_explained_on,
    )
    if fields.get("locality") is None and fields.get("locality_id") is None:
        fields.pop("locality", None)
        fields["locality_id"] = parent.locality_id
    _refuse_second_open_case(parent=parent, child=child)
    try:
        with transaction.atomic():
            Service.objects.select_for_update().filter(pk=service.pk).first()
            # Checked again under the lock: a double submit waited here for the first one.
            _refuse_second_open_case(parent=parent, child=child)
            if enquiry is not None:
                _refuse_converted_enquiry(
                    Enquiry.objects.filter(pk=enquiry.pk).values_list("case_id", flat=True).get()
                )
            if consent:
                _write_on_parent(parent, consent)
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


@transaction.atomic
def open_case_for_family(*, service: Service, parent: Parent, child: Child, **opening) -> Case:
    """open_case for a parent and a child either of whom may be new (not saved yet): a new
    one is added to the service in the same transaction, so a refused opening adds neither."""
    for person in (parent, child):
        if person.pk is None:
            person.service = service
            person.save()
    return open_case(service=service, parent=parent, child=child, **opening)


def _refuse_converted_enquiry(case_id: int | None) -> None:
    if case_id is not None:
        reference = Case.objects.filter(pk=case_id).values_list("reference", flat=True).first()
        raise ValidationError(
            "This enquiry has already been converted to a case (%(reference)s).",
            code="enquiry_converted",
            params={"reference": reference},
        )


def _consent_changes(
    parent: Parent,
    *,
    consent_recorded_on: dt.date | None,
    consent_details: str,
    confidentiality_explained_on: dt.date | None,
) -> dict:
    """What the opening writes on the parent, checked: dates not in the future, and a
    consent date together with what may be shared (on the parent after the change)."""
    changes = {}
    for name, day in (
        ("consent_recorded_on", consent_recorded_on),
        ("confidentiality_explained_on", confidentiality_explained_on),
    ):
        if day is not None:
            refuse_future(day, name)
            changes[name] = day
    if consent_details.strip():
        changes["consent_details"] = consent_details.strip()
    if changes:
        recorded_on = changes.get("consent_recorded_on", parent.consent_recorded_on)
        details = changes.get("consent_details", parent.consent_details)
        if recorded_on and not details:
            raise ValidationError({"consent_details": "Say what may be shared, and with whom."})
        if details and not recorded_on:
            raise ValidationError({"consent_recorded_on": "Give the date consent was recorded."})
    return changes


def _write_on_parent(parent: Parent, changes: dict) -> None:
    # The stored row, locked: an edit of the parent saved since the page was drawn is kept,
    # and this change makes a new version (and a history row) like any other edit.
    stored = Parent.objects.select_for_update().get(pk=parent.pk)
    for name, value in changes.items():
        setattr(stored, name, value)
        setattr(parent, name, value)
    stored.save()
    parent.version = stored.version


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


def _locked_case(pk: int, refusal: str, status: CaseStatus = CaseStatus.OPEN) -> Case:
    """The case row, locked until the transaction ends, refused with `refusal` unless it has
    `status`: every write that depends on whether a case is open takes this lock, as
    close_case does, so none lands on a case closing or re-opening at the same time."""
    case = Case.objects.select_for_update().get(pk=pk)
    if case.status != status:
        raise ValidationError(refusal)
    return case


def _refuse_longer_than(limit: int, field: str, text: str, advice: str) -> None:
    if len(text) > limit:
        raise ValidationError(
            {field: f"Keep the {field} to {limit:,} characters (it has {len(text):,}): {advice}"}
        )


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
    allocations end that day, and the appointments still booked on it are cancelled.

    The allocations and appointments change in the same transaction and are saved one by
    one, so each change lands in their history. Re-opening the case revives neither: a
    volunteer who should carry on is allocated again, a meeting booked again.
    """
    with transaction.atomic():
        case = _locked_case(case.pk, "This case is already closed.")
        refuse_future(on, "on")
        summary = summary.strip()
        advice = "the case notes hold the detail."
        _refuse_longer_than(CLOSING_SUMMARY_MAX, "summary", summary, advice)
        latest = case.events.order_by("-on", "-id").first()
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
        for appointment in case.appointments.select_for_update().filter(
            status=AppointmentStatus.BOOKED
        ):
            appointment.status = AppointmentStatus.CANCELLED
            appointment.save()
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
        case = _locked_case(case.pk, "Only a closed case can be re-opened.", CaseStatus.CLOSED)
        refuse_future(on, "on")
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
    refuse_future(at, "at")
    if follow_up_due_on and not follow_up:
        raise ValidationError({"follow_up": "Say what needs following up by that date."})
    if follow_up_due_on and follow_up_due_on < timezone.localdate():
        raise ValidationError(
            {"follow_up_due_on": "This date has passed: give the day it is now due."}
        )
    advice = "split a longer record over more than one contact."
    _refuse_longer_than(NOTE_MAX, "note", note, advice)
    # A volunteer's contacts count as contacts, never as office hours (docs/domain.md,
    # "Contacts and office hours").
    volunteer = Volunteer.objects.filter(user=by).first() if by.role == Role.VOLUNTEER else None
    day = timezone.localdate(at)
    with transaction.atomic():
        case = _locked_case(case.pk, "This case is closed: re-open it to log a contact.")
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
    refuse_future(received_at, "received_at")
    first_response_on = fields.get("first_response_on")
    if first_response_on and first_response_on < timezone.localdate(received_at):
        raise ValidationError({"first_response_on": "The response cannot precede the enquiry."})
    return Enquiry.objects.create(service=service, taken_by=by, received_at=received_at, **fields)


def record_feedback(*, by: User, **fields) -> Feedback:
    """A complaint, compliment or suggestion, recorded by `by` for their service."""
    return Feedback.objects.create(service=by.service, recorded_by=by, **fields)


def add_letter_template(*, by: User, **fields) -> LetterTemplate:
    """A letter or email template for `by`'s service."""
    return LetterTemplate.objects.create(service=by.service, **fields)


ALREADY_THERE = "This list already has that value."


def add_code_list_value(*, by: User, model, **fields):
    """A value added to one of `by`'s service's code lists; a name the list has (a double
    submit, which the list's unique-name constraint caught) is refused."""
    try:
        with transaction.atomic():
            return model.objects.create(service=by.service, **fields)
    except IntegrityError:
        raise ValidationError({"name": ALREADY_THERE}) from None


def record_evaluation_sent(*, case: Case, on: dt.date) -> Case:
    """Mark the parent evaluation as sent, which takes the case off the "due" list."""
    refuse_future(on, "on")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        case.evaluation_sent_on = on
        case.save()
    return case


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
    with transaction.atomic():
        case = _locked_case(case.pk, "Only an open case can have a volunteer allocated.")
        if not allocatable_volunteers(case).filter(pk=volunteer.pk).exists():
            needs = allocation_needs(case)
            raise ValidationError(
                {"volunteer": f"This volunteer cannot take this case: only {needs}."}
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


def add_document(
    *, parent: Parent, case: Case | None = None, title: str, file, by: User
) -> CaseDocument:
    """Keep an uploaded file with a family's records: on `case` (one of `parent`'s) or, with
    no case, on the parent alone (docs/domain.md, "Documents on cases and parents").

    The file must pass the upload rules every document meets (pps/uploads.py: its type
    read from its content, its name's extension agreeing, its size); it is stored under a
    random name through the storage API, and its own name is kept, made safe, for the
    download.
    """
    if case is not None and case.parent_id != parent.pk:
        raise ValueError("A case's document belongs to the case's parent.")
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Give the document a title."})
    try:
        uploads.validate_document(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    name = uploads.safe_name(getattr(file, "name", "") or "document")
    document = CaseDocument(
        service_id=parent.service_id,
        parent=parent,
        case=case,
        title=title,
        original_name=name,
        content_type=uploads.served_type(name),
        size=file.size,
        uploaded_by=by,
    )
    # Stored first (under the random name of upload_to), its row after: a row refused
    # leaves no file behind.
    document.file.save(name, file, save=False)
    try:
        with transaction.atomic():
            document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def send_correspondence(
    *,
    case: Case,
    by: User,
    kind: str,
    subject: str,
    body: str,
    minutes: int,
    template: LetterTemplate | None = None,
) -> Correspondence:
    """Produce a letter (a PDF kept through the storage API) or send an email to the case's
    parent, log it as a contact on the case (method letter or email out, so the counting
    rules of log_contact apply) and keep a copy of what went out, linked to the contact.

    Nothing is recorded when the email cannot be sent: the transaction is rolled back and
    the refusal says why. `case` comes with its parent and service (get_case_for)."""
    parent = case.parent
    subject = subject_line(subject)
    if not body.strip():
        raise ValidationError({"body": "Write the text of the letter or email."})
    if kind == LetterKind.EMAIL:
        if not parent.email:
            raise ValidationError(
                "The parent has no email address: add one to the parent's record, or send a "
                "letter instead."
            )
        if not subject:
            raise ValidationError({"subject": "An email needs a subject."})
    method = ContactMethod.EMAIL_OUT if kind == LetterKind.EMAIL else ContactMethod.LETTER
    label = "Email" if kind == LetterKind.EMAIL else "Letter"
    now = timezone.now()
    copy = Correspondence(
        service_id=case.service_id,
        case=case,
        template=template,
        kind=kind,
        recipient=str(parent),
        recipient_email=parent.email if kind == LetterKind.EMAIL else "",
        recipient_address=letters.recipient_address(parent),
        subject=subject,
        body=body,
        by=by,
    )
    stored = None
    try:
        with transaction.atomic():
            copy.contact = log_contact(
                case=case,
                by=by,
                at=now,
                method=method,
                minutes=minutes,
                note=f"{label} sent: {subject}" if subject else f"{label} sent.",
            )
            if kind == LetterKind.LETTER:
                content = letters.letter_pdf(
                    case, subject=subject, body=body, on=timezone.localdate(now)
                )
                copy.file.save(f"{case.reference}-letter.pdf", ContentFile(content), save=False)
                stored = copy.file.name
            copy.save()
            if kind == LetterKind.EMAIL:
                _send_email(subject=subject, body=body, to=parent.email)
    except Exception:
        # The rows are rolled back: a stored file would belong to nothing.
        if stored:
            default_storage.delete(stored)
        raise
    return copy


def _send_email(*, subject: str, body: str, to: str) -> None:
    # Plain text only: what the officer typed goes out as typed, never as HTML.
    message = EmailMessage(subject=subject, body=body, to=[to])
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError, BadHeaderError) as error:
        raise ValidationError(
            f"The email could not be sent ({error.__class__.__name__}); nothing was "
            "recorded. Try again later."
        ) from error


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
        _locked_case(case.pk, "This case is closed: re-open it to book an appointment.")
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
