"""The casework pages through real requests: forms, errors, conflicts, exports, audit."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from casework.enums import CaseStatus
from casework.models import Case, Child, Contact, Enquiry, Parent, ReferralRoute
from pps.models import AccessLog
from tests import factories

pytestmark = pytest.mark.django_db


def test_log_a_contact_from_the_case_page(client, team):
    case = factories.open_case(team.service, team.officer)
    client.force_login(team.officer)
    page = client.get(reverse("casework:case-detail", args=[case.pk]))
    assert b"Log a contact" in page.content
    at = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("casework:case-log-contact", args=[case.pk]),
        {"at": at, "method": "phone_out", "minutes": "25", "note": "Talked through the EHC plan"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Talked through the EHC plan" in page.content.decode()
    assert "Phone out, 25 min" in page.content.decode()


def test_a_bad_contact_is_shown_beside_its_field_and_saves_nothing(client, team):
    case = factories.open_case(team.service, team.officer)
    client.force_login(team.officer)
    response = client.post(
        reverse("casework:case-log-contact", args=[case.pk]),
        {"at": "not a time", "method": "phone_out", "minutes": "0", "note": "x"},
    )
    assert response.status_code == 400
    form = response.context["contact_form"]
    assert set(form.errors) == {"at", "minutes"}
    html = response.content.decode()
    assert 'id="id_minutes"' in html and "is-invalid" in html
    assert not Contact.objects.filter(case=case).exists()


def test_an_edit_conflict_loses_neither_persons_work(client, team):
    case = factories.open_case(team.service, team.officer)
    url = reverse("casework:case-edit", args=[case.pk])
    routes = list(ReferralRoute.objects.filter(service=team.service)[:2])
    base = {
        "officer": team.officer.pk,
        "received_on": case.received_on.isoformat(),
        "bullying": "none",
        "unofficial_exclusion": "none",
        "official_exclusion": "none",
    }
    client.force_login(team.officer)
    opened_by_officer = client.get(url).context["form"]["version"].value()
    colleague = client.__class__()
    colleague.force_login(team.coordinator)
    opened_by_colleague = colleague.get(url).context["form"]["version"].value()

    saved = colleague.post(
        url,
        {
            **base,
            "version": opened_by_colleague,
            "referral_route": routes[0].pk,
            "tribunal_notes": "Coordinator's note",
        },
    )
    assert saved.status_code == 302

    clash = client.post(
        url,
        {
            **base,
            "version": opened_by_officer,
            "referral_route": routes[1].pk,
            "tribunal_notes": "Officer's note",
        },
    )
    assert clash.status_code == 200
    html = clash.content.decode()
    assert "Someone else saved this record" in html
    assert "Coordinator&#x27;s note" in html  # their value, shown
    assert "Officer&#x27;s note" in html  # my value, still in the form
    case.refresh_from_db()
    assert case.tribunal_notes == "Coordinator's note"  # nothing overwritten

    again = client.post(
        url,
        {
            **base,
            "version": clash.context["form"].data["version"],
            "referral_route": routes[1].pk,
            "tribunal_notes": "Officer's note",
        },
    )
    assert again.status_code == 302
    case.refresh_from_db()
    assert case.tribunal_notes == "Officer's note"
    assert case.version == 3


def test_convert_an_enquiry_into_a_case(client, team):
    client.force_login(team.officer)
    received = (timezone.localtime() - timedelta(days=1)).replace(second=0, microsecond=0)
    response = client.post(
        reverse("casework:enquiry-create"),
        {
            "received_at": received.strftime("%Y-%m-%dT%H:%M"),
            "enquirer_type": "parent",
            "enquirer_name": "Jo Bloggs",
            "minutes": "10",
            "substantial": "on",
            "convert": "1",
        },
    )
    enquiry = Enquiry.objects.get(service=team.service)
    assert response["Location"] == reverse("casework:case-start") + f"?enquiry={enquiry.pk}"
    search = client.get(response["Location"] + "&q=Bloggs")
    assert search.status_code == 200
    create_url = reverse("casework:case-create") + f"?enquiry={enquiry.pk}"
    form = client.get(create_url)
    assert form.context["parent_form"]["last_name"].value() == "Bloggs"
    created = client.post(
        create_url,
        {
            "parent-first_name": "Jo",
            "parent-last_name": "Bloggs",
            "parent-phone": "01632 960001",
            "parent-preferred_contact": "phone",
            "parent-ethnicity": "not_stated",
            "parent-first_language": "English",
            "child-first_name": "Sam",
            "child-last_name": "Bloggs",
            "child-gender": "not_known",
            "child-sen_status": "sen",
            "case-officer": team.officer.pk,
            "case-bullying": "none",
            "case-unofficial_exclusion": "none",
            "case-official_exclusion": "none",
            "consent-confidentiality_explained_on": timezone.localdate().isoformat(),
        },
    )
    assert created.status_code == 302, created.context and [
        f.errors for f in (created.context["case_form"], created.context["parent_form"])
    ]
    case = Case.objects.get(service=team.service)
    enquiry.refresh_from_db()
    assert enquiry.case == case
    assert case.received_on == timezone.localdate(enquiry.received_at)
    assert case.status == CaseStatus.OPEN


def test_a_case_form_with_errors_creates_no_parent_child_or_case(client, team):
    client.force_login(team.officer)
    response = client.post(
        reverse("casework:case-create"),
        {
            "parent-first_name": "Jo",
            "parent-last_name": "",
            "parent-preferred_contact": "phone",
            "parent-ethnicity": "not_stated",
            "parent-first_language": "English",
            "child-first_name": "Sam",
            "child-last_name": "Bloggs",
            "child-gender": "not_known",
            "child-sen_status": "sen",
            "child-date_of_birth": (date.today() + timedelta(days=3)).isoformat(),
            "case-officer": team.officer.pk,
            "case-bullying": "none",
            "case-unofficial_exclusion": "none",
            "case-official_exclusion": "none",
            "case-received_on": date.today().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "last_name" in response.context["parent_form"].errors
    assert "phone" in response.context["parent_form"].errors  # no way to reach the parent
    assert "date_of_birth" in response.context["child_form"].errors
    assert not Parent.objects.filter(service=team.service).exists()
    assert not Child.objects.filter(service=team.service).exists()
    assert not Case.objects.filter(service=team.service).exists()


def test_my_work_shows_each_section(client, team):
    today = timezone.localdate()
    quiet = factories.open_case(team.service, team.officer, opened_on=today - timedelta(days=200))
    factories.log_contact(quiet, team.officer, on=today - timedelta(days=120))
    due_eval = factories.open_case(team.service, team.officer, opened_on=today - timedelta(days=60))
    overdue = factories.log_contact(
        due_eval,
        team.officer,
        on=today - timedelta(days=40),
        follow_up="Send the leaflet",
        follow_up_due_on=today,
    )
    # Due yesterday: set when it was still ahead (a new contact cannot be given a past date).
    Contact.objects.filter(pk=overdue.pk).update(follow_up_due_on=today - timedelta(days=1))
    waiting = factories.record_enquiry(team.service, team.officer, on=today - timedelta(days=7))
    client.force_login(team.officer)
    response = client.get(reverse("casework:my-work"))
    assert response.status_code == 200
    context = response.context
    assert [c.pk for c in context["due_closure"]] == [quiet.pk]
    assert {c.pk for c in context["due_evaluation"]} == {quiet.pk, due_eval.pk}
    assert [c.follow_up for c in context["follow_ups"]] == ["Send the leaflet"]
    assert context["follow_ups"][0].overdue and "(overdue)" in response.content.decode()
    assert [e.pk for e in context["enquiries"]] == [waiting.pk]
    assert context["enquiries"][0].over_standard
    assert "(over the standard)" in response.content.decode()
    assert len(context["caseload"]) == 2
    for case in context["caseload"]:
        link = reverse("casework:case-detail", args=[case.pk])
        assert f'<a href="{link}">{case.reference}</a>' in response.content.decode()

    # Sending the form (here as a letter) takes the case off the list.
    client.post(reverse("evaluations:send-parent", args=[due_eval.pk]), {"channel": "letter"})
    response = client.get(reverse("casework:my-work"))
    assert {c.pk for c in response.context["due_evaluation"]} == {quiet.pk}


def test_csv_export_is_safe_in_a_spreadsheet_and_is_recorded(client, team):
    parent = factories.ParentFactory(
        service=team.service, first_name="=HYPERLINK(1)", last_name="Smith"
    )
    factories.open_case(team.service, team.officer, parent=parent)
    client.force_login(team.officer)
    response = client.get(reverse("casework:case-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Reference"
    assert "'=HYPERLINK(1) Smith" in rows[1]
    log = AccessLog.objects.get(service=team.service, object_type="case-list")
    assert log.action == AccessLog.Action.EXPORT and log.user == team.officer


def test_lists_filter_and_sort(client, team):
    first = factories.open_case(team.service, team.officer)
    factories.open_case(team.service, team.officer)
    client.force_login(team.officer)
    response = client.get(
        reverse("casework:case-list"), {"q": first.parent.last_name, "sort": "-opened_on"}
    )
    references = [row.record.reference for row in response.context["table"].page.object_list]
    assert first.reference in references


def test_views_and_changes_are_audited_and_readable_by_the_coordinator(client, team):
    case = factories.open_case(team.service, team.officer)
    client.force_login(team.officer)
    client.get(reverse("casework:case-detail", args=[case.pk]))
    client.post(
        reverse("casework:parent-edit", args=[case.parent_id]),
        {
            "version": case.parent.version,
            "first_name": case.parent.first_name,
            "last_name": "Changed",
            "phone": case.parent.phone,
            "postcode": case.parent.postcode,
            "preferred_contact": "phone",
            "ethnicity": "not_stated",
            "first_language": "English",
        },
    )
    view = AccessLog.objects.get(object_type="case", object_id=case.pk)
    assert view.user == team.officer and view.action == AccessLog.Action.VIEW
    change = case.parent.history.first()
    assert change.history_user == team.officer and change.last_name == "Changed"

    assert client.get(reverse("casework:case-audit", args=[case.pk])).status_code == 403
    client.force_login(team.coordinator)
    audit = client.get(reverse("casework:case-audit", args=[case.pk]))
    assert audit.status_code == 200
    parent_changes = [c for c in audit.context["changes"] if c["what"] == "Parent"]
    old_name = case.parent.last_name
    assert parent_changes[0]["fields"] == [("last_name", old_name, "Changed")]
    assert escape(f"last_name: {old_name} → Changed") in audit.content.decode()
    assert parent_changes[0]["by"] == team.officer
    assert any(entry.user == team.officer for entry in audit.context["views"])


def test_a_coordinator_edits_a_code_list_for_their_service_only(client, team, other_team):
    client.force_login(team.coordinator)
    url = reverse("casework:codelist", args=["referral-routes"])
    response = client.post(
        url, {"new-name": "Social media", "new-position": "20", "new-active": "on"}
    )
    assert response.status_code == 302
    assert ReferralRoute.objects.filter(service=team.service, name="Social media").exists()
    assert not ReferralRoute.objects.filter(
        service=other_team.service, name="Social media"
    ).exists()
    duplicate = client.post(url, {"new-name": "social media", "new-position": "21"})
    assert duplicate.status_code == 400
    assert "already has that value" in duplicate.content.decode()


def test_pages_are_never_cached(client, team):
    client.force_login(team.officer)
    assert client.get(reverse("casework:my-work"))["Cache-Control"] == "no-store"


def test_dates_are_shown_in_full(client, team):
    case = factories.open_case(team.service, team.officer, opened_on=date(2026, 11, 2))
    client.force_login(team.officer)
    html = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    assert "2 November 2026" in html


def test_an_enquiry_edited_by_two_people_keeps_both_versions_visible(client, team):
    enquiry = factories.record_enquiry(team.service, team.officer)
    url = reverse("casework:enquiry-detail", args=[enquiry.pk])
    form = {
        "received_at": timezone.localtime(enquiry.received_at).strftime("%Y-%m-%dT%H:%M"),
        "enquirer_type": "parent",
        "minutes": "5",
        "version": enquiry.version,
    }
    client.force_login(team.officer)
    assert client.post(url, {**form, "summary": "First"}).status_code == 302
    clash = client.post(url, {**form, "summary": "Second"})
    assert clash.status_code == 200
    assert "Someone else saved this record" in clash.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.summary == "First"


def test_close_reopen_allocate_and_end_from_the_case_pages(client, team):
    today = timezone.localdate()
    case = factories.open_case(team.service, team.officer, opened_on=today - timedelta(days=20))
    client.force_login(team.officer)

    allocate = client.post(
        reverse("casework:case-allocate", args=[case.pk]),
        {"volunteer": team.volunteer_record.pk, "started_on": today.isoformat()},
    )
    assert allocate.status_code == 302
    allocation = case.allocations.get()
    end = client.post(
        reverse("casework:case-end-allocation", args=[case.pk, allocation.pk]),
        {"on": today.isoformat()},
    )
    assert end.status_code == 302
    allocation.refresh_from_db()
    assert allocation.ended_on == today

    early = client.post(
        reverse("casework:case-close", args=[case.pk]),
        {
            "on": (today - timedelta(days=30)).isoformat(),
            "reason": "resolved",
            "outcome": "resolved",
            "summary": "Resolved with the school.",
        },
    )
    assert early.status_code == 200
    assert "close it after that" in early.content.decode()
    closed = client.post(
        reverse("casework:case-close", args=[case.pk]),
        {
            "on": today.isoformat(),
            "reason": "resolved",
            "outcome": "some_improvement",
            "summary": "Resolved with the school.",
        },
    )
    assert closed.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == "some_improvement"
    reopened = client.post(
        reverse("casework:case-reopen", args=[case.pk]), {"on": today.isoformat()}
    )
    assert reopened.status_code == 302
    case.refresh_from_db()
    assert case.is_open and case.events.count() == 3


def test_a_mangled_link_is_not_found_not_a_server_error(client, team):
    client.force_login(team.officer)
    for query in ("?enquiry=abc", "?parent=1%3B", "?child=-1"):
        assert client.get(reverse("casework:case-create") + query).status_code == 404
    assert client.get(reverse("casework:case-start") + "?enquiry=x").status_code == 404


def test_marking_a_follow_up_done_goes_back_only_within_the_site(client, team):
    case = factories.open_case(team.service, team.officer)
    contact = factories.log_contact(
        case, team.officer, follow_up="Ring school", follow_up_due_on=timezone.localdate()
    )
    client.force_login(team.officer)
    url = reverse("casework:follow-up-done", args=[contact.pk])
    today = timezone.localdate().isoformat()
    response = client.post(url, {"on": today, "next": "https://evil.example/"})
    assert response["Location"] == reverse("casework:my-work")
    contact.refresh_from_db()
    assert contact.follow_up_done_on == timezone.localdate()


def test_the_parents_list_counts_each_parents_open_and_all_cases(client, team, other_team):
    from casework import actions
    from casework.enums import ClosureReason, Outcome

    busy = factories.ParentFactory(service=team.service, last_name="Aardvark")
    first = factories.open_case(team.service, team.officer, parent=busy)
    factories.open_case(team.service, team.officer, parent=busy)
    actions.close_case(
        case=first,
        by=team.officer,
        on=timezone.localdate(),
        reason=ClosureReason.RESOLVED,
        outcome=Outcome.RESOLVED,
    )
    factories.ParentFactory(service=team.service, last_name="Abbot")
    # Another service's case of a namesake counts nowhere here.
    factories.open_case(
        other_team.service,
        other_team.officer,
        parent=factories.ParentFactory(service=other_team.service, last_name="Aardvark"),
    )
    client.force_login(team.coordinator)
    page = client.get(reverse("casework:parent-list"), {"sort": "name"})
    rows = [
        (row.record.last_name, row.record.open_cases, row.record.all_cases)
        for row in page.context["table"].page
    ]
    assert rows[:2] == [("Aardvark", 1, 2), ("Abbot", 0, 0)]
    assert len([r for r in rows if r[0] == "Aardvark"]) == 1
