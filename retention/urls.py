app_name = "retention"

urlpatterns: list = []
