"""My work's and Evaluations due's lists, compiled once per process (pps/prepared.py): each
gives what the ORM gives for the same user, whoever's lists were compiled first, and only
the reader's own cases where the list is the reader's."""

import datetime as dt

import pytest
from django.utils import timezone

from casework import queries
from casework.models import Appointment
from evaluations import queries as evaluation_queries
from evaluations.enums import EmailStatus
from evaluations.models import Sending
from pps.access import service_scope
from pps.days import start_of
from pps.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

# A Wednesday: the week of My work runs to Sunday 29 November.
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)
WEEK = (start_of(TODAY), start_of(dt.date(2026, 11, 30)))

PREPARED = (
    queries._CASELOAD,
    queries._EVALUATIONS_DUE_FIRST,
    queries._EVALUATIONS_DUE_KEYS,
    queries._EVALUATIONS_DUE_PAGE,
    queries._AWAITING_RESPONSE,
    queries._DUE_FOR_CLOSURE,
    queries._FOLLOW_UPS_DUE,
    queries._APPOINTMENTS,
    evaluation_queries._FAILED_EMAILS,
    evaluation_queries._AWAITING_PAPER,
)


@pytest.fixture(autouse=True)
def _nothing_compiled():
    for prepared in PREPARED:
        prepared.forget()


def _work_of(officer, service):
    """Something in every list for `officer`: a case quiet for four months (due for
    closure and for an evaluation), a follow-up, an appointment this week, an enquiry, a
    letter awaiting paper and a failed email."""
    quiet = factories.open_case(service, officer, opened_on=TODAY - dt.timedelta(days=150))
    factories.log_contact(quiet, officer, on=TODAY - dt.timedelta(days=120))
    busy = factories.open_case(service, officer, opened_on=TODAY - dt.timedelta(days=20))
    factories.log_contact(
        busy, officer, on=TODAY, follow_up="Ring the school", follow_up_due_on=TODAY
    )
    Appointment.objects.create(
        service_id=service.pk,
        case=busy,
        officer=officer,
        starts_at=NOW + dt.timedelta(days=1),
        minutes=30,
        kind="home_visit",
    )
    factories.record_enquiry(service, officer, on=TODAY - dt.timedelta(days=3))
    factories.send_form(service, officer, channel="letter", on=TODAY, case=busy)
    # An email that did not go (recorded as the mail server's refusal would leave it).
    emailed, _ = factories.send_form(service, officer, channel="letter", on=TODAY)
    Sending.objects.filter(pk=emailed.pk).update(channel="email", email_status=EmailStatus.FAILED)
    return quiet, busy


def _pks(rows):
    return [row.pk for row in rows]


def _lists(reader, today, everyone):
    """Each prepared list of `reader`, and the same built as an ordinary queryset."""
    week = {"start": WEEK[0], "end": WEEK[1]}
    for prepared, values in (
        (queries._EVALUATIONS_DUE_FIRST, {"today": today, "shown": 10}),
        (queries._AWAITING_RESPONSE, {}),
        (queries._DUE_FOR_CLOSURE, {"today": today}),
        (queries._FOLLOW_UPS_DUE, {}),
        (queries._APPOINTMENTS, week),
        (
            queries._EVALUATIONS_DUE_PAGE,
            {"today": today, "officer_only": not everyone, "start": 0, "stop": 50},
        ),
        (evaluation_queries._FAILED_EMAILS, {}),
    ):
        yield (
            prepared,
            _pks(prepared.rows(reader, **values)),
            _pks(prepared.build(reader, **values)),
        )


def test_my_work_and_evaluations_due_read_what_the_orm_reads(team, other_team, time_machine):
    time_machine.move_to(NOW, tick=False)
    second = factories.UserFactory(service=team.service, role=Role.CASE_OFFICER)
    work = {
        team.officer: _work_of(team.officer, team.service),
        second: _work_of(second, team.service),
        other_team.officer: _work_of(other_team.officer, other_team.service),
    }
    today = timezone.localdate()
    readers = (
        (team.service, team.officer, False),
        (team.service, second, False),
        (team.service, team.coordinator, True),
        (other_team.service, other_team.officer, False),
    )
    for _ in range(2):  # compiled by the first reader, then from what was compiled
        for service, reader, everyone in readers:
            with service_scope(service.pk):
                for prepared, ours, theirs in _lists(reader, today, everyone):
                    assert ours == theirs, prepared.build.__qualname__
                lists = queries.my_work_lists(reader, today, *WEEK)
                due, total = queries.evaluations_due_shown(reader, today, 10)
                caseload = queries.caseload_rows(reader)
                count = queries.evaluations_due_count(reader, today, officer_only=not everyone)
                paper = evaluation_queries.awaiting_paper_count(reader, today)
                failed = evaluation_queries.failed_emails_for(reader)
            if reader in work:
                quiet, busy = work[reader]
                assert _pks(lists.due_closure) == _pks(due) == [quiet.pk]
                assert total == count == 1
                assert [row.pk for row in caseload] == [quiet.pk, busy.pk]
                assert [c.case_id for c in lists.follow_ups] == [busy.pk]
                assert [a.case_id for a in lists.appointments] == [busy.pk]
            else:  # the coordinator: every officer's evaluations due in the service
                assert count == 2 and total == 0 and caseload == []
            # The service's enquiries, letters and failed emails, whoever reads them.
            officers = 2 if service == team.service else 1
            assert len(lists.enquiries) == paper == len(failed) == officers
