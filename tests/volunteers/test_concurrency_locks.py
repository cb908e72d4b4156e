"""The register's row lock, and the edit-conflict lock every versioned record uses, tried
with two connections at once (tests/concurrent.py); each test was seen failing with its
select_for_update taken out."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from django.utils import timezone

from casework.models import Case
from pps.versioning import EditConflict, save_versioned
from tests import factories
from tests.concurrent import overlap, postgresql_only
from volunteers import actions
from volunteers.models import VolunteerStatus, VolunteerStatusChange

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


def test_one_status_change_recorded_twice_at_once_is_recorded_once(team):
    volunteer = factories.make_volunteer(
        team.service, since=timezone.localdate() - dt.timedelta(days=60)
    )

    def pause():
        return actions.record_status_change(
            volunteer=volunteer,
            status=VolunteerStatus.PAUSED,
            on=timezone.localdate(),
            by=team.coordinator,
        )

    first, second = overlap(pause, pause, hold_at=[(pre_save, VolunteerStatusChange)])

    assert isinstance(first, VolunteerStatusChange)
    assert isinstance(second, ValidationError)
    assert second.message_dict == {"status": ["The volunteer already has this status."]}
    assert volunteer.status_changes.filter(status=VolunteerStatus.PAUSED).count() == 1


def test_two_edits_of_one_case_at_once_save_one_and_refuse_the_other(team):
    case = factories.open_case(team.service, team.officer)
    opened_at = case.version

    def edit(notes):
        def save():
            mine = Case.objects.get(pk=case.pk)
            mine.tribunal_notes = notes
            save_versioned(mine, expected_version=opened_at)
            return mine

        return save

    first, second = overlap(
        edit("Hearing booked"), edit("Appeal withdrawn"), hold_at=[(pre_save, Case)]
    )

    assert isinstance(first, Case)
    assert isinstance(second, EditConflict)
    case.refresh_from_db()
    assert (case.tribunal_notes, case.version) == ("Hearing booked", opened_at + 1)
