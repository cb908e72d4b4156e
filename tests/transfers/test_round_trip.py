"""The whole-service export imports into an empty service unchanged: the annual report's
figures of the year are equal (docs/data-lifecycle.md)."""

import dataclasses
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse

from casework import actions
from casework.enums import ClosureReason, Ethnicity, Gender, Mention, Outcome, SenStatus
from casework.models import Case, Contact, ContactReason, Enquiry, NeedArea, ReferralRoute
from evaluations.models import Answer, Response, Sending
from pps.access import service_scope
from pps.documents import build_document
from pps.models import AccessLog, GeneratedDocument, Locality
from reports.periods import academic_year
from reports.queries import annual
from reports.queries.evaluations import evaluation_results, satisfaction
from tests import factories
from tests.evaluations import records
from transfers.exporting import export_archive
from transfers.layouts import LAYOUTS
from transfers.models import ImportRun
from volunteers.actions import create_volunteer, record_status_change, submit_monthly_return
from volunteers.models import MonthlyReturn, Volunteer, VolunteerStatusChange

pytestmark = pytest.mark.django_db

YEAR = academic_year(2024)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def fill_service(team):
    """A year of casework typed in through the actions, with what the report counts."""
    service, officer = team.service, team.officer
    route = ReferralRoute.objects.filter(service=service).order_by("id")[1]
    reason = ContactReason.objects.filter(service=service).order_by("id")[2]
    need = NeedArea.objects.filter(service=service, area__isnull=False).first()
    north = Locality.objects.get(service=service, name="North")
    parent = factories.ParentFactory(service=service, ethnicity=Ethnicity.WHITE_IRISH)
    older = factories.ChildFactory(
        service=service, date_of_birth=dt.date(2012, 1, 5), gender=Gender.MALE,
        sen_status=SenStatus.SEN, primary_need=need,
    )  # fmt: skip
    younger = factories.ChildFactory(service=service, date_of_birth=dt.date(2019, 11, 30))
    brought_forward = factories.open_case(
        service, officer, opened_on=dt.date(2024, 6, 3), parent=parent, child=older,
        referral_route=route, primary_reason=reason, locality=north, bullying=Mention.MAIN,
    )  # fmt: skip
    factories.log_contact(brought_forward, officer, on=dt.date(2024, 6, 4), minutes=30)
    factories.log_contact(brought_forward, officer, on=dt.date(2024, 9, 10), minutes=45)
    # A volunteer's contact: a contact, not office hours.
    factories.log_contact(brought_forward, team.volunteer, on=dt.date(2024, 10, 15), minutes=40)
    actions.close_case(
        case=brought_forward, by=officer, on=dt.date(2024, 11, 29),
        reason=ClosureReason.RESOLVED, outcome=Outcome.LOT_OF_IMPROVEMENT,
    )  # fmt: skip
    actions.reopen_case(case=brought_forward, by=officer, on=dt.date(2025, 2, 3))
    factories.log_contact(brought_forward, officer, on=dt.date(2025, 2, 4), minutes=15)
    enquiry = factories.record_enquiry(
        service, officer, on=dt.date(2024, 10, 1), substantial=True, minutes=25, topic=reason
    )
    from_enquiry = factories.open_case(
        service, officer, opened_on=dt.date(2024, 10, 3), parent=parent, child=younger,
        enquiry=enquiry, referral_route=route,
    )  # fmt: skip
    factories.log_contact(from_enquiry, officer, on=dt.date(2024, 10, 7), minutes=60)
    actions.close_case(
        case=from_enquiry, by=officer, on=dt.date(2025, 3, 14),
        reason=ClosureReason.NO_CONTACT, outcome=Outcome.ONGOING,
    )  # fmt: skip
    unanswered = factories.open_case(
        service, team.coordinator, opened_on=dt.date(2025, 7, 1), officer=team.coordinator
    )
    factories.log_contact(unanswered, team.coordinator, on=dt.date(2025, 7, 20), minutes=10)
    factories.record_enquiry(service, officer, on=dt.date(2025, 1, 6), first_response_on=None)
    parent_form = records.form_of(service, "parent")
    answered = records.send(parent_form, officer, dt.date(2025, 3, 20))
    Sending.objects.filter(pk=answered.pk).update(case=from_enquiry)
    records.answer(
        answered, officer, dt.date(2025, 4, 1), helpfulness="Excellent", comments="Thank you"
    )
    records.send(parent_form, officer, dt.date(2025, 5, 2))
    ips = create_volunteer(
        service=service, by=team.coordinator, status="in_training", since=dt.date(2024, 3, 1),
        first_name="Ivy", last_name="Supporter", role="ips", dbs_reference="-0012",
    )  # fmt: skip
    ips.localities.set([north])
    record_status_change(volunteer=ips, status="active", on=dt.date(2024, 9, 20), by=officer)
    record_status_change(volunteer=ips, status="paused", on=dt.date(2025, 4, 2), by=officer)
    for month, hours in ((dt.date(2024, 10, 1), "3.5"), (dt.date(2025, 1, 1), "2.25")):
        submit_monthly_return(
            volunteer=ips, month=month, by=officer, phone_hours=Decimal(hours),
            meeting_hours=Decimal(1),
        )  # fmt: skip
    factories.record_enquiry(
        service, officer, on=dt.date(2025, 5, 6), substantial=True,
        first_response_on=dt.date(2025, 5, 9),
    )  # fmt: skip


