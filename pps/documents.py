"""Generated documents: asked for in a request, built by the background worker.

The lifecycle (docs/decisions/0017-background-worker.md):
- `request_document` records the document as queued and, once that row is committed,
  enqueues `build_document` on django-tasks' database queue;
- a worker (`manage.py db_worker`) runs `build_document`, which opens the document's
  service scope through pps.access.service_scope (the same entry point a request uses),
  marks it building, calls the builder registered for its kind and stores the file through
  default_storage; then ready, or failed with the reason;
- a build whose worker died stays "building": `recover_stale_builds` (run when the list or
  a status page is read, and by `manage.py recover_stale_documents`) queues it again once
  and marks it failed after that.

The builders live in the apps that own the figures (an app above pps registers its own in
its AppConfig.ready), so pps never imports them.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from pps.access import service_scope
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
_builders: dict[str, Builder] = {}


def register_builder(kind: str, builder: Builder) -> None:
    _builders[kind] = builder


def request_document(
    *,
    service: Service,
    kind: str,
    parameters: dict,
    title: str,
    holds_personal_data: bool,
    by,
) -> GeneratedDocument:
    """Record a queued document and enqueue its build once the row is committed.

    Enqueued on commit so that a worker never picks up a task for a row it cannot see yet.
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
        _enqueue_on_commit(document)
    return document


def _enqueue_on_commit(document: GeneratedDocument) -> None:
    service_id, document_id = document.service_id, document.pk
    transaction.on_commit(lambda: build_document.enqueue(service_id, document_id))


@task()
def build_document(service_id: int, document_id: int) -> str:
    """The worker's task: build one document, in its service's scope.

    Safe to run twice: a document that is ready or failed is left alone, and one another
    worker is building (and has not timed out) is not taken.
    """
    with service_scope(service_id):
        return _build(document_id)


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


def _build(document_id: int) -> str:
    document = _claim(document_id)
    if document is None:
        return "skipped"
    try:
        built = _builders[document.kind](document)
    except Exception as error:
        # The reason is shown to the coordinator; the traceback goes to the worker's log.
        logger.exception("Building document %s failed", document.pk)
        _finish(document, Status.FAILED, reason=_reason(error))
        return Status.FAILED
    document.file.save(built.filename, ContentFile(built.content), save=False)
    document.filename = built.filename
    document.size = len(built.content)
    _finish(document, Status.READY)
    return Status.READY


def _reason(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return f"The document could not be built: {text}"[:500]


def _finish(document: GeneratedDocument, status: str, *, reason: str = "") -> None:
    document.status = status
    document.failure_reason = reason
    document.finished_at = timezone.now()
    document.save()


def recover_stale_builds(*, now=None) -> int:
    """Queue again (once) or fail the builds in scope whose worker stopped.

    A build is stale when it is still "building" PPS_DOCUMENT_BUILD_TIMEOUT seconds after
    it started: the worker was killed or its machine went away. Runs inside a service
    scope (a request's, or each service's in turn from the command). Returns how many
    documents it changed.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.PPS_DOCUMENT_BUILD_TIMEOUT)
    changed = 0
    stale_ids = list(
        GeneratedDocument.objects.filter(status=Status.BUILDING, started_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for document_id in stale_ids:
        with transaction.atomic():
            document = (
                GeneratedDocument.objects.select_for_update()
                .filter(pk=document_id, status=Status.BUILDING, started_at__lt=cutoff)
                .first()
            )
            # Another reader recovered it meanwhile.
            if document is None:
                continue
            if document.attempts < MAX_ATTEMPTS:
                document.status = Status.QUEUED
                document.save()
                _enqueue_on_commit(document)
            else:
                _finish(
                    document,
                    Status.FAILED,
                    reason=(
                        f"The build stopped without finishing {document.attempts} times "
                        "(its worker was stopped or ran out of memory)."
                    ),
                )
            changed += 1
    return changed
