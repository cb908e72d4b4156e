"""One call about two children: the same contact logged on the family's other open cases,
one Contact row per case, the minutes repeated or split (docs/appointments.md, "One contact
on several cases")."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework import actions
from casework.enums import ContactShare
from casework.models import Contact
from reports.periods import Period
from reports.queries.casework import contact_figures_by_service, service_users_by_service
from tests import factories
from tests.clock import LONDON

pytestmark = pytest.mark.django_db

OPENED = date(2026, 9, 1)
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30), "November 2026")


@pytest.fixture
def family(team):
    """A parent with three children: two open cases and one closed."""
    first = factories.open_case(team.service, team.officer, opened_on=OPENED)
    parent = first.parent
    second = factories.open_case(
        team.service,
        team.officer,
        opened_on=OPENED,
        parent=parent,
        child=factories.ChildFactory(service=team.service, first_name="Ruby"),
    )
    closed = factories.open_case(
        team.service,
        team.officer,
        opened_on=OPENED,
        parent=parent,
        child=factories.ChildFactory(service=team.service, first_name="Oscar"),
    )
    actions.close_case(
        case=closed, by=team.officer, on=date(2026, 10, 1), reason="resolved", outcome="resolved"
    )
    return first, second, closed


def _post(client, case, **extra):
    data = {"at": "2026-11-10T11:00", "method": "phone_in", "minutes": "25", "note": "Both boys"}
    return client.post(reverse("casework:case-log-contact", args=[case.pk]), {**data, **extra})


def test_the_form_offers_the_parents_other_open_cases_only(client, team, family):
    first, second, closed = family
    client.force_login(team.officer)
    page = client.get(reverse("casework:case-detail", args=[first.pk])).content.decode()
    assert "Also log this contact on the family&#x27;s other open cases" in page
    assert f'value="{second.pk}"' in page and f"{second.reference} about Ruby" in page
    assert f'value="{closed.pk}"' not in page
    assert "Split the minutes between the cases" in page
    # A case with no open sibling has the plain form.
    lone = factories.open_case(team.service, team.officer, opened_on=OPENED)
    page = client.get(reverse("casework:case-detail", args=[lone.pk])).content.decode()
    assert "Also log this contact" not in page


def test_split_writes_one_row_per_case_summing_to_the_time(client, team, family):
    first, second, _closed = family
    client.force_login(team.officer)
    assert _post(client, first, also_on=[second.pk], share="split").status_code == 302
    assert Contact.objects.get(case=first).minutes == 13  # the remainder on the first
    assert Contact.objects.get(case=second).minutes == 12
    assert Contact.objects.get(case=second).note == "Both boys"
    figures = contact_figures_by_service([NOVEMBER])[team.service.pk, NOVEMBER]
    # Two contacts, one per child's case (4.0), and the call's 25 minutes once: 0.4 hours.
    assert (figures.casework_contacts, figures.office_hours) == (2, 0.4)
    assert service_users_by_service([NOVEMBER])[team.service.pk, NOVEMBER] == 2


def test_repeat_writes_the_minutes_on_each_case(client, team, family):
    first, second, _closed = family
    client.force_login(team.officer)
    assert _post(client, first, also_on=[second.pk], share="repeat").status_code == 302
    assert [c.minutes for c in Contact.objects.order_by("case_id")] == [25, 25]
    figures = contact_figures_by_service([NOVEMBER])[team.service.pk, NOVEMBER]
    assert (figures.casework_contacts, figures.office_hours) == (2, 0.8)


def test_without_a_choice_it_is_one_contact(client, team, family):
    first, _second, _closed = family
    client.force_login(team.officer)
    assert _post(client, first).status_code == 302
    assert list(Contact.objects.values_list("case_id", "minutes")) == [(first.pk, 25)]


def test_a_closed_or_strange_case_cannot_be_posted(client, team, other_team, family):
    first, _second, closed = family
    stranger = factories.open_case(other_team.service, other_team.officer, opened_on=OPENED)
    client.force_login(team.officer)
    for pk in (closed.pk, stranger.pk):
        response = _post(client, first, also_on=[pk], share="repeat")
        assert response.status_code == 400
        assert "also_on" in response.context["contact_form"].errors
    assert not Contact.objects.exists()


def test_too_few_minutes_to_split_changes_nothing(client, team, family):
    first, second, _closed = family
    client.force_login(team.officer)
    response = _post(client, first, also_on=[second.pk], share="split", minutes="1")
    assert response.status_code == 400
    assert response.context["contact_form"].errors["minutes"] == [
        "Split between 2 cases, each needs at least 1 minute."
    ]
    assert not Contact.objects.exists()


def test_a_case_closed_meanwhile_refuses_the_whole_contact(team, family):
    first, second, _closed = family
    actions.close_case(
        case=second, by=team.officer, on=date(2026, 11, 1), reason="resolved", outcome="resolved"
    )
    with pytest.raises(ValidationError) as refused:
        actions.log_contact_on_cases(
            case=first,
            also_on=[second],
            share=ContactShare.REPEAT,
            by=team.officer,
            at=datetime(2026, 11, 10, 11, 0, tzinfo=LONDON),
            method="phone_in",
            minutes=20,
        )
    assert "also_on" in refused.value.message_dict
    assert not Contact.objects.exists()