def figures(service):
    with service_scope(service.pk):
        snapshot = annual.snapshot(YEAR)
        return {
            "contacts": snapshot.contacts,
            "new cases": snapshot.new_cases,
            "movements": snapshot.movements,
            "performance": annual.monthly_performance([YEAR]),
            "by type": annual.cases_by_type([YEAR]),
            "needs": annual.needs([YEAR]),
            "ethnicity": annual.ethnicity(YEAR),
            "routes": annual.referral_routes(YEAR),
            "reasons": annual.top_reasons(YEAR),
            "localities": annual.cases_by_locality(YEAR),
            "officers": annual.cases_by_officer(YEAR),
            "bullying": annual.bullying_and_exclusions(YEAR),
            "ips": annual.ips_year(YEAR),
            "satisfaction": satisfaction(YEAR, service),
            "parent forms": evaluation_results(
                YEAR, records.form_of(service, "parent"), publishable_only=False
            ),
        }


def import_file(client, layout, content: str):
    upload = SimpleUploadedFile(f"{layout}.csv", content.encode(), content_type="text/csv")
    response = client.post(reverse("transfers:index"), {"layout": layout, "file": upload})
    run = ImportRun.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert run.problems == [], run.problems
    client.post(reverse("transfers:confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.LOADED, run.failure_reason
    return run


def test_the_export_of_a_service_imports_into_an_empty_one_with_equal_report_figures(
    client, team, other_team
):
    fill_service(team)
    # The same people work in the new service (the officer column names them).
    for role in ("officer", "coordinator", "support"):
        mine, theirs = getattr(team, role), getattr(other_team, role)
        theirs.first_name, theirs.last_name = mine.first_name, mine.last_name
        theirs.save()
    # The new service starts empty: the fixture's own volunteer goes.
    Volunteer.objects.filter(service=other_team.service).delete()
    archive = zipfile.ZipFile(io.BytesIO(export_archive(team.service)))
    assert sorted(archive.namelist()) == sorted(f"{key}.csv" for key in LAYOUTS)

    client.force_login(other_team.coordinator)
    for layout in LAYOUTS:
        import_file(client, layout, archive.read(f"{layout}.csv").decode("utf-8-sig"))

    for model in (
        Case,
        Contact,
        Enquiry,
        Volunteer,
        VolunteerStatusChange,
        MonthlyReturn,
        Sending,
        Response,
        Answer,
    ):
        assert (
            model.objects.filter(service=other_team.service).count()
            == model.objects.filter(service=team.service).count()
        )
    # Each imported response records the day its form was sent, as a keyed-in one does.
    imported = Response.objects.filter(service=other_team.service)
    assert imported.exists()
    assert not imported.exclude(sent_on=F("sending__sent_on")).exists()
    mine, theirs = figures(team.service), figures(other_team.service)
    assert mine["contacts"] > 0 and mine["movements"].new > 0
    for name in mine:
        assert _comparable(theirs[name]) == _comparable(mine[name]), name
    # The new service's export is the same file, but for the records' own ids.
    again = zipfile.ZipFile(io.BytesIO(export_archive(other_team.service)))
    for layout in LAYOUTS:
        assert _without_ids(again.read(f"{layout}.csv")) == _without_ids(
            archive.read(f"{layout}.csv")
        ), layout


def _comparable(value):
    """Figures without what names a service's own rows (ids)."""
    if dataclasses.is_dataclass(value):
        return {
            field.name: _comparable(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if not field.name.endswith("_id")
        }
    if isinstance(value, dict):
        return {str(key): _comparable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_comparable(item) for item in value]
    return value


def _without_ids(content: bytes) -> list[list[str]]:
    import csv

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header = rows[0]
    generated = {"parent_reference", "child_reference"}
    # References made from ids (N12, E34, V56, R78); a case keeps its own.
    return [
        [
            ""
            if header[i] in generated or (header[i].endswith("reference") and cell[:1] in "NERV")
            else cell
            for i, cell in enumerate(row)
        ]
        for row in rows[1:]
    ]


def test_the_export_is_built_by_the_worker_and_recorded(client, team):
    fill_service(team)
    client.force_login(team.coordinator)
    response = client.post(reverse("transfers:export"))
    document = GeneratedDocument.objects.get(service=team.service)
    assert response.url == reverse("document-status", args=[document.pk])
    assert AccessLog.objects.filter(
        user=team.coordinator, action=AccessLog.Action.EXPORT, object_type="service-export",
        object_id=document.pk,
    ).count() == 1  # fmt: skip
    assert build_document.call(team.service.pk, document.pk) == GeneratedDocument.Status.READY
    download = client.get(reverse("document-download", args=[document.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    cases = archive.read("cases.csv").decode("utf-8-sig")
    assert cases.splitlines()[0] == ",".join(LAYOUTS["cases"].header)
    assert len(cases.strip().splitlines()) == 1 + Case.objects.filter(service=team.service).count()
    assert AccessLog.objects.filter(
        user=team.coordinator, action=AccessLog.Action.EXPORT, object_type="generated-document"
    ).count() == 1  # fmt: skip


def test_no_other_service_record_is_in_an_export(team, other_team):
    fill_service(other_team)
    # The fixture's own volunteer is the one record of this service.
    Volunteer.objects.filter(service=team.service).delete()
    archive = zipfile.ZipFile(io.BytesIO(export_archive(team.service)))
    for name in archive.namelist():
        assert len(archive.read(name).decode("utf-8-sig").strip().splitlines()) == 1, name
