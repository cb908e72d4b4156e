"""The retention pages, through real requests as a coordinator: what is due, one family,
a legal hold placed and released, erasure on request, anonymising what is due, and the
setting (retention/views.py)."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import Parent
from pps.models import AccessLog
from retention.models import Anonymisation, LegalHold, RetentionSetting
from tests import factories
from tests.markup import shows
from tests.retention.test_due import closed_case

pytestmark = pytest.mark.django_db


def test_the_list_says_who_is_due_since_when_and_why(client, team):
    plain = closed_case(team, closed_on=dt.date(2016, 4, 5))
    child = factories.ChildFactory(service=team.service, date_of_birth=dt.date(1999, 2, 10))
    tribunal = closed_case(
        team, closed_on=dt.date(2015, 1, 8), child=child, tribunal=dt.date(2014, 3, 1)
    )
    closed_case(team, closed_on=dt.date(2025, 4, 5))
    client.force_login(team.coordinator)
    response = client.get(reverse("retention:due"))
    assert response.status_code == 200
    rows = [(row.parent.pk, row.due_since, row.why) for row in response.context["due"]]
    assert rows == [
        (
            tribunal.parent_id,
            dt.date(2024, 2, 10),
            "a child of a tribunal appeal case turned 25 (10 February 2024)",
        ),
        (plain.parent_id, dt.date(2022, 4, 5), "6 years after the last case closed (5 April 2016)"),
    ]
    page = response.content.decode()
    assert "Due for anonymisation today (2)" in page
    assert "5 April 2016" in page and shows(page, str(plain.parent))
    assert AccessLog.objects.filter(object_type="retention-due", user=team.coordinator).count() == 1


def test_the_list_costs_the_same_queries_for_many_families(
    client, team, django_assert_max_num_queries
):
    def families(n):
        for _ in range(n):
            closed_case(team, closed_on=dt.date(2016, 4, 5))
        hold = closed_case(team, closed_on=dt.date(2016, 4, 5))
        LegalHold.objects.create(
            service=team.service, parent=hold.parent, reason="Claim", placed_by=team.coordinator
        )

    client.force_login(team.coordinator)
    families(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("retention:due")).status_code == 200
    families(12)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("retention:due"))
    assert len(response.context["due"]) == 13
    assert len(few) <= 20


def test_a_coordinator_finds_a_family_by_case_reference(client, team, other_team):
    case = closed_case(team, closed_on=dt.date(2016, 4, 5))
    elsewhere = factories.open_case(other_team.service, other_team.officer)
    client.force_login(team.coordinator)
    response = client.get(reverse("retention:due"), {"reference": case.reference.lower()})
    assert response.status_code == 302
    assert response.url == reverse("retention:family", args=[case.parent_id])
    response = client.get(reverse("retention:due"), {"reference": elsewhere.reference + "X"})
    assert response.status_code == 200
    assert "No case of your service has this reference." in response.content.decode()


def test_a_hold_is_placed_and_released_with_reasons(client, team):
    case = closed_case(team, closed_on=dt.date(2016, 4, 5))
    client.force_login(team.coordinator)
    url = reverse("retention:hold-place", args=[case.parent_id])
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    assert not LegalHold.objects.exists()
    response = client.post(url, {"reason": "A claim is pending"})
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.parent_id, hold.reason, hold.placed_by, hold.released_at) == (
        case.parent_id,
        "A claim is pending",
        team.coordinator,
        None,
    )
    page = client.get(reverse("retention:family", args=[case.parent_id])).content.decode()
    assert "On legal hold since" in page and "A claim is pending" in page
    assert case.parent_id not in {
        row.parent.pk for row in client.get(reverse("retention:due")).context["due"]
    }
    response = client.post(
        reverse("retention:hold-release", args=[hold.pk]), {"release_reason": "Settled"}
    )
    assert response.status_code == 302
    hold.refresh_from_db()
    assert (hold.released_by, hold.release_reason) == (team.coordinator, "Settled")
    assert hold.released_at is not None


def test_erasure_on_request_needs_a_reason_and_a_confirmation(client, team):
    case = closed_case(team, closed_on=dt.date(2025, 4, 5))
    client.force_login(team.coordinator)
    url = reverse("retention:erase", args=[case.parent_id])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": "Parent asked"})
    assert refused.status_code == 200 and refused.context["form"].errors["confirm"]
    assert Parent.objects.get(pk=case.parent_id).first_name == case.parent.first_name
    response = client.post(url, {"reason": "Parent asked", "confirm": "on"})
    assert response.status_code == 302
    assert Parent.objects.get(pk=case.parent_id).first_name == "Anonymised"
    record = Anonymisation.objects.get()
    assert (record.trigger, record.reason, record.by, record.families) == (
        "request",
        "Parent asked",
        team.coordinator,
        1,
    )
    page = client.get(reverse("retention:family", args=[case.parent_id])).content.decode()
    assert "was anonymised on" in page
    # Twice is refused beside the form, nothing more recorded.
    again = client.post(url, {"reason": "Again", "confirm": "on"})
    assert again.status_code == 200 and "already anonymised" in again.content.decode()
    assert Anonymisation.objects.count() == 1


def test_a_coordinator_anonymises_what_is_due(client, team):
    due = closed_case(team, closed_on=dt.date(2016, 4, 5))
    kept = closed_case(team, closed_on=dt.date(2025, 4, 5))
    client.force_login(team.coordinator)
    url = reverse("retention:anonymise-due")
    assert "1 family is due" in client.get(url).content.decode()
    refused = client.post(url, {})
    assert refused.status_code == 200 and refused.context["form"].errors["confirm"]
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert "1 family anonymised." in response.content.decode()
    assert Parent.objects.get(pk=due.parent_id).last_name == "Anonymised"
    assert Parent.objects.get(pk=kept.parent_id).last_name == kept.parent.last_name
    assert "No family is due for anonymisation." in client.get(url).content.decode()


def test_the_setting_is_saved_with_a_version(client, team):
    client.force_login(team.coordinator)
    url = reverse("retention:setting")
    assert client.get(url).status_code == 200
    setting = RetentionSetting.objects.get(service=team.service)
    refused = client.post(
        url, {"years_after_closure": "0", "tribunal_child_age": "25", "version": setting.version}
    )
    assert refused.context["form"].errors["years_after_closure"]
    response = client.post(
        url, {"years_after_closure": "7", "tribunal_child_age": "25", "version": setting.version}
    )
    assert response.status_code == 302
    setting.refresh_from_db()
    assert (setting.years_after_closure, setting.version) == (7, 2)
    stale = client.post(url, {"years_after_closure": "8", "tribunal_child_age": "25", "version": 1})
    assert stale.status_code == 200
    setting.refresh_from_db()
    assert setting.years_after_closure == 7


def test_pages_are_for_coordinators_of_the_service(client, team, other_team):
    case = closed_case(team, closed_on=dt.date(2016, 4, 5))
    client.force_login(team.officer)
    assert client.get(reverse("retention:due")).status_code == 403
    client.force_login(other_team.coordinator)
    assert client.get(reverse("retention:family", args=[case.parent_id])).status_code == 404
    assert (
        client.post(
            reverse("retention:erase", args=[case.parent_id]), {"reason": "x", "confirm": "on"}
        ).status_code
        == 404
    )
    assert Parent.objects.get(pk=case.parent_id).first_name == case.parent.first_name


def test_a_familys_page_costs_the_same_queries_for_many_cases(
    client, team, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from retention import actions

    first = closed_case(team, closed_on=dt.date(2016, 4, 5))
    client.force_login(team.coordinator)
    url = reverse("retention:family", args=[first.parent_id])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(6):
        closed_case(team, closed_on=dt.date(2016, 5, 1 + n), parent=first.parent)
        hold = actions.place_legal_hold(parent=first.parent, by=team.coordinator, reason="Claim")
        actions.release_legal_hold(hold=hold, by=team.coordinator, reason="Settled")
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["cases"]) == 7
    assert len(response.context["released"]) == 6
