"""What an IPS volunteer sees of a case allocated to them, through real requests: the case
page leads back to their allocated cases and offers none of the staff's actions. Staff
reach their lists from the menu."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import actions
from tests import factories

pytestmark = pytest.mark.django_db

BACK = '<a href="/my-cases/">Back to my allocated cases</a>'


def test_a_volunteers_case_page_links_back_to_their_allocated_cases(client, team):
    today = timezone.localdate()
    case = factories.open_case(team.service, team.officer, opened_on=today - timedelta(days=30))
    actions.allocate_volunteer(
        case=case, volunteer=team.volunteer_record, by=team.officer, started_on=today
    )
    client.force_login(team.volunteer)
    mine = client.get(reverse("casework:my-allocated-cases")).content.decode()
    assert f'<a href="/cases/{case.pk}/">{case.reference}</a>' in mine
    page = client.get(reverse("casework:case-detail", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count(BACK) == 1
    # None of the staff's actions is offered to the volunteer.
    assert reverse("casework:case-edit", args=[case.pk]) not in html
    assert reverse("casework:case-close", args=[case.pk]) not in html
    assert reverse("casework:case-allocate", args=[case.pk]) not in html
    # The volunteer logs contacts from the case page.
    assert reverse("casework:case-log-contact", args=[case.pk]) in html


def test_staff_have_the_menus_cases_link_and_no_volunteers_one(client, team):
    case = factories.open_case(team.service, team.officer)
    client.force_login(team.officer)
    html = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    assert BACK not in html
    assert html.count('href="/cases/"') == 1  # the menu's
