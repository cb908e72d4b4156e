"""The rules that the casework actions enforce."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework import actions
from casework.enums import CaseStatus, ClosureReason, Outcome
from casework.models import Case, CaseEvent, Contact
from tests import factories

pytestmark = pytest.mark.django_db


def test_references_are_numbered_per_service_and_year(team, other_team):
    first = factories.open_case(team.service, team.officer, opened_on=date(2025, 12, 30))
    second = factories.open_case(team.service, team.officer, opened_on=date(2025, 12, 31))
    third = factories.open_case(team.service, team.officer, opened_on=date(2026, 1, 2))
    elsewhere = factories.open_case(
        other_team.service, other_team.officer, opened_on=date(2025, 12, 30)
    )
    assert [first.reference, second.reference, third.reference] == [
        "PPS-2025-0001",
        "PPS-2025-0002",
        "PPS-2026-0001",
    ]
    assert elsewhere.reference == "PPS-2025-0001"


def test_a_family_with_two_children_gets_two_cases_and_separated_parents_two(team):
    parent = factories.ParentFactory(service=team.service)
    first = factories.open_case(team.service, team.officer, parent=parent)
    second = factories.open_case(team.service, team.officer, parent=parent)
    assert first.child != second.child
    other_parent = factories.ParentFactory(service=team.service)
    apart = factories.open_case(team.service, team.officer, parent=other_parent, child=first.child)
    assert apart.child == first.child and apart.parent != first.parent
    assert Case.objects.filter(service=team.service).count() == 3


def test_the_same_parent_and_child_cannot_have_two_open_cases(team):
    case = factories.open_case(team.service, team.officer)
    with pytest.raises(ValidationError, match="already has an open case"):
        factories.open_case(team.service, team.officer, parent=case.parent, child=case.child)


def test_a_case_from_an_enquiry_is_received_on_the_enquiry_date(team):
    enquiry = factories.record_enquiry(team.service, team.officer, on=date(2026, 11, 2))
    case = factories.open_case(
        team.service,
        team.officer,
        opened_on=date(2026, 11, 9),
        enquiry=enquiry,
        received_on=date(2026, 11, 9),
    )
    enquiry.refresh_from_db()
    assert case.received_on == date(2026, 11, 2)
    assert enquiry.case == case
    # Taking the details for casework answered the enquiry, as nothing had before.
    assert enquiry.first_response_on == date(2026, 11, 9)
    with pytest.raises(ValidationError, match="already been converted"):
        factories.open_case(team.service, team.officer, enquiry=enquiry)


def test_closing_and_reopening_are_dated_events(team):
    case = factories.open_case(team.service, team.officer, opened_on=date(2026, 1, 5))
    with pytest.raises(ValidationError) as refused:
        actions.close_case(
            case=case,
            by=team.officer,
            on=date(2026, 1, 4),
            reason=ClosureReason.RESOLVED,
            outcome=Outcome.RESOLVED,
        )
    assert "on" in refused.value.message_dict
    actions.close_case(
        case=case,
        by=team.officer,
        on=date(2026, 3, 1),
        reason=ClosureReason.NO_CONTACT,
        outcome=Outcome.ONGOING,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on == date(2026, 3, 1)
    with pytest.raises(ValidationError, match="already closed"):
        actions.close_case(
            case=case,
            by=team.officer,
            on=date(2026, 3, 2),
            reason=ClosureReason.RESOLVED,
            outcome=Outcome.RESOLVED,
        )
    with pytest.raises(ValidationError):
        actions.reopen_case(case=case, by=team.officer, on=date(2026, 2, 1))
    actions.reopen_case(case=case, by=team.officer, on=date(2026, 6, 1))
    case.refresh_from_db()
    assert case.last_activity_on == date(2026, 6, 1)
    assert CaseEvent.objects.filter(case=case).count() == 3


def test_logging_a_contact_keeps_the_case_dates_in_step(team):
    case = factories.open_case(team.service, team.officer, opened_on=date(2026, 9, 1))
    factories.log_contact(case, team.officer, on=date(2026, 10, 1))
    factories.log_contact(case, team.officer, on=date(2026, 9, 15))  # logged late
    case.refresh_from_db()
    assert case.last_contact_on == date(2026, 10, 1)
    assert case.last_activity_on == date(2026, 10, 1)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"at": timezone.now() + timedelta(days=1)}, "at"),
        ({"follow_up_due_on": date(2026, 12, 1), "follow_up": ""}, "follow_up"),
    ],
)
def test_a_refused_contact_names_its_field_and_saves_nothing(team, change, field):
    case = factories.open_case(team.service, team.officer)
    values = {
        "case": case,
        "by": team.officer,
        "at": timezone.now(),
        "method": "phone_in",
        "minutes": 10,
        **change,
    }
    with pytest.raises(ValidationError) as refused:
        actions.log_contact(**values)
    assert field in refused.value.message_dict
    assert not Contact.objects.filter(case=case).exists()


def test_no_contact_on_a_closed_case(team):
    case = factories.open_case(team.service, team.officer, opened_on=date(2026, 1, 5))
    actions.close_case(
        case=case,
        by=team.officer,
        on=date(2026, 2, 1),
        reason=ClosureReason.RESOLVED,
        outcome=Outcome.RESOLVED,
    )
    with pytest.raises(ValidationError, match="re-open"):
        factories.log_contact(case, team.officer)


def test_only_an_active_ips_of_the_service_can_be_allocated(team, other_team):
    case = factories.open_case(team.service, team.officer)
    paused = factories.make_volunteer(team.service, status="paused")
    with pytest.raises(ValidationError, match="active IPS"):
        actions.allocate_volunteer(
            case=case, volunteer=paused, by=team.officer, started_on=date(2026, 11, 1)
        )
    with pytest.raises(ValidationError, match="another service"):
        actions.allocate_volunteer(
            case=case,
            volunteer=other_team.volunteer_record,
            by=team.officer,
            started_on=date(2026, 11, 1),
        )
    allocation = actions.allocate_volunteer(
        case=case, volunteer=team.volunteer_record, by=team.officer, started_on=date(2026, 11, 1)
    )
    with pytest.raises(ValidationError, match="already allocated"):
        actions.allocate_volunteer(
            case=case,
            volunteer=team.volunteer_record,
            by=team.officer,
            started_on=date(2026, 11, 2),
        )
    actions.end_allocation(allocation=allocation, on=date(2026, 11, 20))
    assert not case.allocations.current(date(2026, 11, 20)).exists()
    assert case.allocations.current(date(2026, 11, 19)).exists()


def test_a_volunteers_contact_is_marked_as_theirs(team):
    case = factories.open_case(team.service, team.officer)
    actions.allocate_volunteer(
        case=case,
        volunteer=team.volunteer_record,
        by=team.officer,
        started_on=timezone.localdate(),
    )
    contact = factories.log_contact(case, team.volunteer)
    assert contact.volunteer == team.volunteer_record
