"""The import's writes (docs/data-lifecycle.md, "Importing past years and exporting
everything"): receive a file, check it (never writing a record), and load it all in one
transaction or nothing.

A small file is checked and loaded in the request; a big one by the background worker
(django-tasks, docs/decisions/0018-background-worker.md), with the check's progress on the
run's page. Both read the file through the storage API, so the worker may be on another
machine.
"""

import datetime as dt
import logging
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from pps import uploads
from pps.access import service_scope
from pps.models import Service, User
from reports.network import members, rebuild_years
from reports.periods import financial_year_of
from transfers.layouts import LAYOUTS, Layout
from transfers.layouts.base import Context
from transfers.models import ImportRun
from transfers.reading import read_rows

Status = ImportRun.Status
logger = logging.getLogger(__name__)

ALLOWED_SUFFIXES = (".csv", ".xlsx")


def direct_bytes() -> int:
    """Files up to this size are checked and loaded while the coordinator waits; bigger
    ones go to the background worker (settings.PPS_IMPORT_DIRECT_BYTES)."""
    return settings.PPS_IMPORT_DIRECT_BYTES


def validate_upload(upload) -> None:
    """A CSV or XLSX file within the size limit (pps.uploads decides the type by content)."""
    kind = uploads.validate_document(upload)
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    if kind not in (uploads.TEXT, uploads.EXCEL) or suffix not in ALLOWED_SUFFIXES:
        raise ValidationError(
            "Upload a CSV file (saved as “CSV UTF-8”) or an Excel workbook (.xlsx).",
            code="type",
        )


def receive_import(*, service: Service, by: User, layout: str, upload) -> ImportRun:
    """Keep the uploaded file and check it: now when it is small, else in the worker."""
    if layout not in LAYOUTS:
        raise ValidationError({"layout": "Choose what the file holds."})
    validate_upload(upload)
    with transaction.atomic():
        run = ImportRun(
            service=service,
            layout=layout,
            filename=uploads.safe_name(upload.name),
            uploaded_by=by,
            status=Status.CHECKING,
            size=upload.size,
        )
        run.file.save(run.filename, upload, save=False)
        run.save()
        if run.size > direct_bytes():
            _enqueue(run, check_import_task)
            return run
    check_import(run)
    return run


def _enqueue(run: ImportRun, task) -> None:
    """Queue the run's check or load, inside the caller's transaction (the run and its task
    are committed together, as pps/documents.py does for documents)."""
    task.enqueue(run.service_id, run.pk)
    run.queued_at = timezone.now()
    run.attempts += 1
    run.save()


# One retry after a worker that stopped: a second stop is more likely the file than the
# worker (as pps.documents.MAX_ATTEMPTS).
MAX_ATTEMPTS = 2


def recover_stale_imports(*, now=None) -> int:
    """Queue again once, or fail, the runs in scope the worker was asked for and has not
    finished after PPS_DOCUMENT_BUILD_TIMEOUT seconds (its worker was killed; a killed
    django-tasks-db worker leaves its task running forever). Both tasks are safe to run
    twice. Returns how many runs it changed."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.PPS_DOCUMENT_BUILD_TIMEOUT)
    changed = 0
    stale = ImportRun.objects.filter(
        status__in=[Status.CHECKING, Status.LOADING], queued_at__lt=cutoff
    ).values_list("pk", flat=True)
    for pk in list(stale):
        with transaction.atomic():
            run = (
                ImportRun.objects.select_for_update()
                .filter(pk=pk, status__in=[Status.CHECKING, Status.LOADING], queued_at__lt=cutoff)
                .first()
            )
            if run is None:
                continue
            if run.attempts >= MAX_ATTEMPTS:
                run.status = Status.FAILED
                run.failure_reason = (
                    "The background worker stopped without finishing this file twice: "
                    "nothing was imported. Upload it again, or in smaller files."
                )
                run.finished_at = now
                run.save()
            else:
                task = check_import_task if run.status == Status.CHECKING else load_import_task
                _enqueue(run, task)
            changed += 1
    return changed


def _layout(run: ImportRun) -> Layout:
    return LAYOUTS[run.layout]


def _checked(run: ImportRun, context: Context, progress=None):
    try:
        header, rows = read_rows(run.file, run.filename)
        return _layout(run).check_file(header, rows, context, progress=progress), ""
    except ValidationError as error:
        return None, " ".join(error.messages)
    except OSError:
        return None, "The uploaded file can no longer be read: upload it again."
    except Exception:
        # A damaged workbook can fail anywhere while its rows are read (openpyxl raises
        # many kinds): the person is told the file could not be read, the log has the rest.
        logger.exception("Reading import %s failed", run.pk)
        return None, "The file could not be read: save it again as CSV UTF-8 or .xlsx."


def check_import(run: ImportRun) -> ImportRun:
    """Read and check every row; record every problem and what a load would create."""
    context = Context(run.service)

    def progress(done):
        ImportRun.objects.filter(pk=run.pk).update(rows_checked=done)

    checked, failure = _checked(run, context, progress)
    run.finished_at = timezone.now()
    if checked is None:
        run.status, run.failure_reason = Status.FAILED, failure
        run.save()
        return run
    layout = _layout(run)
    run.status = Status.CHECKED
    run.rows_total = run.rows_checked = checked.total
    run.already_imported = checked.already
    run.problems = [problem.as_list() for problem in checked.problems]
    run.counts = {} if checked.problems else layout.counts(checked.rows, context)
    run.preview = [] if checked.problems else layout.preview(checked.rows)
    run.save()
    return run


def confirm_import(*, run: ImportRun, by: User) -> ImportRun:
    """Load a checked file with no problems: now when it is small, else in the worker."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != Status.CHECKED:
            raise ValidationError("This file is not waiting to be imported.")
        if run.problems:
            raise ValidationError("Correct the rows listed and upload the file again.")
        if not run.counts or not any(run.counts.values()):
            raise ValidationError("There is nothing new in this file to import.")
        run.status = Status.LOADING
        run.confirmed_by = by
        run.save()
        if run.size > direct_bytes():
            _enqueue(run, load_import_task)
            return run
    return load_import(run)


