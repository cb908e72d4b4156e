"""Importing cases, contacts and enquiries: preview first, then all or nothing, never twice
(docs/data-lifecycle.md, "Importing past years and exporting everything")."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from casework.enums import CaseEventKind, CaseStatus
from casework.models import Case, CaseEvent, Child, Contact, Enquiry, Parent
from evaluations.models import Sending
from pps.models import AccessLog
from tests import factories
from tests.transfers.files import csv_upload, table, xlsx_upload
from transfers.layouts import LAYOUTS
from transfers.models import ImportedRow, ImportRun
from volunteers.models import MonthlyReturn, Volunteer

pytestmark = pytest.mark.django_db

CASES = LAYOUTS["cases"].header
CONTACTS = LAYOUTS["contacts"].header
ENQUIRIES = LAYOUTS["enquiries"].header


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def case_row(reference, **values):
    row = {
        "reference": reference,
        "parent_reference": f"P-{reference}",
        "parent_first_name": "Robin",
        "parent_last_name": f"Parent{reference}",
        "child_reference": f"C-{reference}",
        "child_first_name": "Kit",
        "child_last_name": f"Child{reference}",
        "received_on": "2019-03-01",
        "opened_on": "2019-03-04",
    }
    row.update(values)
    return row


def upload(client, team, layout, rows, *, xlsx=False):
    client.force_login(team.coordinator)
    file = xlsx_upload(rows) if xlsx else csv_upload(rows)
    response = client.post(reverse("transfers:index"), {"layout": layout, "file": file})
    assert response.status_code == 302, response.content.decode()[:3000]
    return ImportRun.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def confirm(client, run):
    response = client.post(reverse("transfers:confirm", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    return run


def test_a_cases_file_is_previewed_then_imported_with_its_case_events(client, team):
    rows = table(
        CASES,
        case_row("OLD-1", closed_on="2019-05-20; 2019-11-02", reopened_on="2019-09-16",
                 closure_reason="Resolved", outcome="some_improvement",
                 parent_ethnicity="White: Irish", child_gender="female",
                 secondary_reasons="Transition; Transport"),
        case_row("OLD-2", parent_reference="P-OLD-1", child_reference="C-OLD-2",
                 child_date_of_birth="14/05/2011"),
    )  # fmt: skip
    run = upload(client, team, "cases", rows)

    assert run.status == ImportRun.Status.CHECKED
    assert run.problems == []
    assert run.counts == {"cases": 2, "parents": 1, "children": 2, "case events": 5}
    assert not Case.objects.filter(service=team.service).exists()
    page = client.get(reverse("transfers:run", args=[run.pk]))
    assert page.status_code == 200
    assert "Import these records" in page.content.decode()
    assert "ParentOLD-1" in page.content.decode()

    run = confirm(client, run)

    assert run.status == ImportRun.Status.LOADED
    first = Case.objects.get(service=team.service, reference="OLD-1")
    second = Case.objects.get(service=team.service, reference="OLD-2")
    assert first.parent_id == second.parent_id
    assert first.parent.ethnicity == "white_irish"
    assert first.child.gender == "female"
    assert first.status == CaseStatus.CLOSED
    assert first.closed_on == dt.date(2019, 11, 2)
    assert first.closure_reason == "resolved"
    assert sorted(first.secondary_reasons.values_list("name", flat=True)) == [
        "Transition",
        "Transport",
    ]
    assert list(first.events.values_list("kind", "on", "ended_on")) == [
        (CaseEventKind.OPENED, dt.date(2019, 3, 4), dt.date(2019, 5, 20)),
        (CaseEventKind.CLOSED, dt.date(2019, 5, 20), None),
        (CaseEventKind.REOPENED, dt.date(2019, 9, 16), dt.date(2019, 11, 2)),
        (CaseEventKind.CLOSED, dt.date(2019, 11, 2), None),
    ]
    assert second.status == CaseStatus.OPEN
    assert second.child.date_of_birth == dt.date(2011, 5, 14)
    assert list(second.events.values_list("kind", "on", "ended_on")) == [
        (CaseEventKind.OPENED, dt.date(2019, 3, 4), None)
    ]
    # History rows, written in bulk with the rows.
    assert first.history.count() == 1
    assert first.parent.history.count() == 1
    assert first.history.get().history_user == team.coordinator
    assert AccessLog.objects.filter(
        user=team.coordinator, object_type="import", object_id=run.pk
    ).exists()


def test_an_xlsx_file_imports_as_the_csv_does(client, team):
    rows = table(CASES, case_row("X-1", opened_on=dt.date(2019, 3, 4)))
    run = confirm(client, upload(client, team, "cases", rows, xlsx=True))
    assert run.status == ImportRun.Status.LOADED
    assert Case.objects.get(service=team.service, reference="X-1").opened_on == dt.date(2019, 3, 4)


def test_importing_the_same_files_again_adds_nothing(client, team):
    cases = table(CASES, case_row("OLD-1"), case_row("OLD-2"))
    contacts = table(
        CONTACTS,
        {"reference": "N1", "case_reference": "OLD-1", "at": "2019-03-05 10:00",
         "method": "phone_in", "minutes": "20"},
    )  # fmt: skip
    enquiries = table(
        ENQUIRIES,
        {"reference": "E1", "received_at": "2019-02-27", "enquirer_type": "parent",
         "substantial": "yes", "case_reference": "OLD-1"},
    )  # fmt: skip
    for layout, rows in (("cases", cases), ("contacts", contacts), ("enquiries", enquiries)):
        assert confirm(client, upload(client, team, layout, rows)).status == "loaded"
    counted = (Case, Parent, Child, CaseEvent, Contact, Enquiry, ImportedRow)
    before = {model: model.objects.count() for model in counted}

    for layout, rows in (("cases", cases), ("contacts", contacts), ("enquiries", enquiries)):
        again = upload(client, team, layout, rows)
        assert again.problems == []
        assert again.already_imported == len(rows) - 1
        assert not any(again.counts.values())
        page = client.get(reverse("transfers:run", args=[again.pk])).content.decode()
        assert "Import these records" not in page
        client.post(reverse("transfers:confirm", args=[again.pk]))

    assert {model: model.objects.count() for model in counted} == before


def test_contacts_keep_their_case_last_contact_and_count_as_the_importers(client, team):
    confirm(client, upload(client, team, "cases", table(CASES, case_row("OLD-1"))))
    contacts = table(
        CONTACTS,
        {"reference": "N1", "case_reference": "OLD-1", "at": "2019-03-05 10:00",
         "method": "Phone in", "minutes": "20", "note": "'=SUM(A1)"},
        {"reference": "N2", "case_reference": "OLD-1", "at": "2019-04-05 11:30",
         "method": "home_visit", "minutes": "90", "by": team.officer.username},
    )  # fmt: skip
    run = confirm(client, upload(client, team, "contacts", contacts))
    assert run.counts == {"contacts": 2}
    case = Case.objects.get(reference="OLD-1")
    assert case.last_contact_on == dt.date(2019, 4, 5)
    assert list(case.contacts.order_by("at").values_list("by", "minutes", "note")) == [
        (team.coordinator.pk, 20, "=SUM(A1)"),
        (team.officer.pk, 90, ""),
    ]
    assert timezone.localtime(case.contacts.order_by("at").first().at).hour == 10


def test_every_kind_of_bad_row_is_listed_with_its_line_and_nothing_is_written(client, team):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    rows = table(
        CASES,
        case_row("OK-1"),
        case_row("BAD-1", parent_first_name=""),  # line 3: missing required
        case_row("BAD-2", parent_ethnicity="Martian"),  # line 4: unknown code
        case_row("BAD-3", opened_on="31/02/2019"),  # line 5: bad date
        case_row("BAD-4", opened_on=future, received_on="2019-01-01"),  # line 6: future
        case_row("OK-1"),  # line 7: duplicate reference in the file
        case_row("BAD-5", referral_route="Carrier pigeon"),  # line 8: not in the service's list
        case_row("BAD-6", closed_on="2019-05-01"),  # line 9: closed without a reason
    )
    run = upload(client, team, "cases", rows)
    assert [problem[:2] for problem in run.problems] == [
        [3, "parent_first_name"],
        [4, "parent_ethnicity"],
        [5, "opened_on"],
        [6, "opened_on"],
        [7, "reference"],
        [8, "referral_route"],
        [9, "closure_reason"],
    ]
    assert run.problems[4][2] == "The reference “OK-1” is also on line 2."
    assert run.counts == {}
    page = client.get(reverse("transfers:run", args=[run.pk])).content.decode()
    assert "7 problems in 8 rows" in page
    assert "Import these records" not in page
    response = client.post(reverse("transfers:confirm", args=[run.pk]))
    assert response.status_code == 302
    assert not Case.objects.exists()
    assert not Parent.objects.exists()
    assert not ImportedRow.objects.exists()


def test_a_contact_on_a_case_that_does_not_exist_is_listed(client, team):
    factories.open_case(team.service, team.officer, opened_on=dt.date(2019, 3, 1))
    contacts = table(
        CONTACTS,
        {"reference": "N1", "case_reference": "NOPE-1", "at": "2019-03-05 10:00",
         "method": "phone_in", "minutes": "20"},
        {"reference": "N2", "case_reference": "NOPE-1", "at": "2019-03-05 10:00",
         "method": "phone_in", "minutes": "0"},
    )  # fmt: skip
    run = upload(client, team, "contacts", contacts)
    assert run.problems == [
        [2, "case_reference", "No case of this service has the reference “NOPE-1”."],
        [3, "minutes", "Must be at least 1."],
    ]
    assert not Contact.objects.exists()


def test_a_missing_column_is_named_and_a_file_of_another_type_refused(client, team):
    run = upload(client, team, "contacts", [["reference", "at"], ["N1", "2019-03-05"]])
    assert run.problems == [[1, "", "Missing column(s): case_reference, method, minutes."]]
    client.force_login(team.coordinator)
    response = client.post(
        reverse("transfers:index"),
        {"layout": "cases", "file": csv_upload([["x"]], name="notes.pdf")},
    )
    assert response.status_code == 200
    assert (
        "Upload a CSV file" in response.content.decode() or "rename it" in response.content.decode()
    )
    assert ImportRun.objects.count() == 1


def test_a_case_of_another_service_is_not_found_by_reference(client, team, other_team):
    theirs = factories.open_case(other_team.service, other_team.officer)
    contacts = table(
        CONTACTS,
        {"reference": "N1", "case_reference": theirs.reference, "at": "2019-03-05 10:00",
         "method": "phone_in", "minutes": "20"},
    )  # fmt: skip
    # Their case was opened today: only the reference could match, and it must not.
    Case.objects.filter(service=team.service).delete()
    run = upload(client, team, "contacts", contacts)
    assert run.problems[0][1] == "case_reference"


VOLUNTEERS = LAYOUTS["volunteers"].header
RETURNS = LAYOUTS["monthly-returns"].header


def test_volunteers_with_their_status_history_and_their_returns(client, team):
    volunteers = table(
        VOLUNTEERS,
        {"reference": "V-1", "first_name": "Ivy", "last_name": "Helper", "role": "ips",
         "status_history": "enquirer 2019-01-05; In training 2019-02-01; active 2019-06-01",
         "localities": "North; Fenland"},
        {"reference": "V-2", "first_name": "Leaf", "last_name": "Let", "role": "other",
         "status_history": "active 2019-01-05"},
    )  # fmt: skip
    run = confirm(client, upload(client, team, "volunteers", volunteers))
    assert run.counts == {"volunteers": 2, "status changes": 4}
    ivy = Volunteer.objects.get(service=team.service, first_name="Ivy")
    assert ivy.status == "active"
    assert sorted(ivy.localities.values_list("name", flat=True)) == ["Fenland", "North"]
    assert list(ivy.status_changes.values_list("status", "on")) == [
        ("enquirer", dt.date(2019, 1, 5)),
        ("in_training", dt.date(2019, 2, 1)),
        ("active", dt.date(2019, 6, 1)),
    ]
    returns = table(
        RETURNS,
        {"reference": "R1", "volunteer_reference": "V-1", "month": "2019-07",
         "phone_hours": "2.5", "meeting_hours": "1"},
        {"reference": "R2", "volunteer_reference": "ivy helper", "month": "2019-08-14",
         "paperwork_hours": "0.25"},
        {"reference": "R3", "volunteer_reference": "V-1", "month": "2019-07"},
        {"reference": "R4", "volunteer_reference": "V-2", "month": "2019-07"},
        {"reference": "R5", "volunteer_reference": "V-9", "month": "2019-07"},
        {"reference": "R6", "volunteer_reference": "V-1", "month": "2019-09",
         "tribunal_hours": "1.234"},
    )  # fmt: skip
    run = upload(client, team, "monthly-returns", returns)
    assert [problem[:2] for problem in run.problems] == [
        [5, "volunteer_reference"],
        [6, "volunteer_reference"],
        [7, "tribunal_hours"],
    ]
    assert not MonthlyReturn.objects.exists()
    run = confirm(client, upload(client, team, "monthly-returns", returns[:3]))
    assert list(ivy.monthly_returns.order_by("month").values_list("month", "phone_hours")) == [
        (dt.date(2019, 7, 1), Decimal("2.50")),
        (dt.date(2019, 8, 1), Decimal("0.00")),
    ]
    duplicate = upload(client, team, "monthly-returns", [returns[0], returns[3]])
    assert [problem[:2] for problem in duplicate.problems] == [[2, "month"]]


def test_evaluation_responses_and_forms_not_returned(client, team):
    confirm(client, upload(client, team, "cases", table(CASES, case_row("OLD-1"))))
    header = LAYOUTS["evaluation-responses"].header
    good = {
        "form": "Parent evaluation", "recipient_kind": "parent", "channel": "letter",
        "sent_on": "2019-06-20", "case_reference": "OLD-1",
    }  # fmt: skip
    rows = table(
        header,
        {**good, "reference": "EV1", "received_on": "2019-07-01",
         "answers": '{"helpfulness": "Excellent", "comments": "Thank you"}'},
        {**good, "reference": "EV2"},
        {**good, "reference": "EV3", "form": "Nope"},
        {**good, "reference": "EV4", "received_on": "2019-07-01",
         "answers": '{"helpfulness": "Superb"}'},
        {**good, "reference": "EV5", "received_on": "2019-07-01", "answers": '{"colour": "Red"}'},
        {**good, "reference": "EV6", "received_on": "2019-07-01", "answers": "not json"},
    )  # fmt: skip
    run = upload(client, team, "evaluation-responses", rows)
    assert [problem[:2] for problem in run.problems] == [
        [4, "form"],
        [5, "answers"],
        [6, "answers"],  # no such question
        [6, "answers"],  # and the required one left unanswered
        [7, "answers"],
    ]
    assert not Sending.objects.exists()
    run = confirm(client, upload(client, team, "evaluation-responses", rows[:3]))
    assert run.counts == {"forms sent": 2, "responses": 1, "answers": 2}
    sending = Sending.objects.get(response__isnull=False)
    assert sending.case.reference == "OLD-1"
    assert dict(sending.response.answers.values_list("question__key", "value")) == {
        "helpfulness": "Excellent",
        "comments": "Thank you",
    }
    assert sending.case.evaluation_sent_on == dt.date(2019, 6, 20)


def test_the_file_is_deleted_once_loaded_and_a_damaged_workbook_is_refused(
    client, team, django_capture_on_commit_callbacks
):
    run = upload(client, team, "cases", table(CASES, case_row("OLD-1")))
    name = run.file.name
    assert run.file.storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        run = confirm(client, run)
    assert run.status == ImportRun.Status.LOADED
    assert not run.file.storage.exists(name)
    assert run.preview == []
    assert "Imported" in client.get(reverse("transfers:run", args=[run.pk])).content.decode()

    workbook = xlsx_upload(table(CASES, case_row("OLD-2"))).read()
    damaged = SimpleUploadedFile("cases.xlsx", workbook[:-200])
    response = client.post(reverse("transfers:index"), {"layout": "cases", "file": damaged})
    if response.status_code == 302:
        run = ImportRun.objects.latest("id")
        assert run.status == ImportRun.Status.FAILED
        assert "could not be read" in run.failure_reason
    else:
        assert response.status_code == 200
    assert Case.objects.count() == 1
