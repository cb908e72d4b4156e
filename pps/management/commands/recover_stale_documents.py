"""Queue again, or fail, the document builds whose worker stopped (pps/documents.py).

The list and status pages do this for their own service when read; this command does it
for every service, for a cron job or a worker machine's timer (README.md, "Production").
"""

from django.core.management.base import BaseCommand

from pps.access import service_scope
from pps.documents import recover_stale_builds
from pps.models import Service


class Command(BaseCommand):
    help = "Retry once, or mark failed, generated documents stuck in 'building'."

    def handle(self, *args, **options):
        changed = 0
        for service_id in Service.objects.values_list("pk", flat=True).order_by("pk"):
            with service_scope(service_id):
                changed += recover_stale_builds()
        self.stdout.write(f"{changed} stale document builds recovered.")
