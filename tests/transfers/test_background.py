"""A big file is checked and imported by the background worker, with its progress on the
upload's page (docs/data-lifecycle.md)."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import Contact
from tests import factories
from tests.pps.test_documents import needs_postgresql, run_worker
from tests.transfers.files import csv_upload, table
from transfers.layouts import LAYOUTS
from transfers.models import ImportRun

ROWS = 2000


def contacts_file(case, rows=ROWS):
    return table(
        LAYOUTS["contacts"].header,
        *(
            {
                "reference": f"N{i}",
                "case_reference": case.reference,
                "at": f"2024-10-{1 + i % 28:02d} {9 + i % 8:02d}:{i % 60:02d}",
                "method": "phone_out",
                "minutes": str(5 + i % 50),
                "note": f"Call {i}",
            }
            for i in range(rows)
        ),
    )


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_worker_checks_and_imports_a_big_file(client, team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PPS_IMPORT_DIRECT_BYTES = 10_000
    case = factories.open_case(team.service, team.officer, opened_on=dt.date(2024, 9, 2))
    client.force_login(team.coordinator)
    response = client.post(
        reverse("transfers:index"),
        {"layout": "contacts", "file": csv_upload(contacts_file(case))},
    )
    run = ImportRun.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert run.status == ImportRun.Status.CHECKING
    page = client.get(reverse("transfers:run", args=[run.pk])).content.decode()
    assert "0 rows checked so far" in page
    assert '<meta http-equiv="refresh"' in page
    assert (
        '<meta http-equiv="refresh"'
        not in client.get(reverse("transfers:run", args=[run.pk]) + "?refresh=off").content.decode()
    )

    run_worker(tmp_path)
    run.refresh_from_db()
    assert (run.status, run.problems, run.rows_checked) == ("checked", [], ROWS)
    assert run.counts == {"contacts": ROWS}
    assert not Contact.objects.filter(service=team.service).exists()

    client.post(reverse("transfers:confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.LOADING
    assert (
        "importing the file" in client.get(reverse("transfers:run", args=[run.pk])).content.decode()
    )
    run_worker(tmp_path)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.LOADED, run.failure_reason
    assert Contact.objects.filter(service=team.service).count() == ROWS
    assert Contact.history.filter(service=team.service).count() == ROWS
    case.refresh_from_db()
    assert case.last_contact_on == dt.date(2024, 10, 28)


@pytest.mark.django_db
def test_a_run_whose_worker_stopped_is_queued_again_once_then_failed(team, settings, tmp_path):
    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from tests.transfers.factories import make_import_run
    from transfers.actions import recover_stale_imports

    settings.MEDIA_ROOT = tmp_path
    long_ago = timezone.now() - dt.timedelta(hours=2)
    run = make_import_run(team, status="loading", queued_at=long_ago, attempts=1)
    fresh = make_import_run(team, status="checking", queued_at=timezone.now(), attempts=1)
    queued = DBTaskResult.objects.count()

    assert recover_stale_imports() == 1
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("loading", 2)
    assert DBTaskResult.objects.count() == queued + 1
    assert recover_stale_imports() == 0  # just queued again

    ImportRun.objects.filter(pk=run.pk).update(queued_at=long_ago)
    call_command("recover_stale_imports")
    run.refresh_from_db()
    assert run.status == "failed"
    assert "stopped without finishing" in run.failure_reason
    fresh.refresh_from_db()
    assert fresh.status == "checking"
