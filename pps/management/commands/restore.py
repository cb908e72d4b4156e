from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pps.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an EMPTY database migrated to the "
        "same migrations (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup ZIP file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        try:
            summary = restore_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {summary.rows:,} rows in {len(summary.counts)} tables and "
            f"{summary.files:,} files from {path}."
        )
