"""Generated documents: the background worker, stale builds, and the list, status and
download pages (pps/documents.py, docs/decisions/0018-background-worker.md)."""

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from pps.documents import build_document, request_document
from pps.models import AccessLog, GeneratedDocument
from quality.documents import ASSESSMENT_PDF
from tests.conftest import make_team
from tests.quality.factories import make_assessment, rate_all

Status = GeneratedDocument.Status
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def ask(team, assessment, *, by=None, public=False):
    return request_document(
        service=team.service,
        kind=ASSESSMENT_PDF,
        parameters={"assessment": assessment.pk, "public": public},
        title="Self-assessment (PDF)",
        holds_personal_data=not public,
        by=by or team.coordinator,
    )


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def run_worker(media):
    """`manage.py db_worker` in its own process against this test database, until the
    queue is empty."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PPS_MEDIA_ROOT": str(media),
        "DJANGO_DEBUG": "false",
    }
    finished = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0.1",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return finished


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the worker process reads PostgreSQL"
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_pdf_that_build_pdf_queued(client, _media):
    """The button queues a task; `manage.py db_worker` in its own process builds the file."""
    team = make_team("Northshire PPS")
    assessment = make_assessment(team)
    rate_all(assessment, evidence="Minutes of the advisory group")
    client.force_login(team.coordinator)
    response = client.post(reverse("quality:assessment-build-pdf", args=[assessment.pk]))
    document = GeneratedDocument.objects.get()
    assert response.url == reverse("document-status", args=[document.pk])
    assert document.status == Status.QUEUED
    # Enqueued once the document's row was committed.
    assert DBTaskResult.objects.count() == 1
    page = client.get(response.url)
    assert '<meta http-equiv="refresh" content="5">' in page.content.decode()

    run_worker(_media)

    document.refresh_from_db()
    assert document.status == Status.READY, document.failure_reason
    assert document.attempts == 1
    assert document.started_at <= document.finished_at
    assert document.filename == "self-assessment-2025-11-03.pdf"
    with default_storage.open(document.file.name, "rb") as stored:
        content = stored.read()
    assert document.size == len(content)
    text = pdf_text(content)
    assert "Self-assessment" in text
    assert "Minutes of the advisory group" in text
    assert "Northshire PPS: Self-assessment, 3 November 2025 Page 1 of 1" in text
    page = client.get(reverse("document-status", args=[document.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "Ready" in page


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_build_whose_worker_died_is_built_by_the_next_worker(client, _media, settings):
    """What a killed worker leaves (its task "running", the document "building"), past the
    timeout: reading the list queues it again, and a real worker builds it."""
    settings.PPS_DOCUMENT_BUILD_TIMEOUT = 600
    team = make_team("Northshire PPS")
    document = ask(team, make_assessment(team))
    dead_task = DBTaskResult.objects.get()
    dead_task.claim("killed-worker")  # as db_worker does before it runs the task
    _die_while_building(document, minutes_ago=11, attempts=1)

    client.force_login(team.coordinator)
    client.get(reverse("document-list"))
    document.refresh_from_db()
    assert document.status == Status.QUEUED
    assert DBTaskResult.objects.ready().count() == 1

    run_worker(_media)
    document.refresh_from_db()
    assert document.status == Status.READY, document.failure_reason
    assert document.attempts == 2
    assert "Self-assessment" in pdf_text(document.file.read())
    # The dead worker's task row is left as it was: the document is what is recovered.
    dead_task.refresh_from_db()
    assert dead_task.status == "RUNNING"


def test_the_status_page_stops_refreshing_when_asked(client, team):
    document = ask(team, make_assessment(team))
    client.force_login(team.coordinator)
    url = reverse("document-status", args=[document.pk])
    refreshing = client.get(url).content.decode()
    assert '<meta http-equiv="refresh" content="5">' in refreshing
    assert f'<a href="{url}?refresh=off">Stop refreshing</a>' in refreshing
    still = client.get(url, {"refresh": "off"}).content.decode()
    assert 'http-equiv="refresh"' not in still
    assert f'<a href="{url}">refresh automatically</a>' in still
    assert "Queued: waiting for the background worker." in still


def test_a_build_that_fails_says_why(team):
    assessment = make_assessment(team)
    document = ask(team, assessment)
    assessment.delete()
    assert build_document.call(team.service.pk, document.pk) == Status.FAILED
    document.refresh_from_db()
    assert document.status == Status.FAILED
    assert document.failure_reason.startswith("The document could not be built:")
    assert not document.file


def test_the_build_runs_in_the_documents_service_scope_only(team, other_team):
    """The task's service id and document id must agree: another service's id finds none."""
    document = ask(team, make_assessment(team))
    assert build_document.call(other_team.service.pk, document.pk) == "skipped"
    document.refresh_from_db()
    assert document.status == Status.QUEUED


def test_a_build_run_twice_builds_once(team):
    document = ask(team, make_assessment(team))
    assert build_document.call(team.service.pk, document.pk) == Status.READY
    assert build_document.call(team.service.pk, document.pk) == "skipped"
    document.refresh_from_db()
    assert document.attempts == 1


def _die_while_building(document, *, minutes_ago, attempts):
    """What a killed worker leaves: the row says building, and nobody is."""
    document.status = Status.BUILDING
    document.started_at = timezone.now() - timedelta(minutes=minutes_ago)
    document.attempts = attempts
    document.save()


def test_a_stale_build_is_queued_again_once_then_fails(client, team, settings):
    settings.PPS_DOCUMENT_BUILD_TIMEOUT = 600
    document = ask(team, make_assessment(team))
    client.force_login(team.coordinator)
    _die_while_building(document, minutes_ago=9, attempts=1)
    client.get(reverse("document-list"))
    document.refresh_from_db()
    assert document.status == Status.BUILDING  # not yet past the timeout

    _die_while_building(document, minutes_ago=11, attempts=1)
    first_task = document.task_id
    client.get(reverse("document-list"))
    document.refresh_from_db()
    assert document.status == Status.QUEUED
    assert document.task_id != first_task
    assert DBTaskResult.objects.get(id=document.task_id).status == "READY"
    assert DBTaskResult.objects.count() == 2

    # The retry's worker dies too: now it is failed, not retried for ever.
    _die_while_building(document, minutes_ago=11, attempts=2)
    page = client.get(reverse("document-status", args=[document.pk])).content.decode()
    document.refresh_from_db()
    assert document.status == Status.FAILED
    assert document.failure_reason == (
        "The build stopped without finishing 2 times (its worker was stopped or ran out of memory)."
    )
    assert document.failure_reason in page
    assert 'http-equiv="refresh"' not in page


def _asked_minutes_ago(document, minutes):
    document.requested_at = timezone.now() - timedelta(minutes=minutes)
    document.save()


def test_a_queued_document_whose_task_is_gone_is_queued_again(client, team, settings):
    """A restored backup holds the documents but not the queue."""
    settings.PPS_DOCUMENT_BUILD_TIMEOUT = 600
    waiting = ask(team, make_assessment(team))
    lost = ask(team, make_assessment(team))
    for document in (waiting, lost):
        _asked_minutes_ago(document, 11)
    DBTaskResult.objects.filter(id=lost.task_id).delete()
    client.force_login(team.coordinator)
    client.get(reverse("document-list"))
    # Still in the queue behind busy workers: left alone.
    assert GeneratedDocument.objects.get(pk=waiting.pk).task_id == waiting.task_id
    renewed = GeneratedDocument.objects.get(pk=lost.pk)
    assert renewed.status == Status.QUEUED
    assert renewed.task_id != lost.task_id
    assert DBTaskResult.objects.get(id=renewed.task_id).status == "READY"
    assert build_document.call(team.service.pk, lost.pk) == Status.READY


def test_a_queued_document_whose_task_failed_fails_with_it(client, team, settings):
    settings.PPS_DOCUMENT_BUILD_TIMEOUT = 600
    document = ask(team, make_assessment(team))
    _asked_minutes_ago(document, 11)
    task = DBTaskResult.objects.get(id=document.task_id)
    task.set_failed(RuntimeError("the database went away"))
    client.force_login(team.coordinator)
    client.get(reverse("document-status", args=[document.pk]))
    document.refresh_from_db()
    assert document.status == Status.FAILED
    assert document.failure_reason == (
        "The background task failed before it could build the document."
    )


def test_a_rolled_back_request_leaves_no_task(team):
    with pytest.raises(RuntimeError), transaction.atomic():
        ask(team, make_assessment(team))
        raise RuntimeError("the request failed after asking")
    assert not GeneratedDocument.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_command_recovers_every_services_stale_builds(team, other_team):
    mine = ask(team, make_assessment(team))
    theirs = ask(other_team, make_assessment(other_team))
    for document in (mine, theirs):
        _die_while_building(document, minutes_ago=60, attempts=1)
    out = io.StringIO()
    call_command("recover_stale_documents", stdout=out)
    assert out.getvalue().strip() == "2 stale document builds recovered."
    assert {d.status for d in GeneratedDocument.objects.all()} == {Status.QUEUED}


def built(team, *, by=None, public=False):
    document = ask(team, make_assessment(team, final=public), by=by, public=public)
    build_document.call(team.service.pk, document.pk)
    document.refresh_from_db()
    return document


def test_the_list_shows_who_asked_what_and_when_with_a_download_link(
    client, team, django_assert_num_queries
):
    ready = built(team)
    queued = ask(team, make_assessment(team))
    client.force_login(team.coordinator)
    # Session, user and second factor; the stale-build check, the count, the page of documents.
    with django_assert_num_queries(6):
        page = client.get(reverse("document-list"))
    html = page.content.decode()
    assert list(page.context["object_list"]) == [queued, ready]
    assert "2 found." in html
    assert html.count(reverse("document-download", args=[ready.pk])) == 1
    assert reverse("document-download", args=[queued.pk]) not in html
    assert "Ready</td>" in html and "Queued</td>" in html
    assert escape(team.coordinator.get_full_name()) in html
    for _ in range(3):
        ask(team, make_assessment(team))
    with django_assert_num_queries(6):
        client.get(reverse("document-list"))


def test_a_download_is_the_stored_file_and_is_recorded(client, team):
    document = built(team)
    client.force_login(team.coordinator)
    response = client.get(reverse("document-download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="self-assessment-2025-11-03.pdf"'
    )
    content = b"".join(response.streaming_content)
    assert "Self-assessment" in pdf_text(content)
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_type, log.object_id) == (
        team.coordinator,
        AccessLog.Action.EXPORT,
        "generated-document",
        document.pk,
    )


def test_steering_sees_only_the_documents_without_personal_data(client, team):
    exact = built(team)
    suppressed = built(team, by=team.steering, public=True)
    client.force_login(team.steering)
    page = client.get(reverse("document-list"))
    assert list(page.context["object_list"]) == [suppressed]
    assert client.get(reverse("document-status", args=[exact.pk])).status_code == 404
    assert client.get(reverse("document-download", args=[exact.pk])).status_code == 404
    response = client.get(reverse("document-download", args=[suppressed.pk]))
    assert response.status_code == 200
    # Aggregates only: nothing personal was read, so nothing is logged.
    assert not AccessLog.objects.exists()


def test_a_document_not_ready_is_not_downloaded(client, team):
    document = ask(team, make_assessment(team))
    client.force_login(team.coordinator)
    assert client.get(reverse("document-download", args=[document.pk])).status_code == 404


def test_another_services_document_is_a_404_and_other_roles_are_refused(client, team, other_team):
    theirs = built(other_team)
    client.force_login(team.coordinator)
    for name in ("document-status", "document-download"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert theirs not in client.get(reverse("document-list")).context["object_list"]
    client.force_login(team.volunteer)
    assert client.get(reverse("document-list")).status_code == 403


def test_steering_builds_a_suppressed_copy_of_a_final_assessment_only(client, team):
    draft = make_assessment(team)
    final = make_assessment(team, final=True)
    client.force_login(team.steering)
    url = reverse("quality:assessment-build-pdf", args=[draft.pk])
    assert client.post(url).status_code == 404
    client.post(reverse("quality:assessment-build-pdf", args=[final.pk]))
    document = GeneratedDocument.objects.get()
    assert document.parameters == {"assessment": final.pk, "public": True}
    assert not document.holds_personal_data
    assert document.requested_by == team.steering
