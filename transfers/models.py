"""What an import leaves behind: the file and its outcome, and which row each external
reference became (docs/data-lifecycle.md, "Importing past years and exporting everything")."""

from django.conf import settings
from django.db import models

from pps.models import ServiceRecord


class ImportRun(ServiceRecord):
    """One uploaded file of one layout, from upload to preview to load.

    The file is kept through the storage API (default_storage), never a path on this
    machine, so a worker on another machine reads the same bytes. `problems` holds every
    bad row found by the latest check as [line, column, reason]; nothing is written while
    there is one.
    """

    # What an upload holds of people: the file itself (deleted once it is loaded), its name,
    # the preview's first rows and the problems (a reason may quote a cell).
    PERSONAL_FIELDS = ("file", "filename", "preview", "problems")

    class Status(models.TextChoices):
        CHECKING = "checking", "Being checked"
        CHECKED = "checked", "Checked"
        LOADING = "loading", "Being imported"
        LOADED = "loaded", "Imported"
        FAILED = "failed", "Failed"

    layout = models.CharField(max_length=30)
    file = models.FileField(upload_to="imports/%Y/%m/")
    filename = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKING)
    # Progress of the check, shown while the background worker reads a big file.
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    # What the load would create (after a check) or created (after the load), by record type.
    counts = models.JSONField(default=dict, blank=True)
    already_imported = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=list, blank=True)
    failure_reason = models.CharField(max_length=500, blank=True)
    # When the worker was last asked to check or load it, and how often: a run the worker
    # never finished is queued again once, then failed (transfers.actions.recover_stale_imports).
    queued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["service", "-uploaded_at"])]

    def __str__(self):
        return self.filename

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.LOADING)


class ImportedRow(ServiceRecord):
    """An external reference of a layout and the row it became: a second import of the same
    file finds every reference here and creates nothing again."""

    layout = models.CharField(max_length=30)
    reference = models.CharField(max_length=100)
    object_id = models.BigIntegerField()
    run = models.ForeignKey(ImportRun, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "layout", "reference"], name="importedrow_unique_reference"
            )
        ]

    def __str__(self):
        return f"{self.layout} {self.reference}"
