app_name = "access_requests"

urlpatterns: list = []
