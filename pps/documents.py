"""Generated documents: asked for in a request, built by the background worker.

The lifecycle (docs/decisions/0018-background-worker.md):
- `request_document` records the document as queued and enqueues `build_document` on
  django-tasks' database queue in the same transaction (the queue is a table of the same
  database, so the document and its task are committed together or not at all);
- a worker (`manage.py db_worker`) runs `build_document`, which opens the document's
  service scope through pps.access.service_scope (the same entry point a request uses),
  marks it building, calls the builder registered for its kind and stores the file through
  default_storage; then ready, or failed with the reason. The file is kept, and a
  builder's own writes committed, only while the document is still that worker's claim,
  in one transaction with the "ready" (`_run`): a build runs to the end once;
- a build whose worker died stays "building": `recover_stale_builds` (run when the list or
  a status page is read, and by `manage.py recover_stale_documents`) queues it again once
  and marks it failed after that; it also queues again a document still queued whose task
  is gone (a restored backup holds documents, not the queue).

The builders live in the apps that own the figures (an app above pps registers its own in
its AppConfig.ready), so pps never imports them.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from pps.access import may_open, service_scope
from pps.models import GeneratedDocument, Service

logger = logging.getLogger(__name__)

Status = GeneratedDocument.Status

# One retry after a build that died: a second death is more likely the document than the
# worker (a page that makes WeasyPrint run out of memory), so it is then marked failed.
MAX_ATTEMPTS = 2


@dataclass(frozen=True)
class Built:
    filename: str
    content: bytes


# A builder takes the document (inside its service's scope) and returns the file.
Builder = Callable[[GeneratedDocument], Built]


@dataclass(frozen=True)
class _Registered:
    build: Builder
    writes: bool


_builders: dict[str, _Registered] = {}


class Superseded(Exception):
    """The build is no longer this worker's: it was queued again and another took it."""


def register_builder(kind: str, builder: Builder, *, writes: bool = False) -> None:
    """Register the builder of a kind of document.

    A builder that `writes` records (event hand-outs create their sendings) runs inside the
    transaction that stores its file and marks the document ready, so its records are kept
    only together with a finished document, and only once however often the task runs.
    A builder that only reads runs outside it (on SQLite a transaction holds the one
    write lock, which a long render must not keep from the pages).
    """
    _builders[kind] = _Registered(builder, writes)


def check_asker(document: GeneratedDocument, roles) -> None:
    """Refuse a build whose asker may no longer do what they asked (pps.access.may_open):
    their role or their service changed while the document waited for a worker."""
    user = document.requested_by
    if not may_open(user, roles) or user.service_id != document.service_id:
        raise PermissionDenied("The person who asked for this document may no longer make it.")


def to_status_page(request, document: GeneratedDocument, doing: str = "The PDF is being built"):
    """The answer to a request that asked for a document: says that it is on its way and
    goes to the document's page, which shows when it is ready to download."""
    messages.success(request, f"{doing}: this page shows when it is ready.")
    return redirect("document-status", pk=document.pk)


def request_document(
    *,
    service: Service,
    kind: str,
    parameters: dict,
    title: str,
    holds_personal_data: bool,
    by,
) -> GeneratedDocument:
    """Record a queued document and enqueue its build, in one transaction.

    A worker cannot see the task before the document is committed with it, and a request
    that rolls back leaves neither. A document about one family names it in `parameters`,
    as "parent" (the parent's id) or "case" (a case's id): anonymising the family deletes
    it with its file (docs/data-lifecycle.md, "Retention").
    """
    if kind not in _builders:
        raise ValueError(f"No builder is registered for documents of kind {kind!r}")
    with transaction.atomic():
        document = GeneratedDocument.objects.create(
            service=service,
            kind=kind,
            parameters=parameters,
            title=title,
            holds_personal_data=holds_personal_data,
            requested_by=by,
        )
        _enqueue(document)
    return document


def _enqueue(document: GeneratedDocument) -> None:
    """Queue the document's build and note the task; run inside the caller's transaction."""
    document.status = Status.QUEUED
    document.task_id = str(build_document.enqueue(document.service_id, document.pk).id)
    document.save()


@task()
def build_document(service_id: int, document_id: int) -> str:
    """The worker's task: build one document, in its service's scope.

    Safe to run twice: a document that is ready or failed is left alone, and one another
    worker is building (and has not timed out) is not taken.
    """
    with service_scope(service_id):
        document = _claim(document_id)
        return "skipped" if document is None else _run(document)


