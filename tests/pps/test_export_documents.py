"""Long exports become documents built by the background worker (pps/exports.py): above
PPS_EXPORT_DIRECT_ROWS rows the export is queued, and the worker's CSV is the direct
export of the same filter, through the asker's own visibility."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pps.documents import build_document
from pps.exports import EXPORT_CSV
from pps.models import AccessLog, GeneratedDocument
from pps.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

Status = GeneratedDocument.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def cases(team):
    """Four cases of the officer's (opened 1 to 4 March 2026) and one of the coordinator's."""
    mine = [
        factories.open_case(
            team.service, team.officer, officer=team.officer, opened_on=dt.date(2026, 3, day)
        )
        for day in (1, 2, 3, 4)
    ]
    factories.open_case(
        team.service, team.officer, officer=team.coordinator, opened_on=dt.date(2026, 3, 5)
    )
    return mine


def _query(team):
    return {"officer": team.officer.pk, "sort": "-opened_on"}


def _build(document):
    result = build_document.call(document.service_id, document.pk)
    document.refresh_from_db()
    return result


def _downloaded(client, document) -> bytes:
    response = client.get(reverse("document-download", args=[document.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_an_export_of_no_more_rows_than_the_setting_stays_a_direct_download(
    client, team, cases, settings
):
    settings.PPS_EXPORT_DIRECT_ROWS = 4
    client.force_login(team.officer)
    response = client.get(reverse("casework:case-export"), _query(team))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    # The officer's 4 cases: a header and 4 rows, newest first.
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 5
    assert [line.split(",")[0] for line in lines[1:]] == [c.reference for c in cases[::-1]]
    assert not GeneratedDocument.objects.exists()
    log = AccessLog.objects.get()
    assert (log.action, log.object_type) == (AccessLog.Action.EXPORT, "case-list")


def test_a_longer_export_is_built_by_the_worker_as_the_direct_export_of_the_same_filter(
    client, team, cases, settings
):
    client.force_login(team.officer)
    url = reverse("casework:case-export")
    direct = client.get(url, _query(team)).content
    settings.PPS_EXPORT_DIRECT_ROWS = 3
    response = client.get(url, _query(team))
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("document-status", args=[document.pk])
    assert (document.kind, document.status, document.requested_by) == (
        EXPORT_CSV,
        Status.QUEUED,
        team.officer,
    )
    assert document.parameters == {
        "view": "casework:case-export",
        "args": [],
        "kwargs": {},
        "query": f"officer={team.officer.pk}&sort=-opened_on",
    }
    assert document.holds_personal_data
    # Both exports are recorded as today (the direct one, then the queued one), by path.
    logs = list(AccessLog.objects.order_by("id").values_list("action", "object_type", "path"))
    assert logs == [(AccessLog.Action.EXPORT, "case-list", url)] * 2

    assert _build(document) == Status.READY
    assert document.filename == direct_filename(team)
    # The officer's 4 cases (the coordinator's fifth filtered out), byte for byte the same.
    assert _downloaded(client, document) == direct
    assert direct.decode("utf-8-sig").count("\r\n") == 5
    download = AccessLog.objects.order_by("id").last()
    assert (download.object_type, download.object_id) == ("generated-document", document.pk)


def direct_filename(team):
    return f"cases-{timezone.localdate().isoformat()}.csv"


def test_the_direct_export_costs_the_same_few_queries_whatever_its_length(client, team, settings):
    client.force_login(team.officer)
    url = reverse("casework:case-export")
    counts = []
    for _ in range(2):
        for day in (1, 2, 3):
            factories.open_case(team.service, team.officer, opened_on=dt.date(2026, 3, day))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    # 3 cases, then 6: the same number of queries, the count of rows among them.
    assert counts[0] == counts[1]
    assert counts[0] <= 10


def test_the_worker_reads_through_the_askers_visibility_at_build_time(
    client, team, cases, settings
):
    settings.PPS_EXPORT_DIRECT_ROWS = 3
    client.force_login(team.officer)
    client.get(reverse("casework:case-export"), _query(team))
    document = GeneratedDocument.objects.get()
    # Made a volunteer while the export waited: case exports are not theirs to make.
    team.officer.role = Role.VOLUNTEER
    team.officer.save()
    assert _build(document) == Status.FAILED
    assert document.failure_reason == (
        "The document could not be built: "
        "The person who asked for this document may no longer make it."
    )
    assert not document.file


def test_a_volunteer_or_steering_member_cannot_get_anothers_export(client, team, settings):
    # Every export of a row or more is queued: one case, one event.
    settings.PPS_EXPORT_DIRECT_ROWS = 0
    factories.open_case(team.service, team.officer)
    factories.make_event(team.service, team.officer)
    other_steering = factories.UserFactory(service=team.service, role=Role.STEERING)
    client.force_login(team.officer)
    client.get(reverse("casework:case-export"))
    client.force_login(team.steering)
    client.get(reverse("evaluations:event-export"))
    officers, steerings = GeneratedDocument.objects.order_by("id")
    for document in (officers, steerings):
        assert _build(document) == Status.READY
    # An event export holds what the event list shows its asker: personal to them.
    assert steerings.holds_personal_data

    for document, outsiders in (
        (officers, [team.steering, team.support, other_steering]),
        (steerings, [other_steering, team.officer]),
    ):
        for outsider in outsiders:
            client.force_login(outsider)
            assert client.get(reverse("document-status", args=[document.pk])).status_code == 404
            download = reverse("document-download", args=[document.pk])
            assert client.get(download).status_code == 404
    client.force_login(team.volunteer)
    for document in (officers, steerings):
        assert client.get(reverse("document-download", args=[document.pk])).status_code == 403
    # Each asker, and the coordinators, may.
    for document, readers in (
        (officers, [team.officer, team.coordinator]),
        (steerings, [team.steering, team.coordinator]),
    ):
        for reader in readers:
            client.force_login(reader)
            assert _downloaded(client, document).startswith("\ufeff".encode())


def test_the_published_feedback_summary_goes_the_same_way(client, team, settings):
    client.force_login(team.steering)
    url = reverse("quality:feedback-summary-export")
    direct = client.get(url).content
    # Even with no feedback the summary has more than 3 rows (its headings).
    settings.PPS_EXPORT_DIRECT_ROWS = 3
    assert client.get(url).status_code == 302
    document = GeneratedDocument.objects.get()
    # The copy for publishing: small numbers suppressed, whoever asks, so no personal data.
    assert not document.holds_personal_data
    assert _build(document) == Status.READY
    assert _downloaded(client, document) == direct
