"""Forms to hand out at an event, printed by the background worker (evaluations/documents.py):
the page queues a document, the build records the sendings and prints them once, and only
the person who printed them (and coordinators) may download the file."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from evaluations.documents import EVENT_HAND_OUTS
from evaluations.models import EvaluationForm, Sending
from pps.documents import _claim, _run, build_document
from pps.models import AccessLog, GeneratedDocument
from tests import factories
from tests.conftest import make_team
from tests.pps.test_documents import needs_postgresql, run_worker

pytestmark = pytest.mark.django_db

Status = GeneratedDocument.Status
LINK = re.compile(r"http://testserver(/e/\d+/[a-z0-9-]+/)")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def event(team):
    return factories.make_event(team.service, team.officer, title="Parents' forum")


def _event_form(team):
    return EvaluationForm.objects.filter(service=team.service, kind="event").order_by("id")[0]


def _ask(client, event, form, count):
    return client.post(
        reverse("evaluations:event-hand-out", args=[event.pk]), {"form": form.pk, "count": count}
    )


def _build(document) -> str:
    return build_document.call(document.service_id, document.pk)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_button_queues_the_print_and_the_worker_records_and_prints_the_forms(
    client, team, event
):
    form = _event_form(team)
    client.force_login(team.officer)
    response = _ask(client, event, form, 3)
    document = GeneratedDocument.objects.get()
    assert response.url == reverse("document-status", args=[document.pk])
    # Nothing is recorded before the worker prints.
    assert not Sending.objects.filter(event=event).exists()
    assert (document.kind, document.status, document.requested_by) == (
        EVENT_HAND_OUTS,
        Status.QUEUED,
        team.officer,
    )
    assert document.parameters == {
        "event": event.pk,
        "form": form.pk,
        "count": 3,
        "site": "http://testserver/",
    }
    # The one-time links make it personal data.
    assert document.holds_personal_data

    assert _build(document) == Status.READY
    document.refresh_from_db()
    sendings = list(Sending.objects.filter(event=event).order_by("id"))
    # 3 asked for: 3 sendings, handed out, sent by the officer who asked.
    assert len(sendings) == 3
    assert {(s.channel, s.sent_by_id) for s in sendings} == {("handed_out", team.officer.pk)}
    assert document.filename == f"event-forms-{event.on:%Y-%m-%d}.pdf"

    download = client.get(reverse("document-download", args=[document.pk]))
    assert download.status_code == 200
    text = _pdf_text(b"".join(download.streaming_content))
    for sending in sendings:
        assert f"Reference {sending.reference}" in text
    assert "Did the session meet your needs?" in text
    # Each printed link opens its form: the worker wrote them on the host asked through.
    paths = LINK.findall(text.replace("\n", ""))
    assert len(paths) == 3
    assert client.get(paths[0]).status_code == 200
    # The download of a file with links is recorded, as any personal document's.
    log = AccessLog.objects.get()
    assert (log.user, log.object_type, log.object_id) == (
        team.officer,
        "generated-document",
        document.pk,
    )


def test_a_build_run_twice_makes_one_batch(client, team, event):
    client.force_login(team.officer)
    _ask(client, event, _event_form(team), 4)
    document = GeneratedDocument.objects.get()
    assert _build(document) == Status.READY
    assert _build(document) == "skipped"
    # 4 forms asked for once: 4 sendings, not 8.
    assert Sending.objects.filter(event=event).count() == 4


def test_a_late_worker_whose_build_was_taken_over_leaves_no_second_batch(client, team, event):
    """A worker thought dead finishes after its document was queued again and claimed by
    another: its sendings are rolled back with its file, and the retry's batch is the one."""
    client.force_login(team.officer)
    _ask(client, event, _event_form(team), 2)
    document = GeneratedDocument.objects.get()
    late = _claim(document.pk)
    # The stale-build check queued it again and a second worker claimed it (attempt 2).
    GeneratedDocument.objects.filter(pk=document.pk).update(status=Status.QUEUED)
    retry = _claim(document.pk)
    assert (late.attempts, retry.attempts) == (1, 2)

    assert _run(late) == "skipped"
    assert Sending.objects.filter(event=event).count() == 0
    assert _run(retry) == Status.READY
    # 2 forms asked for: the retry's 2 sendings only.
    assert Sending.objects.filter(event=event).count() == 2
    document.refresh_from_db()
    assert (document.status, document.attempts) == (Status.READY, 2)


