"""The network report's monthly summaries (reports.network, decision 0020): written on every
change of what they count, equal to a count from the records after back-dated edits, added
and deleted records, and rebuilt or checked by the command."""

import contextlib
import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope

from casework.models import Contact, Enquiry
from reports.models import NetworkSummary
from reports.network import drift, rebuild_everything, rebuild_summaries
from reports.periods import financial_year, financial_year_of
from reports.queries.network import (
    NetworkFigures,
    year_figures_from_records,
    year_figures_from_summaries,
)
from tests import factories

pytestmark = pytest.mark.django_db

YEAR = financial_year(2024)  # 1 April 2024 to 31 March 2025
EARLIER = financial_year(2023)


@pytest.fixture
def committed():
    """Queue the summary rebuilds asked for by the writes inside, as the commit of their
    transaction would (a test runs in one transaction that never commits), then run the
    queued rebuilds as the worker would (unless `worker=False`). The rebuilds asked for
    before (by the fixtures' writes) are dropped first: reports.network adds a
    transaction's writes to the rebuild it already asked for, and that one was asked for
    before the capture began."""
    from django.db import transaction
    from django.test import TestCase
    from django_tasks_db.models import DBTaskResult

    from reports.network import _Rebuild, rebuild_years

    @contextlib.contextmanager
    def capture(worker=True):
        connection = transaction.get_connection()
        connection.run_on_commit = [
            hook for hook in connection.run_on_commit if not isinstance(hook[1], _Rebuild)
        ]
        with TestCase.captureOnCommitCallbacks(execute=True):
            yield
        if not worker:
            return
        for queued in DBTaskResult.objects.ready().filter(task_path=rebuild_years.module_path):
            queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
            queued.delete()

    return capture


def summarised(service, year=YEAR):
    with scope(service=[service.pk]):
        figures, complete = year_figures_from_summaries(year)
    assert service.pk in complete
    return figures[service.pk]


def recounted(service, year=YEAR):
    with scope(service=[service.pk]):
        return year_figures_from_records(year)[service.pk]


def month_row(service, month):
    return NetworkSummary.objects.get(service=service, month=month)


@pytest.fixture
def member(team):
    team.service.network_member = True
    team.service.save()
    return team


@pytest.fixture
def year_of_work(member, committed):
    """Two cases, three contacts, one enquiry and the team's IPS (active since 2020)."""
    officer = member.officer
    with committed():
        first = factories.open_case(member.service, officer, opened_on=dt.date(2024, 5, 1))
        second = factories.open_case(member.service, officer, opened_on=dt.date(2024, 6, 1))
        factories.log_contact(first, officer, on=dt.date(2024, 5, 10))
        factories.log_contact(first, officer, on=dt.date(2024, 7, 1))
        factories.log_contact(second, officer, on=dt.date(2024, 9, 16))
        enquiry = factories.record_enquiry(
            member.service, officer, on=dt.date(2024, 6, 3), first_response_on=dt.date(2024, 6, 4)
        )
    return first, second, enquiry


def test_writes_through_the_actions_build_the_year(member, year_of_work):
    # By hand: contacts 3 (5 May, 1 July, 16 September); service users 2 (two cases with
    # a contact); approaches 3 (the enquiry and the two cases opened without one); within
    # 2 working days 1 (the enquiry, answered the next day); later 2 (the first case's
    # first contact 7 working days after 1 May, the second's in September); the team's
    # one IPS active at 31 March; none trained in the year.
    expected = NetworkFigures(
        contacts=3,
        service_users=2,
        approaches=3,
        answered_within_2_days=1,
        answered_later=2,
        active_ips_at_end=1,
        ips_newly_trained=0,
    )
    assert summarised(member.service) == expected
    assert recounted(member.service) == expected
    # Twelve rows: May has the first case's first contact of the year, September the
    # second's; the July contact is the first case's second, so July adds no user.
    assert NetworkSummary.objects.filter(service=member.service).count() == 12
    assert month_row(member.service, dt.date(2024, 5, 1)).service_users_first_seen == 1
    assert month_row(member.service, dt.date(2024, 7, 1)).service_users_first_seen == 0
    assert month_row(member.service, dt.date(2024, 9, 1)).service_users_first_seen == 1


def test_a_back_dated_contact_moves_the_month_a_user_is_first_seen(member, year_of_work, committed):
    _, second, _ = year_of_work
    with committed():
        factories.log_contact(second, member.officer, on=dt.date(2024, 6, 20))
    # The second case is first seen in June now, not September; still 2 users, 4 contacts;
    # its first staff contact (20 June, 13 working days after 1 June) is still late.
    assert month_row(member.service, dt.date(2024, 6, 1)).service_users_first_seen == 1
    assert month_row(member.service, dt.date(2024, 9, 1)).service_users_first_seen == 0
    assert summarised(member.service) == recounted(member.service)
    assert summarised(member.service).contacts == 4
    assert summarised(member.service).service_users == 2


def test_an_enquiry_moved_to_an_earlier_year_rebuilds_both(member, year_of_work, committed):
    *_, enquiry = year_of_work
    with committed():
        # Re-read, as an edit form would, then back-dated to March 2024 (the year before).
        enquiry = Enquiry.objects.get(pk=enquiry.pk)
        enquiry.received_at = enquiry.received_at.replace(year=2024, month=3, day=12)
        enquiry.first_response_on = dt.date(2024, 3, 13)
        enquiry.save()
    # The year loses its one approach answered in time; the year before gains it.
    assert summarised(member.service).approaches == 2
    assert summarised(member.service).answered_within_2_days == 0
    assert summarised(member.service, EARLIER).approaches == 1
    assert summarised(member.service, EARLIER).answered_within_2_days == 1
    assert summarised(member.service) == recounted(member.service)
    assert summarised(member.service, EARLIER) == recounted(member.service, EARLIER)


