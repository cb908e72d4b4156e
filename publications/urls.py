from django.urls import path

from publications import views

app_name = "publications"

urlpatterns = [
    path("annual/", views.AnnualReportIndexView.as_view(), name="annual-index"),
    path("annual/<int:year>/", views.AnnualReportView.as_view(), name="annual-report"),
    path(
        "annual/<int:year>/workbook/",
        views.AnnualReportExportView.as_view(fmt="xlsx"),
        name="annual-xlsx",
    ),
    path(
        "annual/<int:year>/json/",
        views.AnnualReportExportView.as_view(fmt="json"),
        name="annual-json",
    ),
    path(
        "annual/<int:year>/csv/<slug:table>/",
        views.AnnualReportExportView.as_view(fmt="csv"),
        name="annual-csv",
    ),
    path("annual/<int:year>/pdf/", views.BuildAnnualReportPdfView.as_view(), name="annual-pdf"),
    path(
        "annual/<int:year>/narrative/<slug:part>/",
        views.NarrativeEditView.as_view(),
        name="narrative-edit",
    ),
    path(
        "annual/<int:year>/calls-and-visits/",
        views.MonthlyActivityView.as_view(),
        name="monthly-activity",
    ),
    path("benchmarking/", views.BenchmarkingIndexView.as_view(), name="benchmarking-index"),
    path(
        "benchmarking/<int:year>/",
        views.BenchmarkingReturnView.as_view(),
        name="benchmarking-return",
    ),
    path(
        "benchmarking/<int:year>/workbook/",
        views.BenchmarkingExportView.as_view(fmt="xlsx"),
        name="benchmarking-xlsx",
    ),
    path(
        "benchmarking/<int:year>/json/",
        views.BenchmarkingExportView.as_view(fmt="json"),
        name="benchmarking-json",
    ),
    path(
        "benchmarking/<int:year>/csv/<slug:table>/",
        views.BenchmarkingExportView.as_view(fmt="csv"),
        name="benchmarking-csv",
    ),
    path(
        "benchmarking/<int:year>/pdf/",
        views.BuildBenchmarkingPdfView.as_view(),
        name="benchmarking-pdf",
    ),
    path(
        "benchmarking/<int:year>/denominators/",
        views.DenominatorsEditView.as_view(),
        name="benchmarking-denominators",
    ),
]
