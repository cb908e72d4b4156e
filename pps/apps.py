from django.apps import AppConfig


class PpsConfig(AppConfig):
    name = "pps"
    verbose_name = "Services and staff"

    def ready(self):
        # Registers the production checks (the import is the registration).
        from pps import checks  # noqa: F401
