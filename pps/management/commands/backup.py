from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pps.backup import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Back up one service (--service ID) or the whole installation (--all) into a ZIP file: "
        "every table of the product and the uploaded files (docs/operations.md)."
    )

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--service", type=int, help="the id of the service to back up")
        scope.add_argument("--all", action="store_true", help="every service and setting")
        parser.add_argument("--output", required=True, help="the ZIP file to write")

    def handle(self, *args, service, all, output, **options):
        path = Path(output)
        if path.exists():
            raise CommandError(f"{path} exists already: choose a new file name.")
        try:
            summary = write_backup(path, service_id=None if all else service)
        except BackupError as error:
            path.unlink(missing_ok=True)
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Wrote {path}: {summary.rows:,} rows in {len(summary.counts)} tables, "
            f"{summary.files:,} files."
        )
