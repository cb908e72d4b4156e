from django.urls import path

from evaluations.views import builder, comments, events, public, sending

app_name = "evaluations"

urlpatterns = [
    # Public: the one-time link a parent or professional answers on (no account).
    path("e/<int:service>/<str:token>/", public.AnswerView.as_view(), name="answer"),
    path("e/thank-you/", public.answered, name="answered"),
    # Staff.
    path("evaluations/due/", sending.DueView.as_view(), name="due"),
    path(
        "cases/<int:pk>/send-evaluation/",
        sending.SendToParentView.as_view(),
        name="send-parent",
    ),
    path(
        "cases/<int:pk>/send-professional-evaluation/",
        sending.SendToProfessionalView.as_view(),
        name="send-professional",
    ),
    path("evaluations/send/", sending.SendAnyFormView.as_view(), name="send"),
    path("evaluations/sent/", sending.SendingListView.as_view(), name="sending-list"),
    path(
        "evaluations/sent/export/",
        sending.SendingListView.as_view(export=True),
        name="sending-export",
    ),
    path("evaluations/sent/<int:pk>/retry/", sending.RetryEmailView.as_view(), name="retry"),
    path("evaluations/sent/<int:pk>/reprint/", sending.ReprintView.as_view(), name="reprint"),
    path("evaluations/paper/", sending.PaperEntryView.as_view(), name="paper-entry"),
    path(
        "evaluations/paper/<int:pk>/",
        sending.PaperResponseView.as_view(),
        name="paper-response",
    ),
    path("evaluations/comments/", comments.CommentListView.as_view(), name="comments"),
    path(
        "evaluations/comments/<int:pk>/",
        comments.PublishCommentView.as_view(),
        name="comment-publish",
    ),
    # Coordinators: forms as data.
    path("settings/forms/", builder.FormListView.as_view(), name="form-list"),
    path("settings/forms/new/", builder.FormCreateView.as_view(), name="form-create"),
    path("settings/forms/<int:pk>/", builder.FormDetailView.as_view(), name="form-detail"),
    path(
        "settings/forms/<int:pk>/questions/",
        builder.QuestionsView.as_view(),
        name="form-questions",
    ),
    path("settings/forms/<int:pk>/draft/", builder.StartDraftView.as_view(), name="form-draft"),
    path("settings/forms/<int:pk>/publish/", builder.PublishView.as_view(), name="form-publish"),
    path("settings/forms/<int:pk>/copy/", builder.FormCopyView.as_view(), name="form-copy"),
    path("settings/forms/<int:pk>/retire/", builder.FormRetireView.as_view(), name="form-retire"),
    # Events.
    path("events/", events.EventListView.as_view(), name="event-list"),
    path("events/export/", events.EventListView.as_view(export=True), name="event-export"),
    path("events/new/", events.EventCreateView.as_view(), name="event-create"),
    path("events/<int:pk>/", events.EventDetailView.as_view(), name="event-detail"),
    path("events/<int:pk>/edit/", events.EventEditView.as_view(), name="event-edit"),
    path("events/<int:pk>/hand-out/", events.HandOutView.as_view(), name="event-hand-out"),
]
