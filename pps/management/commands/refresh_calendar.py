from django.core.management.base import BaseCommand

from pps.workingdays import refresh_calendar


class Command(BaseCommand):
    help = "Rewrite the working-day calendar from the bank-holiday source (migrate does it too)."

    def handle(self, *args, **options):
        days = refresh_calendar()
        self.stdout.write(f"Working-day calendar: {days} days written.")
