"""Who sees which register records: the coordinator keeps the register; a volunteer sees
only their own returns (DOMAIN.md 1)."""

from django.db.models import QuerySet

from pps.roles import COORDINATORS, Role
from volunteers.models import MonthlyReturn, TrainingCourse, Volunteer, VolunteerMeeting


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
        return MonthlyReturn.objects.filter(volunteer__user=user)
    return MonthlyReturn.objects.none()
