from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from casework.models.case import Case
from casework.models.people import Parent
from pps import uploads
from pps.models import ServiceRecord


def _document_path(instance, filename):
    return uploads.stored_name(f"casework/{instance.service_id}", filename)


class CaseDocument(ServiceRecord):
    """A file kept with a family's records: on one of their cases, or on the parent alone
    (docs/domain.md, "Documents on cases and parents").

    Every document belongs to a parent (for a case's document, the case's parent), so that
    the family's retention, erasure and subject access reach it through the parent. A
    case's document is seen by whoever sees the case; a parent's own by staff only
    (casework.access.documents_visible_to). The file is personal data: retention deletes
    it, with its row, rather than blanking fields (retention.actions).
    """

    PERSONAL_FIELDS = ("title", "original_name", "file")

    parent = models.ForeignKey(Parent, on_delete=models.CASCADE, related_name="documents")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=_document_path, max_length=200)
    original_name = models.CharField("file name", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField("size in bytes")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-uploaded_at"]),
            models.Index(fields=["parent", "-uploaded_at"]),
        ]

    def __str__(self):
        return self.title
