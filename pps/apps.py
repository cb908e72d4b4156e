from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _refresh_calendar(sender, using, **kwargs):
    """The working-day calendar follows the bank-holiday source at every migrate."""
    from django.db import connections

    from pps.models import CalendarDay
    from pps.workingdays import refresh_calendar

    # Migrated back to before the calendar existed: nothing to write.
    if CalendarDay._meta.db_table in connections[using].introspection.table_names():
        refresh_calendar(using)


class PpsConfig(AppConfig):
    name = "pps"
    verbose_name = "Services and staff"

    def ready(self):
        # Registers the production checks (the import is the registration).
        from pps import checks  # noqa: F401
        from pps.documents import register_builder
        from pps.exports import EXPORT_CSV, build_csv_export

        register_builder(EXPORT_CSV, build_csv_export)

        post_migrate.connect(_refresh_calendar, sender=self)
