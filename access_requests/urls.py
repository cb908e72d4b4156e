from django.urls import path

from access_requests import views

app_name = "access_requests"

urlpatterns = [
    path("", views.RequestListView.as_view(), name="request-list"),
    path("new/<int:parent>/", views.RequestCreateView.as_view(), name="request-create"),
    path("<int:pk>/", views.RequestDetailView.as_view(), name="request-detail"),
    path("<int:pk>/bundle/", views.ProduceBundleView.as_view(), name="request-bundle"),
    path("<int:pk>/complete/", views.CompleteRequestView.as_view(), name="request-complete"),
]
