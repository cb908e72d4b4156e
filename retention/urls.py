from django.urls import path

from retention import views

app_name = "retention"

urlpatterns = [
    path("", views.DueListView.as_view(), name="due"),
    path("anonymise/", views.AnonymiseDueView.as_view(), name="anonymise-due"),
    path("setting/", views.RetentionSettingView.as_view(), name="setting"),
    path("families/<int:pk>/", views.FamilyView.as_view(), name="family"),
    path("families/<int:pk>/hold/", views.PlaceHoldView.as_view(), name="hold-place"),
    path("families/<int:pk>/erase/", views.EraseFamilyView.as_view(), name="erase"),
    path("holds/<int:pk>/release/", views.ReleaseHoldView.as_view(), name="hold-release"),
]
