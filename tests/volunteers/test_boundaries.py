"""The register's date rules at their edges (docs/domain.md, "Volunteers and training"): supervision
every 8 weeks of term time, August left out; DBS renewal warned 60 days ahead."""

from datetime import date, timedelta

import pytest

from pps.access import service_scope
from tests import factories
from volunteers.actions import record_status_change, record_supervision
from volunteers.models import VolunteerStatus
from volunteers.queries import register_rows
from volunteers.rules import (
    register_flags,
    supervised_in_time_from,
    supervision_overdue,
    term_days_between,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("since", "last_not_overdue"),
    [
        # No August: 56 days on 2 March 2026 (January 31 - 5 + 28 of February + 2).
        (date(2026, 1, 5), date(2026, 3, 2)),
        # Supervised on 31 July: August does not count; 30 of September and 26 of October.
        (date(2026, 7, 31), date(2026, 10, 26)),
        # Supervised on 1 August, in the holiday: the clock starts on 1 September.
        (date(2026, 8, 1), date(2026, 10, 26)),
        # Supervised on 31 August: likewise.
        (date(2026, 8, 31), date(2026, 10, 26)),
        # Across a new year and a leap day: 56 days after 5 January 2024 is 1 March.
        (date(2024, 1, 5), date(2024, 3, 1)),
    ],
)
def test_supervision_is_overdue_the_day_after_eight_weeks_of_term(since, last_not_overdue):
    assert term_days_between(since, last_not_overdue) == 56
    assert not supervision_overdue(since, last_not_overdue)
    assert supervision_overdue(since, last_not_overdue + timedelta(days=1))


def test_august_itself_never_makes_supervision_overdue():
    assert term_days_between(date(2026, 7, 31), date(2026, 8, 31)) == 0
    assert term_days_between(date(2026, 7, 31), date(2026, 9, 1)) == 1
    assert term_days_between(date(2025, 8, 15), date(2026, 8, 31)) == 334  # 365 - 31


def _flags(team, volunteer, today):
    with service_scope(team.service.pk):
        row = register_rows().get(pk=volunteer.pk)
    return register_flags(row, today)


def test_a_volunteer_never_supervised_is_overdue_eight_weeks_after_becoming_active(team):
    """Active from 5 January 2026, never supervised: overdue from 3 March. A supervision
    before the volunteer became active again does not restart the clock; the later date
    of the two counts."""
    volunteer = factories.make_volunteer(
        team.service,
        status=VolunteerStatus.SHADOWING,
        since=date(2025, 9, 1),
        dbs_checked_on=date(2025, 8, 1),
    )
    record_supervision(
        volunteer=volunteer, on=date(2025, 10, 1), by=team.coordinator, kind="supervision"
    )
    record_status_change(
        volunteer=volunteer, status=VolunteerStatus.ACTIVE, on=date(2026, 1, 5), by=None
    )
    assert _flags(team, volunteer, date(2026, 3, 2)) == []
    assert _flags(team, volunteer, date(2026, 3, 3)) == ["Supervision overdue"]
    record_supervision(
        volunteer=volunteer, on=date(2026, 3, 3), by=team.coordinator, kind="supervision"
    )
    assert _flags(team, volunteer, date(2026, 3, 3)) == []
    # A CPD session is not supervision: 56 days after 3 March is 28 April.
    record_supervision(volunteer=volunteer, on=date(2026, 4, 20), by=team.coordinator, kind="cpd")
    assert _flags(team, volunteer, date(2026, 4, 28)) == []
    assert _flags(team, volunteer, date(2026, 4, 29)) == ["Supervision overdue"]


@pytest.mark.parametrize(
    ("due", "flags"),
    [
        (date(2026, 3, 1) + timedelta(days=61), []),
        (date(2026, 3, 1) + timedelta(days=60), ["DBS renewal due"]),
        (date(2026, 3, 1), ["DBS renewal due"]),  # due today: not yet overdue
        (date(2026, 2, 28), ["DBS renewal overdue"]),
    ],
)
def test_dbs_renewal_is_flagged_60_days_ahead_and_overdue_the_day_after(team, due, flags):
    volunteer = factories.make_volunteer(
        team.service, status=VolunteerStatus.PAUSED, since=date(2025, 9, 1), dbs_renewal_due_on=due
    )
    assert _flags(team, volunteer, date(2026, 3, 1)) == flags


@pytest.mark.parametrize(
    "today",
    # Through August and either side of it, the turn of the year and a leap day.
    [date(2026, 8, 1) + timedelta(days=n) for n in range(-10, 75, 3)]
    + [date(2027, 1, 1), date(2028, 2, 29), date(2028, 10, 15)],
)
def test_the_first_day_in_time_agrees_with_the_overdue_rule(today):
    """The reports count "up to date" in the database as "on or after this day": it must
    say what supervision_overdue says, for every day from a year back."""
    first = supervised_in_time_from(today)
    for back in range(366):
        since = today - timedelta(days=back)
        assert supervision_overdue(since, today) == (since < first), since
