from django.contrib import admin
from django.urls import include, path

from pps import views

admin.site.site_header = "PPS casework: system administration"
# The admin is for superusers only: staff never need it for their daily work.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("settings/service/", views.ServiceSettingsView.as_view(), name="service-settings"),
    path("", include("casework.urls")),
    path("", include("volunteers.urls")),
    path("", include("evaluations.urls")),
    path("reports/", include("reports.urls")),
    path("quality/", include("quality.urls")),
    path("admin/", admin.site.urls),
]
