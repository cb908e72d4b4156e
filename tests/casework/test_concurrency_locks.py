"""Every row lock in casework, tried with two connections at once (tests/concurrent.py).

Each test holds the first action inside its transaction, just before its write, and runs
the second meanwhile: with the select_for_update in place the second waits and then sees
the first one's work; without it the second acts on what it read before, and the
assertion below fails (each was tried with its lock taken out).
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from django.utils import timezone

from casework import actions
from casework.enums import CaseEventKind, CaseStatus, ClosureReason, Outcome
from casework.models import Allocation, Case, CaseEvent, Contact
from tests import factories
from tests.concurrent import overlap, postgresql_only

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


def _case(team, **fields):
    return factories.open_case(
        team.service, team.officer, opened_on=timezone.localdate() - dt.timedelta(days=30), **fields
    )


def _close(case, team):
    return lambda: actions.close_case(
        case=case,
        by=team.officer,
        on=timezone.localdate(),
        reason=ClosureReason.RESOLVED,
        outcome=Outcome.RESOLVED,
    )


def _contact(case, team):
    return lambda: actions.log_contact(
        case=case, by=team.officer, at=timezone.now(), method="phone_out", minutes=15
    )


def test_closing_one_case_twice_at_once_closes_it_once(team):
    case = _case(team)

    first, second = overlap(_close(case, team), _close(case, team), hold_at=[(pre_save, Case)])

    assert isinstance(first, Case)
    assert isinstance(second, ValidationError)
    assert second.messages == ["This case is already closed."]
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.CLOSED).count() == 1


def test_reopening_one_case_twice_at_once_reopens_it_once(team):
    case = _case(team)
    _close(case, team)()

    def reopen():
        return actions.reopen_case(case=case, by=team.officer, on=timezone.localdate())

    first, second = overlap(reopen, reopen, hold_at=[(pre_save, Case)])

    assert isinstance(first, Case)
    assert isinstance(second, ValidationError)
    assert second.messages == ["Only a closed case can be re-opened."]
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.REOPENED).count() == 1


def test_a_contact_logged_while_the_case_is_being_closed_is_refused(team):
    case = _case(team)
    contacts_before = Contact.objects.filter(case=case).count()

    closed, contact = overlap(
        _close(case, team), _contact(case, team), hold_at=[(pre_save, Case), (pre_save, Contact)]
    )

    assert isinstance(closed, Case)
    assert isinstance(contact, ValidationError)
    assert contact.messages == ["This case is closed: re-open it to log a contact."]
    assert Contact.objects.filter(case=case).count() == contacts_before


def test_a_contact_logged_while_the_evaluation_is_marked_sent_keeps_its_date(team):
    # Marking the evaluation sent saves the whole case: without its lock it would write back
    # the last-contact date it read before the contact, and the contact would be lost from
    # the case list's "last contact" column.
    case = _case(team)
    today = timezone.localdate()

    def mark_sent():
        return actions.record_evaluation_sent(case=case, on=today)

    # Held until the contact has finished (its case update is a queryset update, no signal).
    sent, contact = overlap(mark_sent, _contact(case, team), hold_at=[(pre_save, Case)])

    assert isinstance(sent, Case) and isinstance(contact, Contact)
    case.refresh_from_db()
    assert (case.evaluation_sent_on, case.last_contact_on) == (today, today)


def test_two_cases_opened_at_once_get_different_references(team):
    def open_one():
        return factories.open_case(team.service, team.officer)

    first, second = overlap(open_one, open_one, hold_at=[(pre_save, Case)])

    assert isinstance(first, Case) and isinstance(second, Case)
    references = sorted(Case.objects.values_list("reference", flat=True))
    assert len(set(references)) == 2
    assert references[1].endswith("-0002")
    assert Case.objects.filter(status=CaseStatus.OPEN).count() == 2


def _allocate(case, team, started_on=None):
    return lambda: actions.allocate_volunteer(
        case=case,
        volunteer=team.volunteer_record,
        by=team.officer,
        started_on=started_on or timezone.localdate(),
    )


def test_a_volunteer_allocated_while_the_case_is_being_closed_is_refused(team):
    # Without the case lock in allocate_volunteer the allocation is saved while the closing
    # ends the case's allocations, misses it (not yet committed) and it stays open on a
    # closed case: the volunteer would go on seeing a closed case.
    case = _case(team)

    closed, allocated = overlap(
        _close(case, team),
        _allocate(case, team),
        hold_at=[(pre_save, CaseEvent), (pre_save, Allocation)],
    )

    assert isinstance(closed, Case)
    assert isinstance(allocated, ValidationError)
    assert allocated.messages == ["Only an open case can have a volunteer allocated."]
    assert not Allocation.objects.filter(case=case, ended_on__isnull=True).exists()


def test_an_allocation_ended_while_the_case_is_being_closed_is_ended_once(team):
    # The closing ends the allocation on its day; without the lock end_allocation works on
    # the allocation it read before and writes its own end date over the closing's.
    case = _case(team)
    today = timezone.localdate()
    allocation = _allocate(case, team, started_on=today - dt.timedelta(days=7))()

    def end():
        return actions.end_allocation(allocation=allocation, on=today - dt.timedelta(days=1))

    closed, ended = overlap(_close(case, team), end, hold_at=[(pre_save, Allocation)])

    assert isinstance(closed, Case)
    assert isinstance(ended, ValidationError)
    assert ended.messages == ["This allocation has already ended."]
    allocation.refresh_from_db()
    assert allocation.ended_on == today
