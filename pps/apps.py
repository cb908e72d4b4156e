from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _refresh_calendar(sender, using, **kwargs):
    """The working-day calendar follows the bank-holiday source at every migrate."""
    from pps.workingdays import refresh_calendar

    refresh_calendar(using)


class PpsConfig(AppConfig):
    name = "pps"
    verbose_name = "Services and staff"

    def ready(self):
        # Registers the production checks (the import is the registration).
        from pps import checks  # noqa: F401

        post_migrate.connect(_refresh_calendar, sender=self)