def load_import(run: ImportRun) -> ImportRun:
    """Check the file again (the service may have changed since the preview) and load
    every row in one transaction; any problem leaves every record as it was."""
    context = Context(run.service)
    checked, failure = _checked(run, context)
    layout = _layout(run)
    by = run.confirmed_by
    try:
        with transaction.atomic():
            run = ImportRun.objects.select_for_update().get(pk=run.pk)
            if run.status != Status.LOADING:
                return run  # loaded already by an earlier run of the task
            if checked is None or checked.problems:
                run.status = Status.CHECKED if checked else Status.FAILED
                run.failure_reason = failure
                run.problems = [p.as_list() for p in checked.problems] if checked else []
                run.counts = {}
                run.finished_at = timezone.now()
                run.save()
                return run
            run.counts = layout.load(checked.rows, context, by=by, run=run)
            run.already_imported = checked.already
            run.status = Status.LOADED
            run.finished_at = timezone.now()
            # The file and the preview hold personal data that the records now hold: the
            # file is deleted once the load commits, and the preview with it.
            run.preview = []
            run.save()
            stored = run.file.name
            transaction.on_commit(lambda: run.file.storage.delete(stored), robust=True)
            _rebuild_network_summaries(run.service_id, checked.rows)
    except IntegrityError as error:
        ImportRun.objects.filter(pk=run.pk).update(
            status=Status.FAILED,
            failure_reason=f"Nothing was imported: the database refused a row ({error})."[:500],
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
    return run


def _rebuild_network_summaries(service_id: int, rows: list[dict]) -> None:
    """Bulk inserts bypass the signals that keep the network report's monthly summaries
    (reports/network.py): the years the rows fall in are rebuilt once the load commits."""
    if service_id not in members():
        return
    years = set()
    for row in rows:
        for name in ("received_on", "opened_on", "at", "received_at"):
            day = row.get(name)
            if day is not None:
                years.add(financial_year_of(day))
        # A status change counts at the end of every later month (reports/network.py): its
        # year and every year after it up to now.
        if row.get("status_history"):
            first = financial_year_of(row["status_history"][0][1])
            years.update(range(first, financial_year_of(timezone.localdate()) + 1))
    if years:
        wanted = [[service_id, year] for year in sorted(years)]
        transaction.on_commit(lambda: rebuild_years.enqueue(wanted))


def _in_worker(service_id: int, run_id: int, status: str, step) -> str:
    """Run `step` on the run in its service's scope if it is still at `status`."""
    with service_scope(service_id):
        run = ImportRun.objects.filter(pk=run_id, status=status).first()
        if run is None:
            return "skipped"
        return step(run).status


@task()
def check_import_task(service_id: int, run_id: int) -> str:
    """The worker's check of a big file. Safe to run twice: a run already checked is left."""
    return _in_worker(service_id, run_id, Status.CHECKING, check_import)


@task()
def load_import_task(service_id: int, run_id: int) -> str:
    """The worker's load of a big file. Safe to run twice: the load is one transaction and a
    run already loaded is left alone."""
    return _in_worker(service_id, run_id, Status.LOADING, load_import)
