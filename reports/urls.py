from django.urls import path

from reports import network_views, views

app_name = "reports"

urlpatterns = [
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/export/", views.DashboardView.as_view(export=True), name="dashboard-export"),
    path("dashboard/targets/", views.TargetsView.as_view(), name="targets"),
    path("evaluations/", views.EvaluationResultsView.as_view(), name="evaluation-results"),
    path(
        "evaluations/export/",
        views.EvaluationResultsView.as_view(export=True),
        name="evaluation-results-export",
    ),
    # The network report (issue 13): a financial year across the services taking part.
    path("network/", network_views.NetworkIndexView.as_view(), name="network-index"),
    path("network/<int:year>/", network_views.NetworkReportView.as_view(), name="network"),
    path(
        "network/<int:year>/csv/<slug:table>/",
        network_views.NetworkCsvView.as_view(),
        name="network-csv",
    ),
]
