from django.urls import path

from transfers import views

app_name = "transfers"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("layouts/<slug:layout>/", views.LayoutView.as_view(), name="layout"),
    path(
        "layouts/<slug:layout>/template.<str:format>",
        views.TemplateDownloadView.as_view(),
        name="template",
    ),
    path("<int:pk>/", views.RunView.as_view(), name="run"),
    path("<int:pk>/confirm/", views.ConfirmView.as_view(), name="confirm"),
    path("export/", views.ExportView.as_view(), name="export"),
]
