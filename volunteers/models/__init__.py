"""The register of volunteers: Independent Parental Supporters (IPS) and other volunteers.

A volunteer's status moves through a pipeline (enquirer to left); every move is kept as a
dated VolunteerStatusChange, from which the reports count active IPS on any day. One module
per aggregate: the register (with supervision), monthly returns, training courses, meetings.
"""

from volunteers.models.meetings import MeetingKind, VolunteerMeeting
from volunteers.models.register import (
    SupervisionKind,
    SupervisionSession,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
    VolunteerStatusChange,
)
from volunteers.models.returns import MonthlyReturn, ReturnMonthLock
from volunteers.models.training import CourseSession, Enrolment, TrainingCourse

__all__ = [
    "CourseSession",
    "Enrolment",
    "MeetingKind",
    "MonthlyReturn",
    "ReturnMonthLock",
    "SupervisionKind",
    "SupervisionSession",
    "TrainingCourse",
    "Volunteer",
    "VolunteerMeeting",
    "VolunteerRole",
    "VolunteerStatus",
    "VolunteerStatusChange",
]
