"""The whole-service export: every record in the import layouts, one CSV per layout, zipped,
built by the background worker as a generated document (pps/documents.py), so that the
export of one service imports into an empty one unchanged."""

import io
import zipfile

from django.utils import timezone

from pps.documents import Built, check_asker, register_builder, request_document
from pps.exports import csv_text
from pps.models import GeneratedDocument
from pps.roles import COORDINATORS
from transfers.layouts import LAYOUTS

SERVICE_EXPORT = "transfers-service-export"


def export_archive(service) -> bytes:
    """The zip of every layout's CSV (cells made safe for spreadsheets, pps.exports)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key, layout in LAYOUTS.items():
            archive.writestr(f"{key}.csv", csv_text(layout.export(service)))
    return buffer.getvalue()


def build_service_export(document: GeneratedDocument) -> Built:
    check_asker(document, COORDINATORS)
    day = timezone.localdate()
    return Built(f"service-export-{day:%Y-%m-%d}.zip", export_archive(document.service))


def request_service_export(*, service, by) -> GeneratedDocument:
    return request_document(
        service=service,
        kind=SERVICE_EXPORT,
        parameters={},
        title="Whole-service export (every record, zipped CSV files)",
        holds_personal_data=True,
        by=by,
    )


def register() -> None:
    register_builder(SERVICE_EXPORT, build_service_export)
