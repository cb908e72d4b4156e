"""Recording, listing and completing subject access requests, their due dates, and the
access log of their pages (docs/data-lifecycle.md, "Subject access requests")."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from access_requests.actions import record_request
from access_requests.models import SubjectAccessRequest
from access_requests.rules import due_on
from pps.documents import build_document
from pps.models import AccessLog, GeneratedDocument
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2026, 9, 3), dt.date(2026, 10, 3)),
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),
        (dt.date(2028, 1, 29), dt.date(2028, 2, 29)),
        (dt.date(2026, 1, 29), dt.date(2026, 2, 28)),
        (dt.date(2026, 8, 31), dt.date(2026, 9, 30)),
        (dt.date(2026, 3, 31), dt.date(2026, 4, 30)),
        (dt.date(2026, 2, 28), dt.date(2026, 3, 28)),
        (dt.date(2026, 12, 31), dt.date(2027, 1, 31)),
        (dt.date(2026, 4, 30), dt.date(2026, 5, 30)),
    ],
)
def test_due_one_calendar_month_after_receipt_or_that_months_last_day(received, due):
    assert due_on(received) == due


def _parent(team):
    return factories.open_case(team.service, team.officer).parent


def test_a_coordinator_records_a_request_from_the_parents_page(client, team):
    parent = _parent(team)
    client.force_login(team.coordinator)
    page = client.get(reverse("casework:parent-detail", args=[parent.pk]))
    create = reverse("access_requests:request-create", args=[parent.pk])
    assert create in page.content.decode()
    response = client.post(
        create, {"received_on": "2026-01-31", "requester": "Her advocate, by letter"}
    )
    request = SubjectAccessRequest.objects.get()
    assert response.url == reverse("access_requests:request-detail", args=[request.pk])
    assert (request.parent, request.received_on, request.due_on) == (
        parent,
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
    )
    assert request.requester == "Her advocate, by letter"
    assert request.recorded_by == team.coordinator and request.service == team.service
    assert request.history.count() == 1


def test_an_officer_sees_no_link_to_a_request(client, team):
    parent = _parent(team)
    client.force_login(team.officer)
    page = client.get(reverse("casework:parent-detail", args=[parent.pk]))
    assert "Subject access request" not in page.content.decode()


def test_a_date_in_the_future_is_refused_beside_the_field(client, team):
    parent = _parent(team)
    client.force_login(team.coordinator)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("access_requests:request-create", args=[parent.pk]),
        {"received_on": tomorrow.isoformat(), "requester": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"received_on": ["This date is in the future."]}
    assert not SubjectAccessRequest.objects.exists()


def _requests(team, n, *, received_on):
    return [
        record_request(
            parent=_parent(team), received_on=received_on, requester="", by=team.coordinator
        )
        for _ in range(n)
    ]


def test_the_list_marks_overdue_requests_and_costs_the_same_queries_for_many(
    client, team, django_assert_max_num_queries
):
    today = timezone.localdate()
    (late,) = _requests(team, 1, received_on=today - dt.timedelta(days=40))
    (in_time,) = _requests(team, 1, received_on=today)
    done = _requests(team, 1, received_on=today - dt.timedelta(days=3))[0]
    done.completed_on = today
    done.save()
    client.force_login(team.coordinator)
    url = reverse("access_requests:request-list")
    response = client.get(url)
    assert [r.pk for r in response.context["open_requests"]] == [late.pk, in_time.pk]
    assert [r.pk for r in response.context["completed"]] == [done.pk]
    assert response.content.decode().count("Overdue") == 1
    _requests(team, 10, received_on=today - dt.timedelta(days=50))
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(response.context["open_requests"]) == 12
    assert response.content.decode().count("Overdue") == 11


def test_completing_a_request_records_the_date_and_who(client, team):
    today = timezone.localdate()
    (request,) = _requests(team, 1, received_on=today - dt.timedelta(days=5))
    client.force_login(team.coordinator)
    url = reverse("access_requests:request-complete", args=[request.pk])
    before = (today - dt.timedelta(days=6)).isoformat()
    response = client.post(url, {"on": before})
    assert "after this date" in response.context["form"].errors["on"][0]
    response = client.post(url, {"on": today.isoformat()})
    assert response.url == reverse("access_requests:request-detail", args=[request.pk])
    request.refresh_from_db()
    assert (request.completed_on, request.completed_by) == (today, team.coordinator)
    response = client.post(url, {"on": today.isoformat()})
    assert response.context["form"].errors["on"] == [
        f"This request was completed on {today:%-d %B %Y}."
    ]
    assert request.history.count() == 2


def test_producing_the_bundle_queues_it_and_every_view_and_download_is_logged(
    client, team, settings, tmp_path, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    (request,) = _requests(team, 1, received_on=timezone.localdate())
    client.force_login(team.coordinator)
    bundle_url = reverse("access_requests:request-bundle", args=[request.pk])
    response = client.post(bundle_url, {"redacted_names": "a"})
    assert "too short" in response.context["form"].errors["redacted_names"][0]
    assert not GeneratedDocument.objects.exists()
    response = client.post(bundle_url, {"redacted_names": "Sybil Trelawney\n\nsybil trelawney\n"})
    document = GeneratedDocument.objects.get()
    assert response.url == reverse("document-status", args=[document.pk])
    request.refresh_from_db()
    assert (request.bundle, request.redacted_count) == (document, 1)
    assert document.holds_personal_data and document.requested_by == team.coordinator
    assert build_document.call(team.service.pk, document.pk) == GeneratedDocument.Status.READY
    # The parent named too, so that anonymising the family deletes the bundle.
    assert document.parameters == {"request": request.pk, "parent": request.parent_id}

    detail = reverse("access_requests:request-detail", args=[request.pk])
    before = AccessLog.objects.count()
    with django_assert_max_num_queries(15):
        page = client.get(detail)
    download = reverse("document-download", args=[document.pk])
    assert download in page.content.decode()
    assert client.get(download).status_code == 200
    rows = list(AccessLog.objects.order_by("id")[before:])
    assert [(r.object_type, r.object_id, r.action, r.user) for r in rows] == [
        ("subject-access-request", request.pk, "view", team.coordinator),
        ("generated-document", document.pk, "export", team.coordinator),
    ]


def test_officers_steering_and_other_services_cannot_reach_a_request(client, team, other_team):
    (request,) = _requests(team, 1, received_on=timezone.localdate())
    detail = reverse("access_requests:request-detail", args=[request.pk])
    for user in (team.officer, team.steering, team.support, team.volunteer):
        client.force_login(user)
        assert client.get(detail).status_code == 403
        assert client.get(reverse("access_requests:request-list")).status_code == 403
    client.force_login(other_team.coordinator)
    assert client.get(detail).status_code == 404
    assert client.get(reverse("access_requests:request-list")).context["open_requests"] == []
