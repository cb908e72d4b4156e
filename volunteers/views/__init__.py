"""The volunteer register's pages: volunteers and their pipeline, monthly returns, courses
and meetings (one module each).
"""

from volunteers.views.meetings import MeetingCreateView, MeetingListView
from volunteers.views.register import (
    RegisterView,
    StatusChangeView,
    SupervisionView,
    VolunteerActionView,
    VolunteerCreateView,
    VolunteerDetailView,
    VolunteerEditView,
)
from volunteers.views.returns import (
    MyReturnCorrectView,
    MyReturnsView,
    ReturnLocksView,
    ReturnsView,
)
from volunteers.views.training import (
    AddSessionView,
    AttendanceView,
    CompleteView,
    CourseActionView,
    CourseCreateView,
    CourseDetailView,
    CourseEditView,
    CourseListView,
    EnrolView,
)

__all__ = [
    "AddSessionView",
    "AttendanceView",
    "CompleteView",
    "CourseActionView",
    "CourseCreateView",
    "CourseDetailView",
    "CourseEditView",
    "CourseListView",
    "EnrolView",
    "MeetingCreateView",
    "MeetingListView",
    "MyReturnCorrectView",
    "MyReturnsView",
    "RegisterView",
    "ReturnLocksView",
    "ReturnsView",
    "StatusChangeView",
    "SupervisionView",
    "VolunteerActionView",
    "VolunteerCreateView",
    "VolunteerDetailView",
    "VolunteerEditView",
]
