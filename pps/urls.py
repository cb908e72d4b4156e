from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pps import views

admin.site.site_header = "PPS casework: system administration"
# The admin is for superusers only: staff never need it for their daily work.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", views.SecondFactorVerifyView.as_view(), name="two-factor-verify"),
    path(
        "accounts/two-factor/set-up/",
        views.SecondFactorSetUpView.as_view(),
        name="two-factor-setup",
    ),
    # Django's own password pages.
    *(
        path(f"accounts/password/{route}", view.as_view(), name=name)
        for route, view, name in (
            ("change/", auth_views.PasswordChangeView, "password_change"),
            ("change/done/", auth_views.PasswordChangeDoneView, "password_change_done"),
            ("reset/", auth_views.PasswordResetView, "password_reset"),
            ("reset/sent/", auth_views.PasswordResetDoneView, "password_reset_done"),
            (
                "reset/<uidb64>/<token>/",
                auth_views.PasswordResetConfirmView,
                "password_reset_confirm",
            ),
            ("reset/complete/", auth_views.PasswordResetCompleteView, "password_reset_complete"),
        )
    ),
    path("settings/service/", views.ServiceSettingsView.as_view(), name="service-settings"),
    path("settings/accounts/", views.StaffAccountsView.as_view(), name="staff-accounts"),
    path(
        "settings/accounts/<int:pk>/reset-second-factor/",
        views.ResetSecondFactorView.as_view(),
        name="reset-second-factor",
    ),
    path("documents/", views.DocumentListView.as_view(), name="document-list"),
    path("documents/<int:pk>/", views.DocumentStatusView.as_view(), name="document-status"),
    path(
        "documents/<int:pk>/download/",
        views.DocumentDownloadView.as_view(),
        name="document-download",
    ),
    path("", include("casework.urls")),
    path("", include("volunteers.urls")),
    path("", include("evaluations.urls")),
    path("reports/", include("reports.urls")),
    path("reports/", include("publications.urls")),
    path("quality/", include("quality.urls")),
    path("imports/", include("transfers.urls")),
    path("subject-access/", include("access_requests.urls")),
    path("retention/", include("retention.urls")),
    path("admin/", admin.site.urls),
]