def _claim(document_id: int) -> GeneratedDocument | None:
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status != Status.QUEUED:
            return None
        document.status = Status.BUILDING
        document.started_at = timezone.now()
        document.finished_at = None
        document.attempts += 1
        document.save()
    return document


def _run(document: GeneratedDocument) -> str:
    """Build a claimed document and keep the result only while the claim is still ours.

    A worker thought dead may still finish after its document was queued again and
    claimed by another (attempts moved on): its file, and whatever its builder wrote, are
    then rolled back, so the document is finished once.
    """
    registered = _builders[document.kind]
    try:
        if registered.writes:
            with transaction.atomic():
                _store(document, registered.build(document))
        else:
            built = registered.build(document)
            with transaction.atomic():
                _store(document, built)
    except Superseded:
        return "skipped"
    except Exception as error:
        # The reason is shown to the person who asked; the traceback goes to the worker's log.
        logger.exception("Building document %s failed", document.pk)
        try:
            with transaction.atomic():
                _finish(_still_ours(document), Status.FAILED, reason=_reason(error))
        except Superseded:
            return "skipped"
        return Status.FAILED
    return Status.READY


def _still_ours(document: GeneratedDocument) -> GeneratedDocument:
    """The document's row, locked until the transaction ends, if this claim still holds."""
    current = (
        GeneratedDocument.objects.select_for_update()
        .filter(pk=document.pk, status=Status.BUILDING, attempts=document.attempts)
        .first()
    )
    if current is None:
        raise Superseded
    return current


def _store(document: GeneratedDocument, built: Built) -> None:
    """Save the file and mark the document ready, inside the caller's transaction.

    A transaction that does not commit after the file is saved leaves a file no row names
    (never served: downloads go through the row); the links in a hand-out's file then name
    sendings that were rolled back with it, so nothing in it can be answered.
    """
    current = _still_ours(document)
    current.file.save(built.filename, ContentFile(built.content), save=False)
    current.filename = built.filename
    current.size = len(built.content)
    _finish(current, Status.READY)


def _reason(error: Exception) -> str:
    # A rule's refusal says what is wrong in its own words (an action's ValidationError).
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    text = text or type(error).__name__
    return f"The document could not be built: {text}"[:500]


def _finish(document: GeneratedDocument, status: str, *, reason: str = "") -> None:
    document.status = status
    document.failure_reason = reason
    document.finished_at = timezone.now()
    document.save()


def recover_stale_builds(*, now=None) -> int:
    """Queue again, or fail, the documents in scope that no worker will finish.

    - Still "building" PPS_DOCUMENT_BUILD_TIMEOUT seconds after it started: the worker was
      killed or its machine went away. Queued again once; a second death fails it.
    - Still "queued" that long after it was asked for, and its task is gone (a restored
      backup, a pruned queue) or finished without building it: queued again; a task that
      failed before it could claim the document fails the document with it.
    Runs inside a service scope (a request's, or each service's in turn from the command).
    Returns how many documents it changed.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.PPS_DOCUMENT_BUILD_TIMEOUT)
    candidates = list(
        GeneratedDocument.objects.filter(
            Q(status=Status.BUILDING, started_at__lt=cutoff)
            | Q(status=Status.QUEUED, requested_at__lt=cutoff)
        ).values_list("pk", "status", "task_id")
    )
    changed = 0
    for document_id, status, task_id in candidates:
        if status == Status.QUEUED:
            task_status = _task_status(task_id)
            if task_status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
                continue  # waiting for a busy worker, or being claimed now
        with transaction.atomic():
            document = (
                GeneratedDocument.objects.select_for_update()
                .filter(pk=document_id, status=status, task_id=task_id)
                .first()
            )
            # Another reader recovered it meanwhile, or a worker moved it on.
            if document is None:
                continue
            reason = ""
            if status == Status.BUILDING and document.attempts >= MAX_ATTEMPTS:
                reason = (
                    f"The build stopped without finishing {document.attempts} times "
                    "(its worker was stopped or ran out of memory)."
                )
            elif status == Status.QUEUED and task_status == TaskResultStatus.FAILED:
                reason = "The background task failed before it could build the document."
            if reason:
                _finish(document, Status.FAILED, reason=reason)
            else:
                _enqueue(document)
            changed += 1
    return changed


def _task_status(task_id: str) -> str | None:
    """The queue's status of a task; None when the queue no longer has it."""
    if not task_id:
        return None
    try:
        return build_document.get_result(task_id).status
    except TaskResultDoesNotExist:
        return None
