"""Writes on the volunteer register that carry a rule (docs/architecture.md,
"Layers inside an app")."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pps.double_submits import create_once
from pps.validators import refuse_future
from volunteers.models import (
    CourseSession,
    Enrolment,
    MonthlyReturn,
    ReturnMonthLock,
    SupervisionSession,
    TrainingCourse,
    Volunteer,
    VolunteerMeeting,
    VolunteerRole,
    VolunteerStatus,
    VolunteerStatusChange,
)

# More than a full-time month of casework support is a typing mistake, not a return.
MAX_MONTHLY_HOURS = Decimal(160)


def create_volunteer(
    *, service, by, status=VolunteerStatus.ENQUIRER, since=None, localities=(), **fields
):
    """Add someone to the register, with their first status dated `since` (default today)
    and the localities they cover."""
    since = since or timezone.localdate()
    refuse_future(since, "since")
    with transaction.atomic():
        volunteer = Volunteer.objects.create(service=service, status=status, **fields)
        VolunteerStatusChange.objects.create(
            service=service, volunteer=volunteer, status=status, on=since, recorded_by=by
        )
        volunteer.localities.set(localities)
    return volunteer


def record_status_change(
    *, volunteer: Volunteer, status: str, on: dt.date, by, note: str = ""
) -> VolunteerStatusChange:
    """Move a volunteer along the pipeline (or pause, or leave) from `on`."""
    refuse_future(on, "on")
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        latest = volunteer.status_changes.order_by("-on", "-id").first()
        if latest and on < latest.on:
            raise ValidationError(
                {"on": f"The last change was on {latest.on:%-d %B %Y}: date this one after it."}
            )
        if status == volunteer.status:
            raise ValidationError({"status": "The volunteer already has this status."})
        change = VolunteerStatusChange.objects.create(
            service_id=volunteer.service_id,
            volunteer=volunteer,
            status=status,
            on=on,
            recorded_by=by,
            note=note,
        )
        volunteer.status = status
        volunteer.save()
    return change


FIGURES = (*MonthlyReturn.HOURS, "miles", "expenses")


def _checked_return(figures: dict[str, Decimal]) -> dict[str, Decimal]:
    """A return's figures (MonthlyReturn.HOURS, miles and expenses, each 0 unless given) once
    they pass the rules: no negative hours, miles or expenses, and not more hours than a
    full-time month."""
    unknown = set(figures) - set(FIGURES)
    if unknown:
        raise TypeError(f"Not figures of a monthly return: {', '.join(sorted(unknown))}")
    figures = {name: figures.get(name, Decimal(0)) for name in FIGURES}
    hours = {name: figures[name] for name in MonthlyReturn.HOURS}
    errors = {name: "Hours cannot be negative." for name, value in hours.items() if value < 0}
    for name in ("miles", "expenses"):
        if figures[name] < 0:
            errors[name] = f"{name.capitalize()} cannot be negative."
    if errors:
        raise ValidationError(errors)
    if sum(hours.values()) > MAX_MONTHLY_HOURS:
        raise ValidationError(
            {"phone_hours": f"More than {MAX_MONTHLY_HOURS} hours in a month: please check."}
        )
    return figures


def month_locked(*, service_id: int, month: dt.date) -> bool:
    return ReturnMonthLock.objects.filter(service_id=service_id, month=month).exists()


def _refuse_if_locked(service_id: int, month: dt.date) -> None:
    if month_locked(service_id=service_id, month=month):
        raise ValidationError(
            {
                "month": f"Your coordinator has locked {month:%B %Y}: ask them to unlock it "
                "to send or correct a return for it."
            }
        )


def submit_monthly_return(
    *, volunteer: Volunteer, month: dt.date, by, **figures: Decimal
) -> MonthlyReturn:
    """Record an IPS volunteer's casework hours for a month (one return a month), with the
    miles and expenses they claim (`figures`, each 0 unless given); refused once the
    coordinator has locked the month."""
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": "This month has not started yet."})
    if volunteer.role != VolunteerRole.IPS:
        raise ValidationError("Monthly returns are for IPS volunteers.")
    figures = _checked_return(figures)
    _refuse_if_locked(volunteer.service_id, month)
    return create_once(
        MonthlyReturn,
        already=MonthlyReturn.objects.filter(volunteer=volunteer, month=month),
        refusal={
            "month": "A return for this month has already been sent: correct it in the list below."
        },
        service_id=volunteer.service_id,
        volunteer=volunteer,
        month=month,
        submitted_by=by,
        **figures,
    )


def correct_monthly_return(
    *, monthly_return: MonthlyReturn, by, **figures: Decimal
) -> MonthlyReturn:
    """The volunteer corrects a return they sent, until the coordinator locks its month
    (docs/domain.md, "Volunteers and training"); the history keeps what it replaced."""
    figures = _checked_return(figures)
    with transaction.atomic():
        monthly_return = MonthlyReturn.objects.select_for_update().get(pk=monthly_return.pk)
        _refuse_if_locked(monthly_return.service_id, monthly_return.month)
        for name, value in figures.items():
            setattr(monthly_return, name, value)
        monthly_return.corrected_at = timezone.now()
        monthly_return._history_user = by
        monthly_return.save()
    return monthly_return


def lock_return_month(*, service, month: dt.date, by) -> ReturnMonthLock:
    """Close a month's returns: nothing can be sent or corrected for it until unlocked."""
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": "This month has not started yet."})
    return create_once(
        ReturnMonthLock,
        already=ReturnMonthLock.objects.filter(service=service, month=month),
        refusal={"month": f"{month:%B %Y} is already locked."},
        service=service,
        month=month,
        locked_by=by,
    )


