"""Supervision rule of the register (docs/domain.md, "Volunteers and training": "supervision
expected every 6-8 weeks in term: flag overdue")."""

import datetime as dt

SUPERVISION_INTERVAL = 8 * 7  # days of term time
DBS_WARNING_DAYS = 60
# From training on, a volunteer meets parents (shadowing, then casework): a DBS check must be
# on record by then (docs/domain.md, "Volunteers and training").
NEEDS_DBS = frozenset({"in_training", "shadowing", "active"})


def term_days_between(start: dt.date, end: dt.date) -> int:
    """Days after `start` up to and including `end`, the summer holiday (August) left out.

    Supervision pauses over the long school summer holiday, so August does not run the
    clock; the short holidays (a week or two) fall inside the 6-8 week rhythm and do.
    """
    if end <= start:
        return 0
    days = (end - start).days
    year = start.year
    while year <= end.year:
        august = (dt.date(year, 8, 1), dt.date(year, 8, 31))
        overlap_first = max(august[0], start + dt.timedelta(days=1))
        overlap_last = min(august[1], end)
        if overlap_last >= overlap_first:
            days -= (overlap_last - overlap_first).days + 1
        year += 1
    return days


def supervision_overdue(since: dt.date | None, today: dt.date) -> bool:
    """Overdue when more than 8 weeks of term time have passed since the last supervision
    (or, for a volunteer never supervised, since they became active)."""
    return since is not None and term_days_between(since, today) > SUPERVISION_INTERVAL


def supervised_in_time_from(today: dt.date) -> dt.date:
    """The earliest day a volunteer's last supervision (or their becoming active) may fall
    on for them not to be overdue on `today`: overdue exactly when it is before this day.

    Found by asking supervision_overdue itself, so a report can count in the database
    with the rule stated once: term days only grow as the day goes further back, so the
    answer is the first day back whose predecessor is overdue (at most a month of
    August beyond the 8 weeks)."""
    day = today - dt.timedelta(days=SUPERVISION_INTERVAL)
    while not supervision_overdue(day - dt.timedelta(days=1), today):
        day -= dt.timedelta(days=1)
    return day


def register_flags(volunteer, today: dt.date) -> list[str]:
    """What needs the coordinator's attention, for a row of queries.register_rows()."""
    from volunteers.models import VolunteerRole, VolunteerStatus

    flags = []
    if volunteer.role == VolunteerRole.IPS and volunteer.status == VolunteerStatus.ACTIVE:
        since = max(
            filter(None, [volunteer.last_supervision, volunteer.active_since]), default=None
        )
        if supervision_overdue(since, today):
            flags.append("Supervision overdue")
    if volunteer.status in NEEDS_DBS and volunteer.dbs_checked_on is None:
        flags.append("No DBS check recorded")
    due = volunteer.dbs_renewal_due_on
    if due and volunteer.status != VolunteerStatus.LEFT and (due - today).days <= DBS_WARNING_DAYS:
        flags.append("DBS renewal overdue" if due < today else "DBS renewal due")
    return flags
