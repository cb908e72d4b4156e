from django.apps import AppConfig


class TransfersConfig(AppConfig):
    """A service's records arriving from spreadsheets and leaving as files: one documented CSV/XLSX
    layout per record type, the import (preview, then all or nothing), and the whole-service
    export in the same layouts (docs/data-lifecycle.md). Above evaluations in the import
    contract (decision 0021)."""

    name = "transfers"

    def ready(self):
        from transfers import exporting

        exporting.register()
