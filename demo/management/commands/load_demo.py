import time

from django.core.management.base import BaseCommand

from demo.generate import SERVICE_NAME, demo_exists, generate
from pps.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo service with three years of fake records (once; then it is kept)."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--cases-per-year", type=int, default=300)

    def handle(self, *args, years, cases_per_year, **options):
        if demo_exists():
            self.stdout.write(f"The demo service “{SERVICE_NAME}” is already loaded.")
            return
        started = time.monotonic()
        generate(years=years, cases_per_year=cases_per_year)
        self.stdout.write(f"Loaded “{SERVICE_NAME}” in {time.monotonic() - started:.1f} s.")
        accounts = ", ".join(f"{name} ({role.label})" for name, role in DEMO_ACCOUNTS)
        self.stdout.write(f"Demo accounts: {accounts}; password {DEMO_PASSWORD}")
