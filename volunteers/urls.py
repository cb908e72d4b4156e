from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("volunteers/", views.RegisterView.as_view(), name="register"),
    path("volunteers/export/", views.RegisterView.as_view(export=True), name="register-export"),
    path("volunteers/new/", views.VolunteerCreateView.as_view(), name="volunteer-create"),
    path("volunteers/<int:pk>/", views.VolunteerDetailView.as_view(), name="volunteer-detail"),
    path("volunteers/<int:pk>/edit/", views.VolunteerEditView.as_view(), name="volunteer-edit"),
    path("volunteers/<int:pk>/status/", views.StatusChangeView.as_view(), name="volunteer-status"),
    path(
        "volunteers/<int:pk>/supervision/",
        views.SupervisionView.as_view(),
        name="volunteer-supervision",
    ),
    path("volunteers/returns/", views.ReturnsView.as_view(), name="returns"),
    path(
        "volunteers/returns/export/",
        views.ReturnsView.as_view(export=True),
        name="returns-export",
    ),
    path("volunteers/returns/locks/", views.ReturnLocksView.as_view(), name="returns-locks"),
    path("my-returns/", views.MyReturnsView.as_view(), name="my-returns"),
    path(
        "my-returns/<int:pk>/correct/",
        views.MyReturnCorrectView.as_view(),
        name="my-return-correct",
    ),
    path("courses/", views.CourseListView.as_view(), name="course-list"),
    path("courses/new/", views.CourseCreateView.as_view(), name="course-create"),
    path("courses/<int:pk>/", views.CourseDetailView.as_view(), name="course-detail"),
    path("courses/<int:pk>/edit/", views.CourseEditView.as_view(), name="course-edit"),
    path("courses/<int:pk>/sessions/", views.AddSessionView.as_view(), name="course-add-session"),
    path("courses/<int:pk>/enrol/", views.EnrolView.as_view(), name="course-enrol"),
    path(
        "courses/<int:pk>/sessions/<int:session>/attendance/",
        views.AttendanceView.as_view(),
        name="course-attendance",
    ),
    path(
        "courses/<int:pk>/enrolments/<int:enrolment>/complete/",
        views.CompleteView.as_view(),
        name="course-complete",
    ),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting-create"),
]
