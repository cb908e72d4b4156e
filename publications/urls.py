from django.urls import path

from publications import views

app_name = "publications"


def exports(report: str, view) -> list:
    """A report's figures as a workbook, a JSON document and a CSV of each table."""
    return [
        path(f"{report}/<int:year>/{route}/", view.as_view(fmt=fmt), name=f"{report}-{fmt}")
        for route, fmt in (("workbook", "xlsx"), ("json", "json"), ("csv/<slug:table>", "csv"))
    ]


urlpatterns = [
    path("annual/", views.AnnualReportIndexView.as_view(), name="annual-index"),
    path("annual/<int:year>/", views.AnnualReportView.as_view(), name="annual-report"),
    *exports("annual", views.AnnualReportExportView),
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
    *exports("benchmarking", views.BenchmarkingExportView),
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