def unlock_return_month(*, service, month: dt.date, by) -> None:
    """Open a locked month again, so that its returns can be sent and corrected."""
    month = month.replace(day=1)
    with transaction.atomic():
        lock = ReturnMonthLock.objects.select_for_update().filter(service=service, month=month)
        lock = lock.first()
        if lock is None:
            raise ValidationError({"month": f"{month:%B %Y} is not locked."})
        lock._history_user = by
        lock.delete()


def record_supervision(*, volunteer: Volunteer, on: dt.date, by, kind: str, topic="", notes=""):
    refuse_future(on, "on")
    return SupervisionSession.objects.create(
        service_id=volunteer.service_id,
        volunteer=volunteer,
        on=on,
        kind=kind,
        topic=topic,
        notes=notes,
        led_by=by,
    )


def record_meeting(*, form, by) -> VolunteerMeeting:
    """Save a valid MeetingForm as a meeting of `by`'s service."""
    form.instance.service = by.service
    return form.save()


def create_course(*, form, by) -> TrainingCourse:
    """Save a valid CourseForm as a course of `by`'s service."""
    form.instance.service = by.service
    return form.save()


def add_course_session(*, course: TrainingCourse, form) -> CourseSession:
    """Save a valid CourseSessionForm as a session of `course`."""
    form.instance.service_id = course.service_id
    form.instance.course = course
    return form.save()


def enrol_trainee(*, course: TrainingCourse, volunteer: Volunteer) -> Enrolment:
    if volunteer.service_id != course.service_id:
        raise ValidationError({"volunteer": "This volunteer belongs to another service."})
    return create_once(
        Enrolment,
        already=course.enrolments.filter(volunteer=volunteer),
        refusal={"volunteer": "Already enrolled on this course."},
        service_id=course.service_id,
        course=course,
        volunteer=volunteer,
    )


def record_attendance(*, session: CourseSession, attended: list[Volunteer]) -> None:
    """Who came to a session: only the course's trainees can be marked."""
    enrolled = set(session.course.enrolments.values_list("volunteer_id", flat=True))
    strangers = [v for v in attended if v.pk not in enrolled]
    if strangers:
        raise ValidationError(
            {"attended_by": "Only trainees enrolled on the course can attend its sessions."}
        )
    session.attended_by.set(attended)


def complete_course(
    *, enrolment: Enrolment, on: dt.date, by, certificate: str = "", feedback: str = ""
) -> Enrolment:
    """Record a trainee's completion; the initial IPS course moves them on to shadowing."""
    refuse_future(on, "on")
    if enrolment.completed_on:
        raise ValidationError("This trainee has already completed the course.")
    with transaction.atomic():
        enrolment.completed_on = on
        enrolment.certificate = certificate
        enrolment.feedback = feedback
        enrolment.save()
        volunteer = enrolment.volunteer
        if enrolment.course.initial_ips_course:
            volunteer.initial_training_completed_on = on
            volunteer.role = VolunteerRole.IPS
            volunteer.save()
            if volunteer.status in (VolunteerStatus.APPLICANT, VolunteerStatus.IN_TRAINING):
                record_status_change(
                    volunteer=volunteer,
                    status=VolunteerStatus.SHADOWING,
                    on=on,
                    by=by,
                    note=f"Completed {enrolment.course}",
                )
    return enrolment
