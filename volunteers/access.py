"""Who sees which register records: the coordinator keeps the register; a volunteer sees
only their own returns, and only while they are active (docs/domain.md, "Users and roles")."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from pps.roles import COORDINATORS, Role
from volunteers.models import (
    MonthlyReturn,
    ReturnMonthLock,
    TrainingCourse,
    Volunteer,
    VolunteerMeeting,
    VolunteerStatus,
)


def volunteers_on_duty() -> QuerySet[Volunteer]:
    """Volunteers who may work on cases and returns today: active ones only.

    A volunteer the coordinator marks paused or left loses access at once, with no
    allocation to end first: every volunteer-facing query goes through this (and
    casework.access.cases_visible_to through its allocations).
    """
    return Volunteer.objects.filter(status=VolunteerStatus.ACTIVE)


def own_volunteer_record(user) -> Volunteer | None:
    """The signed-in volunteer's own register record while they are on duty, else None."""
    if user.role != Role.VOLUNTEER:
        return None
    return volunteers_on_duty().filter(user=user).first()


OFF_DUTY = (
    "Your volunteering is paused or has ended, so you no longer see cases or monthly "
    "returns. Speak to your coordinator if this is a mistake."
)


def require_on_duty(user) -> Volunteer:
    """The volunteer's own record for their pages (allocated cases, returns); 403 once they
    are paused or have left, with a message saying why."""
    volunteer = own_volunteer_record(user)
    if volunteer is None:
        raise PermissionDenied(OFF_DUTY)
    return volunteer


def volunteers_visible_to(user) -> QuerySet[Volunteer]:
    return Volunteer.objects.all() if user.role in COORDINATORS else Volunteer.objects.none()


def courses_visible_to(user) -> QuerySet[TrainingCourse]:
    if user.role in COORDINATORS:
        return TrainingCourse.objects.all()
    return TrainingCourse.objects.none()


def meetings_visible_to(user) -> QuerySet[VolunteerMeeting]:
    if user.role in COORDINATORS:
        return VolunteerMeeting.objects.all()
    return VolunteerMeeting.objects.none()


def returns_visible_to(user) -> QuerySet[MonthlyReturn]:
    if user.role in COORDINATORS:
        return MonthlyReturn.objects.all()
    if user.role == Role.VOLUNTEER:
        return MonthlyReturn.objects.filter(volunteer__in=volunteers_on_duty().filter(user=user))
    return MonthlyReturn.objects.none()


def return_locks_visible_to(user) -> QuerySet[ReturnMonthLock]:
    """Coordinators lock and unlock months; a volunteer's pages ask whether a month is
    locked through the actions, never through this list."""
    if user.role in COORDINATORS:
        return ReturnMonthLock.objects.all()
    return ReturnMonthLock.objects.none()