def test_a_deleted_contact_is_no_longer_counted(member, year_of_work, committed):
    _, second, _ = year_of_work
    with committed():
        Contact.objects.get(case=second).delete()
    # The second case has no contact left: 2 contacts, 1 service user, and its approach
    # is not answered yet (neither in time nor late).
    figures = summarised(member.service)
    assert (figures.contacts, figures.service_users) == (2, 1)
    assert (figures.answered_within_2_days, figures.answered_later) == (1, 1)
    assert figures == recounted(member.service)


def test_a_volunteer_status_change_rebuilds_the_years_after_it(member, year_of_work, committed):
    from volunteers.actions import record_status_change

    with committed():
        record_status_change(
            volunteer=member.volunteer_record, status="inactive", on=dt.date(2024, 11, 4), by=None
        )
    # Inactive from 4 November 2024: active at the end of October, not of November or of
    # 31 March.
    assert month_row(member.service, dt.date(2024, 10, 1)).active_ips_at_end == 1
    assert month_row(member.service, dt.date(2024, 11, 1)).active_ips_at_end == 0
    assert summarised(member.service) == recounted(member.service)


def test_a_service_that_does_not_take_part_has_no_summaries(team, other_team, committed):
    with committed():
        case = factories.open_case(
            other_team.service, other_team.officer, opened_on=dt.date(2024, 5, 1)
        )
        factories.log_contact(case, other_team.officer, on=dt.date(2024, 5, 2))
    assert not NetworkSummary.objects.exists()


def test_leaving_the_network_drops_the_summaries(member, year_of_work):
    assert NetworkSummary.objects.filter(service=member.service).exists()
    member.service.network_member = False
    member.service.save()
    assert not NetworkSummary.objects.filter(service=member.service).exists()


def test_writes_that_bypass_the_models_are_found_by_the_check_and_mended(
    member, year_of_work, capsys
):
    first, *_ = year_of_work
    # queryset.update() sends no signal: the summaries still say May.
    Contact.objects.filter(case=first, at__month=7).update(
        at=dt.datetime(2024, 8, 1, 10, tzinfo=dt.UTC)
    )
    assert drift([2024]) == []  # contacts and users are unchanged in total...
    Contact.objects.filter(case=first).update(at=dt.datetime(2023, 8, 1, 10, tzinfo=dt.UTC))
    found = drift([2024])  # ...but moving them all out of the year changes the year
    assert len(found) == 1
    assert found[0].startswith(f"Service {member.service.pk}, 2024-25")
    with pytest.raises(SystemExit):
        call_command("network_summaries", "--check", "--year", "2024")
    call_command("network_summaries", "--year", "2023", "--year", "2024")
    assert drift([2023, 2024]) == []
    call_command("network_summaries", "--check", "--year", "2024")
    assert "no drift" in capsys.readouterr().out


def test_a_full_rebuild_covers_every_year_from_the_first_contact(member, year_of_work):
    NetworkSummary.objects.all().delete()
    written = rebuild_everything()
    # Twelve rows a year from 2024-25 (the first contact, May 2024) to the current one.
    current = financial_year_of(timezone.localdate())
    assert written == 12 * (current - 2024 + 1)
    assert summarised(member.service) == recounted(member.service)


def test_a_rebuild_writes_twelve_rows_over_the_old(member, year_of_work):
    assert rebuild_summaries([member.service.pk], YEAR) == 12
    assert NetworkSummary.objects.filter(service=member.service).count() == 12


def test_a_first_contact_in_the_next_year_answers_the_approach_of_the_year_before(
    member, committed
):
    with committed():
        # Received and opened on Friday 28 March 2025 (2024-25), first answered by a staff
        # contact on Wednesday 2 April 2025 (2025-26): 3 working days, so late.
        case = factories.open_case(member.service, member.officer, opened_on=dt.date(2025, 3, 28))
    assert summarised(member.service).approaches == 1
    assert summarised(member.service).answered_later == 0
    with committed():
        factories.log_contact(case, member.officer, on=dt.date(2025, 4, 2))
    assert summarised(member.service).answered_later == 1
    assert summarised(member.service) == recounted(member.service)
    later = financial_year(2025)
    assert summarised(member.service, later) == recounted(member.service, later)


def test_a_transaction_s_writes_queue_one_rebuild_for_the_worker(member, year_of_work, committed):
    """Two contacts in one transaction: nothing is rebuilt in the request; one task for
    the worker asks for the service's year, and running it brings the summary up to date."""
    from django_tasks_db.models import DBTaskResult

    from reports.network import rebuild_years

    first, _, _ = year_of_work
    before = summarised(member.service)
    DBTaskResult.objects.all().delete()
    with committed(worker=False):
        factories.log_contact(first, member.officer, on=dt.date(2024, 8, 1))
        factories.log_contact(first, member.officer, on=dt.date(2024, 8, 2))
    assert summarised(member.service) == before
    queued = DBTaskResult.objects.get()
    assert queued.task_path == rebuild_years.module_path
    assert queued.args_kwargs["args"] == [[[member.service.pk, 2024]]]
    queued.task.call(*queued.args_kwargs["args"])
    assert summarised(member.service).contacts == before.contacts + 2
    assert summarised(member.service) == recounted(member.service)
