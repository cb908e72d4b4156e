from django.urls import path

from quality.views import assessments, evidence_pack, frameworks, overview, plans, reviews

app_name = "quality"

urlpatterns = [
    path("", overview.IndexView.as_view(), name="index"),
    path("frameworks/import/", frameworks.FrameworkImportView.as_view(), name="framework-import"),
    path("frameworks/<int:pk>/", frameworks.FrameworkDetailView.as_view(), name="framework-detail"),
    path(
        "frameworks/<int:pk>/edit/",
        frameworks.FrameworkReviseView.as_view(),
        name="framework-revise",
    ),
    path("assessments/new/", assessments.AssessmentCreateView.as_view(), name="assessment-create"),
    path(
        "assessments/<int:pk>/",
        assessments.AssessmentDetailView.as_view(),
        name="assessment-detail",
    ),
    path(
        "assessments/<int:pk>/print/",
        assessments.AssessmentPrintView.as_view(),
        name="assessment-print",
    ),
    path(
        "assessments/<int:pk>/pdf/",
        assessments.AssessmentPdfView.as_view(),
        name="assessment-pdf",
    ),
    path(
        "assessments/<int:pk>/build-pdf/",
        assessments.AssessmentBuildPdfView.as_view(),
        name="assessment-build-pdf",
    ),
    path(
        "assessments/<int:pk>/compare/",
        assessments.AssessmentCompareView.as_view(),
        name="assessment-compare",
    ),
    path(
        "assessments/<int:pk>/finalise/",
        assessments.AssessmentFinaliseView.as_view(),
        name="assessment-finalise",
    ),
    path("ratings/<int:pk>/", assessments.RatingEditView.as_view(), name="rating-edit"),
    path("ratings/<int:pk>/figures/", assessments.FigureAddView.as_view(), name="rating-figure"),
    path(
        "ratings/<int:pk>/documents/",
        assessments.DocumentAddView.as_view(),
        name="rating-document",
    ),
    path("figures/<int:pk>/remove/", assessments.FigureRemoveView.as_view(), name="figure-remove"),
    path(
        "documents/<int:pk>/",
        assessments.DocumentDownloadView.as_view(),
        name="document-download",
    ),
    path("plans/new/", plans.PlanCreateView.as_view(), name="plan-create"),
    path("plans/<int:pk>/", plans.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<int:pk>/update/", plans.PlanUpdateView.as_view(), name="plan-update"),
    path("plans/<int:pk>/copy/", plans.PlanCopyView.as_view(), name="plan-copy"),
    path("plans/<int:pk>/build-pdf/", plans.PlanBuildPdfView.as_view(), name="plan-build-pdf"),
    path("evidence-pack/", evidence_pack.EvidencePackView.as_view(), name="evidence-pack"),
    path("plan-entries/<int:pk>/", plans.PlanEntryEditView.as_view(), name="plan-entry-edit"),
    path("reviews/new/", reviews.ReviewCreateView.as_view(), name="review-create"),
    path("reviews/<int:pk>/", reviews.ReviewDetailView.as_view(), name="review-detail"),
    path("reviews/<int:pk>/edit/", reviews.ReviewEditView.as_view(), name="review-edit"),
    path("reviews/<int:pk>/bands/", reviews.ReviewBandsView.as_view(), name="review-bands"),
    path(
        "reviews/<int:pk>/actions/new/",
        reviews.ActionItemCreateView.as_view(),
        name="review-action-create",
    ),
    path("actions/<int:pk>/", reviews.ActionItemEditView.as_view(), name="action-edit"),
    path("feedback/", overview.FeedbackSummaryView.as_view(), name="feedback-summary"),
    path(
        "feedback/export/",
        overview.FeedbackSummaryView.as_view(export=True),
        name="feedback-summary-export",
    ),
    path("steering-group/", overview.SteeringGroupView.as_view(), name="steering-group"),
    path("steering-group/<int:pk>/", overview.SeatEditView.as_view(), name="seat-edit"),
]
