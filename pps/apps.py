from django.apps import AppConfig


class PpsConfig(AppConfig):
    name = "pps"
    verbose_name = "Services and staff"
