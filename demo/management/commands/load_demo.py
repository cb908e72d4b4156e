import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.generate import SERVICE_NAME, demo_exists, generate
from pps.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo service with three years of fake records (once; then it is kept)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--years", type=int, default=3, help="Whole academic years before the current one."
        )
        parser.add_argument("--cases-per-year", type=int, default=300)
        parser.add_argument("--contacts-per-case", type=int, default=13)
        parser.add_argument("--enquiries-per-year", type=int, default=1700)

    def handle(self, *args, years, cases_per_year, contacts_per_case, enquiries_per_year, **_):
        if settings.PRODUCTION:
            # Fake people and accounts with a published password have no place beside real
            # children's records.
            raise CommandError(
                "The demo data is never loaded in production (PPS_PRODUCTION is on)."
            )
        if demo_exists():
            self.stdout.write(
                f"The demo service “{SERVICE_NAME}” is already loaded: nothing to do."
            )
            if connection.vendor == "sqlite":
                # A demo loaded before its statistics were kept gets them now; otherwise
                # SQLite's own cheap check of whether they need refreshing.
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA optimize")
            return
        started = time.monotonic()
        demo = generate(
            years=years,
            cases_per_year=cases_per_year,
            contacts_per_case=contacts_per_case,
            enquiries_per_year=enquiries_per_year,
        )
        # The query planner needs statistics of the rows just loaded in bulk: PostgreSQL's
        # autovacuum would gather them later, SQLite never does. Without them SQLite looked
        # up each case's first staff contact through the service's index of every contact
        # (the dashboard's response times: 1.4 s on the demo, 47 ms with them).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        counts = demo.counts
        self.stdout.write(
            f"Loaded “{SERVICE_NAME}” in {time.monotonic() - started:.1f} s: "
            f"{counts['cases']:,} cases ({counts['open_cases']:,} open today), "
            f"{counts['contacts']:,} contacts, {counts['enquiries']:,} enquiries, "
            f"{counts['feedback']:,} complaints, compliments and suggestions, "
            f"{counts['users']:,} users; {counts['network_services']} neighbouring services "
            f"with {counts['network_cases']:,} cases for the network report."
        )
        accounts = ", ".join(f"{name} ({role.label})" for name, role in DEMO_ACCOUNTS)
        self.stdout.write(f"Demo accounts: {accounts}; password {DEMO_PASSWORD}")
