"""Rebuild the network report's monthly summaries, or check them against the records
(docs/decisions/0020-network-summaries.md)."""

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.network import drift, members, rebuild_everything
from reports.periods import financial_year_of


class Command(BaseCommand):
    help = (
        "Rebuild the network summaries of every taking-part service (every year from its "
        "first contact, or the years given), or with --check compare them with the records."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            help="a financial year by the calendar year it starts in (2025 for 2025-26); "
            "may be given more than once",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="rebuild nothing: list each summarised year that differs from a count of "
            "the records, and exit with status 1 if any does",
        )

    def handle(self, *args, year=None, check=False, **options):
        if check:
            current = financial_year_of(timezone.localdate())
            found = drift(year or range(current - 4, current + 1))
            for line in found:
                self.stdout.write(line)
            if found:
                sys.exit(1)
            self.stdout.write(f"Network summaries of {len(members())} services: no drift.")
            return
        written = rebuild_everything(year)
        self.stdout.write(f"Wrote {written} monthly summaries of {len(members())} services.")
