"""Queue again, or fail, the imports whose worker stopped (transfers/actions.py).

An upload's page does this for its own service when read while the run is in progress; this
command does it for every service, for a cron job or a worker machine's timer.
"""

from django.core.management.base import BaseCommand

from pps.access import service_scope
from pps.models import Service
from transfers.actions import recover_stale_imports


class Command(BaseCommand):
    help = "Retry once, or mark failed, imports stuck in 'being checked' or 'being imported'."

    def handle(self, *args, **options):
        changed = 0
        for service_id in Service.objects.values_list("pk", flat=True).order_by("pk"):
            with service_scope(service_id):
                changed += recover_stale_imports()
        self.stdout.write(f"{changed} stale imports recovered.")