def test_a_print_that_fails_in_the_worker_leaves_no_sendings(client, team, event, monkeypatch):
    client.force_login(team.officer)
    _ask(client, event, _event_form(team), 50)
    document = GeneratedDocument.objects.get()

    # The only stand-in here, and only for WeasyPrint: a render that dies half way (out of
    # memory) cannot be caused otherwise in a test.
    def render_fails(template_name, context, request=None):
        raise MemoryError("WeasyPrint ran out of memory")

    monkeypatch.setattr("evaluations.letters.render_pdf", render_fails)
    assert _build(document) == Status.FAILED
    document.refresh_from_db()
    assert document.failure_reason == (
        "The document could not be built: WeasyPrint ran out of memory"
    )
    assert not document.file
    # The 50 sendings made before the render died were rolled back with it.
    assert Sending.objects.filter(event=event).count() == 0


def test_a_print_refused_by_its_rules_fails_with_the_reason(client, team, event):
    form = _event_form(team)
    client.force_login(team.officer)
    _ask(client, event, form, 2)
    document = GeneratedDocument.objects.get()
    form.retired_on = event.on
    form.save()
    assert _build(document) == Status.FAILED
    document.refresh_from_db()
    assert document.failure_reason == (
        "The document could not be built: This form is retired and can no longer be sent."
    )
    assert Sending.objects.filter(event=event).count() == 0


def test_an_asker_who_may_no_longer_print_gets_no_forms(client, team, event):
    client.force_login(team.officer)
    _ask(client, event, _event_form(team), 2)
    document = GeneratedDocument.objects.get()
    team.officer.role = "volunteer"
    team.officer.save()
    assert _build(document) == Status.FAILED
    assert Sending.objects.filter(event=event).count() == 0


def test_a_wrong_batch_is_refused_on_the_page_and_queues_nothing(client, team):
    future = factories.make_event(
        team.service, team.officer, on=timezone.localdate() + dt.timedelta(days=3)
    )
    client.force_login(team.officer)
    response = _ask(client, future, _event_form(team), 2)
    assert response.url == future.get_absolute_url()
    assert not GeneratedDocument.objects.exists()


def test_only_the_printer_and_coordinators_get_the_forms(client, team, event):
    client.force_login(team.officer)
    _ask(client, event, _event_form(team), 1)
    document = GeneratedDocument.objects.get()
    _build(document)
    status = reverse("document-status", args=[document.pk])
    download = reverse("document-download", args=[document.pk])
    for colleague in (team.support, team.steering):
        client.force_login(colleague)
        assert client.get(status).status_code == 404
        assert client.get(download).status_code == 404
        assert document not in client.get(reverse("document-list")).context["object_list"]
    client.force_login(team.volunteer)
    assert client.get(download).status_code == 403
    client.force_login(team.coordinator)
    assert client.get(download).status_code == 200


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_prints_the_batch_once_even_when_its_task_runs_twice(client, tmp_path):
    """`manage.py db_worker` in its own process prints the forms; the same task queued
    again (a retry) finds the document finished and makes no second batch."""
    team = make_team("Northshire PPS")
    # The worker process keeps the real clock, which a dated run moves in this one
    # (docs/testing.md, "Running the suite at a date"): the event is on a day both have passed.
    event = factories.make_event(team.service, team.officer, on=dt.date(2026, 10, 1))
    client.force_login(team.officer)
    _ask(client, event, _event_form(team), 3)
    document = GeneratedDocument.objects.get()

    run_worker(tmp_path)
    document.refresh_from_db()
    assert document.status == Status.READY, document.failure_reason
    # 3 asked for: 3 sendings.
    assert Sending.objects.filter(event=event).count() == 3

    build_document.enqueue(team.service.pk, document.pk)
    run_worker(tmp_path)
    document.refresh_from_db()
    assert (document.status, document.attempts) == (Status.READY, 1)
    assert Sending.objects.filter(event=event).count() == 3
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
