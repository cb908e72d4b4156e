from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django_scopes import scopes_disabled

from pps.access import service_scope
from pps.models import Service
from retention import actions
from retention.queries import describe_due, families_due, retention_setting_for, with_due_facts


class Command(BaseCommand):
    help = (
        "Run monthly: list, per service, the families due for anonymisation and the log rows "
        "past their period; with --apply, anonymise those families and trim the logs "
        "(docs/data-lifecycle.md). Without --apply nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="anonymise and trim")
        parser.add_argument("--service", type=int, help="only this service (its id)")

    def handle(self, *args, apply, service, **options):
        today = timezone.localdate()
        with scopes_disabled():
            services = Service.objects.order_by("name")
            if service is not None:
                services = services.filter(pk=service)
                if not services.exists():
                    raise CommandError(f"There is no service {service}.")
            services = list(services)
        for each in services:
            # Each service in its own scope, as a request of its coordinator would be.
            with service_scope(each.pk):
                self._one_service(each, today, apply)
        self._logs(apply)

    def _one_service(self, service, today, apply):
        setting = retention_setting_for(service)
        # Ids and dates only: the operator's terminal is no place for names.
        due = with_due_facts(families_due(setting, today))
        count = due.count()
        self.stdout.write(f"{service.name} (service {service.pk}): {_families(count)} due.")
        if not apply:
            for parent in due.iterator():
                row = describe_due(parent, setting)
                self.stdout.write(
                    f"  family {parent.pk}: {row.case_count} case{pluralize(row.case_count)}, "
                    f"due since {row.due_since:%-d %B %Y}, {row.why}"
                )
            return
        record = actions.anonymise_due(service=service, by=None, today=today)
        if record is not None:
            rows = sum(sum(done.values()) for done in record.counts.values())
            self.stdout.write(f"  anonymised {_families(record.families)} ({rows} rows changed).")

    def _logs(self, apply):
        now = timezone.now()
        # The logs of every service at once: the operator's command, not a service's page.
        with scopes_disabled():
            if apply:
                counts = actions.trim_logs(now=now)
                verb = "removed"
            else:
                counts = {name: rows.count() for name, rows in actions.logs_to_trim(now).items()}
                verb = "to remove"
        for name, n in counts.items():
            self.stdout.write(f"{name}: {n} rows {verb}.")


def _families(n: int) -> str:
    return f"{n} {'family' if n == 1 else 'families'}"
