"""Double submits in casework: a constraint keeps one row, the second person gets a message."""

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Allocation, Case, ReferralRoute
from tests import factories
from tests.concurrent import post_at_once, postgresql_only

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


def test_allocating_the_same_volunteer_twice_at_once_makes_one_allocation(client, team):
    case = factories.open_case(team.service, team.officer)
    url = reverse("casework:case-allocate", args=[case.pk])
    data = {
        "volunteer": team.volunteer_record.pk,
        "started_on": timezone.localdate().isoformat(),
    }

    statuses = post_at_once(team.officer, url, data)

    assert sorted(statuses) == [200, 302]
    assert Allocation.objects.filter(case=case, volunteer=team.volunteer_record).count() == 1
    # The one who came second (or who presses again) is told why, beside the field.
    client.force_login(team.officer)
    again = client.post(url, data)
    assert again.status_code == 200
    assert again.context["form"].errors["volunteer"] == [
        "This volunteer is already allocated to this case."
    ]


def test_opening_two_cases_for_one_parent_and_child_at_once_opens_one(client, team):
    parent = factories.ParentFactory(service=team.service)
    child = factories.ChildFactory(service=team.service, last_name=parent.last_name)
    url = reverse("casework:case-create") + f"?parent={parent.pk}&child={child.pk}"
    data = {
        "case-officer": team.officer.pk,
        "case-received_on": timezone.localdate().isoformat(),
        "case-bullying": "none",
        "case-unofficial_exclusion": "none",
        "case-official_exclusion": "none",
        "consent-confidentiality_explained_on": timezone.localdate().isoformat(),
    }

    statuses = post_at_once(team.officer, url, data)

    assert sorted(statuses) == [200, 302]
    cases = Case.objects.filter(parent=parent, child=child)
    assert cases.count() == 1
    # Refused with a link to the case that is open.
    client.force_login(team.officer)
    again = client.post(url, data)
    assert again.status_code == 200
    page = again.content.decode()
    assert "already has an open case about this child" in page
    assert f'href="{cases.get().get_absolute_url()}"' in page


def test_adding_one_code_list_value_twice_at_once_adds_it_once(team):
    url = reverse("casework:codelist", args=["referral-routes"])
    data = {"new-name": "Health visitor", "new-position": "9", "new-active": "on"}

    statuses = post_at_once(team.coordinator, url, data)

    assert sorted(statuses) == [302, 400]
    assert ReferralRoute.objects.filter(service=team.service, name="Health visitor").count() == 1
