from django.urls import path

from casework.views import (
    appointments,
    cases,
    codelists,
    documents,
    enquiries,
    feedback,
    letters,
    people,
    work,
)

app_name = "casework"

urlpatterns = [
    path("my-work/", work.MyWorkView.as_view(), name="my-work"),
    path("my-cases/", work.AllocatedCasesView.as_view(), name="my-allocated-cases"),
    path("cases/", cases.CaseListView.as_view(), name="case-list"),
    path("cases/export/", cases.CaseListView.as_view(export=True), name="case-export"),
    path("cases/new/", cases.CaseStartView.as_view(), name="case-start"),
    path("cases/new/details/", cases.CaseCreateView.as_view(), name="case-create"),
    path("cases/<int:pk>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/contacts/", cases.LogContactView.as_view(), name="case-log-contact"),
    path("cases/<int:pk>/edit/", cases.CaseEditView.as_view(), name="case-edit"),
    path("cases/<int:pk>/close/", cases.CloseCaseView.as_view(), name="case-close"),
    path("cases/<int:pk>/reopen/", cases.ReopenCaseView.as_view(), name="case-reopen"),
    path("cases/<int:pk>/allocate/", cases.AllocateVolunteerView.as_view(), name="case-allocate"),
    path(
        "cases/<int:pk>/allocations/<int:allocation>/end/",
        cases.EndAllocationView.as_view(),
        name="case-end-allocation",
    ),
    path(
        "cases/<int:pk>/appointments/new/",
        appointments.AppointmentBookView.as_view(),
        name="appointment-book",
    ),
    path(
        "appointments/<int:pk>/edit/",
        appointments.AppointmentEditView.as_view(),
        name="appointment-edit",
    ),
    path(
        "appointments/<int:pk>/cancel/",
        appointments.AppointmentCancelView.as_view(),
        name="appointment-cancel",
    ),
    path(
        "appointments/<int:pk>/held/",
        appointments.AppointmentHeldView.as_view(),
        name="appointment-held",
    ),
    path(
        "appointments/<int:pk>/calendar.ics",
        appointments.AppointmentCalendarView.as_view(),
        name="appointment-calendar",
    ),
    path("cases/<int:pk>/audit/", cases.CaseAuditView.as_view(), name="case-audit"),
    path(
        "cases/<int:pk>/documents/",
        documents.CaseDocumentAddView.as_view(),
        name="case-add-document",
    ),
    path(
        "parents/<int:pk>/documents/",
        documents.ParentDocumentAddView.as_view(),
        name="parent-add-document",
    ),
    path(
        "case-documents/<int:pk>/",
        documents.DocumentDownloadView.as_view(),
        name="document-download",
    ),
    path(
        "contacts/<int:pk>/follow-up-done/",
        cases.FollowUpDoneView.as_view(),
        name="follow-up-done",
    ),
    path("parents/", people.ParentListView.as_view(), name="parent-list"),
    path("parents/export/", people.ParentListView.as_view(export=True), name="parent-export"),
    path("parents/<int:pk>/", people.ParentDetailView.as_view(), name="parent-detail"),
    path("parents/<int:pk>/edit/", people.ParentEditView.as_view(), name="parent-edit"),
    path("children/<int:pk>/edit/", people.ChildEditView.as_view(), name="child-edit"),
    path("enquiries/", enquiries.EnquiryListView.as_view(), name="enquiry-list"),
    path(
        "enquiries/export/",
        enquiries.EnquiryListView.as_view(export=True),
        name="enquiry-export",
    ),
    path("enquiries/new/", enquiries.EnquiryCreateView.as_view(), name="enquiry-create"),
    path("enquiries/<int:pk>/", enquiries.EnquiryDetailView.as_view(), name="enquiry-detail"),
    path("feedback/", feedback.FeedbackListView.as_view(), name="feedback-list"),
    path(
        "feedback/export/",
        feedback.FeedbackListView.as_view(export=True),
        name="feedback-export",
    ),
    path("feedback/new/", feedback.FeedbackCreateView.as_view(), name="feedback-create"),
    path("feedback/<int:pk>/", feedback.FeedbackEditView.as_view(), name="feedback-edit"),
    # Letters and emails from a case, and the templates they are written from.
    path(
        "cases/<int:pk>/letters/", letters.CaseLetterStartView.as_view(), name="case-letter-start"
    ),
    path(
        "cases/<int:pk>/letters/<int:template>/",
        letters.CaseLetterWriteView.as_view(),
        name="case-letter-write",
    ),
    path("letters/<int:pk>/", letters.CorrespondenceDetailView.as_view(), name="correspondence"),
    path(
        "letters/<int:pk>/pdf/",
        letters.CorrespondenceFileView.as_view(),
        name="correspondence-pdf",
    ),
    path(
        "settings/letters/",
        letters.LetterTemplateListView.as_view(),
        name="letter-template-list",
    ),
    path(
        "settings/letters/<int:pk>/",
        letters.LetterTemplateEditView.as_view(),
        name="letter-template-edit",
    ),
    path("settings/lists/", codelists.CodeListIndexView.as_view(), name="codelist-index"),
    path("settings/lists/<slug:kind>/", codelists.CodeListView.as_view(), name="codelist"),
    path(
        "settings/lists/<slug:kind>/<int:pk>/",
        codelists.CodeListItemEditView.as_view(),
        name="codelist-item",
    ),
]
