"""The retention rule at its edges, legal holds, and the monthly command
(retention.queries.families_due, docs/data-lifecycle.md)."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from casework import actions as casework
from casework.enums import ClosureReason, Outcome
from casework.models import Parent
from pps.access import service_scope
from pps.models import AccessLog, GeneratedDocument
from retention import actions
from retention.models import Anonymisation, RetentionSetting
from retention.queries import families_due, retention_setting_for, years_after, years_before
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


def closed_case(team, *, closed_on, parent=None, child=None, tribunal=None, opened_on=None):
    case = factories.open_case(
        team.service,
        team.officer,
        parent=parent,
        child=child,
        opened_on=opened_on or closed_on - dt.timedelta(days=90),
        tribunal_appeal_on=tribunal,
    )
    return casework.close_case(
        case=case,
        by=team.officer,
        on=closed_on,
        reason=ClosureReason.RESOLVED,
        outcome=Outcome.RESOLVED,
    )


def due_ids(team, today=TODAY, setting=None):
    with service_scope(team.service.pk):
        setting = setting or retention_setting_for(team.service)
        return set(families_due(setting, today).values_list("pk", flat=True))


def test_a_family_is_due_on_the_sixth_anniversary_of_its_last_closing(team):
    exactly = closed_case(team, closed_on=dt.date(2020, 11, 30))
    a_day_less = closed_case(team, closed_on=dt.date(2020, 12, 1))
    assert due_ids(team) == {exactly.parent_id}
    assert due_ids(team, today=dt.date(2026, 12, 1)) == {exactly.parent_id, a_day_less.parent_id}


def test_one_open_case_or_one_recent_closing_keeps_the_whole_family(team, other_team):
    old = closed_case(team, closed_on=dt.date(2015, 5, 1))
    factories.open_case(team.service, team.officer, parent=old.parent, opened_on=TODAY)
    recent = closed_case(team, closed_on=dt.date(2014, 5, 1))
    closed_case(team, closed_on=dt.date(2021, 1, 4), parent=recent.parent)
    alone = closed_case(team, closed_on=dt.date(2016, 2, 3))
    # Another service's due family is not this service's.
    closed_case(other_team, closed_on=dt.date(2016, 2, 3))
    # A parent without any case is never listed (nothing says when its records ended).
    factories.ParentFactory(service=team.service)
    assert due_ids(team) == {alone.parent_id}


def test_a_tribunal_case_is_kept_until_the_child_is_25(team):
    turns_25_today = factories.ChildFactory(
        service=team.service, date_of_birth=dt.date(2001, 11, 30)
    )
    turns_25_tomorrow = factories.ChildFactory(
        service=team.service, date_of_birth=dt.date(2001, 12, 1)
    )
    no_birthday = factories.ChildFactory(service=team.service, date_of_birth=None)
    due = closed_case(
        team, closed_on=dt.date(2015, 3, 2), child=turns_25_today, tribunal=dt.date(2014, 6, 1)
    )
    kept = closed_case(
        team, closed_on=dt.date(2015, 3, 2), child=turns_25_tomorrow, tribunal=dt.date(2014, 6, 1)
    )
    unknown = closed_case(
        team, closed_on=dt.date(2015, 3, 2), child=no_birthday, tribunal=dt.date(2014, 6, 1)
    )
    # Without a tribunal appeal the same child's family is due on the closure rule alone.
    plain = closed_case(team, closed_on=dt.date(2015, 3, 2), child=turns_25_tomorrow)
    assert due_ids(team) == {due.parent_id, unknown.parent_id, plain.parent_id}
    assert kept.parent_id in due_ids(team, today=dt.date(2026, 12, 1))


def test_a_tribunal_case_closed_recently_waits_for_the_closure_rule_too(team):
    # The child was 25 long ago; the case closed 3 years ago: the later of the two rules.
    child = factories.ChildFactory(service=team.service, date_of_birth=dt.date(1990, 1, 1))
    case = closed_case(
        team, closed_on=dt.date(2023, 6, 1), child=child, tribunal=dt.date(2015, 1, 1)
    )
    assert due_ids(team) == set()
    assert due_ids(team, today=dt.date(2029, 6, 1)) == {case.parent_id}


def test_the_service_sets_its_own_periods(team):
    case = closed_case(team, closed_on=dt.date(2022, 1, 10))
    setting = RetentionSetting(service=team.service, years_after_closure=4)
    assert due_ids(team, setting=setting) == {case.parent_id}
    assert due_ids(team) == set()


def test_anniversaries_of_29_february():
    assert years_before(dt.date(2028, 2, 29), 6) == dt.date(2022, 2, 28)
    assert years_after(dt.date(2020, 2, 29), 6) == dt.date(2026, 3, 1)
    assert years_after(dt.date(2020, 2, 29), 8) == dt.date(2028, 2, 29)


def test_a_legal_hold_stops_anonymisation_until_released(team):
    held = closed_case(team, closed_on=dt.date(2016, 4, 5))
    free = closed_case(team, closed_on=dt.date(2016, 4, 5))
    hold = actions.place_legal_hold(parent=held.parent, by=team.coordinator, reason="A claim")
    assert due_ids(team) == {free.parent_id}
    with service_scope(team.service.pk):
        record = actions.anonymise_due(service=team.service, by=team.coordinator, today=TODAY)
    assert record.families == 1
    assert Parent.objects.get(pk=held.parent_id).first_name == held.parent.first_name
    assert Parent.objects.get(pk=free.parent_id).first_name == "Anonymised"
    # Erasure on request is refused too while the hold stands.
    with pytest.raises(Exception, match="legal hold"), service_scope(team.service.pk):
        actions.erase_family(parent=held.parent, by=team.coordinator, reason="Asked")
    with pytest.raises(Exception, match="already on legal hold"):
        actions.place_legal_hold(parent=held.parent, by=team.coordinator, reason="Again")
    actions.release_legal_hold(hold=hold, by=team.coordinator, reason="Settled")
    # Anonymised families are never due again.
    assert due_ids(team) == {held.parent_id}


def test_anonymising_what_is_due_does_only_what_is_still_due(team):
    case = closed_case(team, closed_on=dt.date(2016, 4, 5))
    with service_scope(team.service.pk):
        first = actions.anonymise_due(service=team.service, by=None, today=TODAY)
        again = actions.anonymise_due(service=team.service, by=None, today=TODAY)
        # A family asked for by id but not due (closed recently) is left alone.
        recent = closed_case(team, closed_on=dt.date(2025, 4, 5))
        none = actions.anonymise_families(
            service=team.service,
            parent_ids=[recent.parent_id],
            by=None,
            trigger=Anonymisation.Trigger.DUE,
            today=TODAY,
        )
    assert (first.families, again, none) == (1, None, None)
    assert Parent.objects.get(pk=case.parent_id).last_name == "Anonymised"
    assert Parent.objects.get(pk=recent.parent_id).last_name == recent.parent.last_name


def test_erasure_is_refused_with_an_open_case(team):
    case = factories.open_case(team.service, team.officer)
    with pytest.raises(Exception, match="open case"), service_scope(team.service.pk):
        actions.erase_family(parent=case.parent, by=team.coordinator, reason="Asked")


def _access_row(team, days_ago):
    row = AccessLog.objects.create(
        service=team.service, user=team.officer, action="view", path="/x/", object_type="case"
    )
    AccessLog.objects.filter(pk=row.pk).update(at=timezone.now() - dt.timedelta(days=days_ago))
    return row.pk


def _attempt(days_ago):
    row = AccessAttempt.objects.create(
        username=f"someone-{days_ago}",
        ip_address="192.0.2.1",
        user_agent="",
        failures_since_start=1,
    )
    AccessAttempt.objects.filter(pk=row.pk).update(
        attempt_time=timezone.now() - dt.timedelta(days=days_ago)
    )
    return row.pk


def _document(team, days_ago, *, personal):
    """A ready generated document with a file, requested `days_ago` days ago."""
    document = GeneratedDocument.objects.create(
        service=team.service,
        kind="csv-export",
        title=f"Cases, {days_ago} days ago",
        holds_personal_data=personal,
        requested_by=team.coordinator,
        status=GeneratedDocument.Status.READY,
    )
    document.file.save(f"retention-test-{days_ago}-{personal}.csv", ContentFile(b"a,b\n"))
    GeneratedDocument.objects.filter(pk=document.pk).update(
        requested_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return document


def test_the_monthly_command_lists_then_applies(
    team, other_team, capsys, settings, django_capture_on_commit_callbacks
):
    settings.PPS_ACCESS_LOG_RETENTION_DAYS = 730
    settings.PPS_SIGN_IN_LOG_RETENTION_DAYS = 365
    due = closed_case(team, closed_on=dt.date(2016, 4, 5))
    other_due = closed_case(other_team, closed_on=dt.date(2016, 4, 5))
    recent = closed_case(team, closed_on=timezone.localdate())
    old_log, new_log = _access_row(team, 731), _access_row(team, 729)
    old_try, new_try = _attempt(366), _attempt(364)
    settings.PPS_PERSONAL_DOCUMENT_RETENTION_DAYS = 30
    old_export, new_export, kept_figures = (
        _document(team, 31, personal=True),
        _document(team, 29, personal=True),
        _document(team, 31, personal=False),
    )

    call_command("retention_monthly")
    listed = capsys.readouterr().out
    assert f"family {due.parent_id}: 1 case, due since 5 April 2022" in listed
    assert due.parent.last_name not in listed
    assert "access log: 1 rows to remove." in listed
    assert "sign-in attempts: 1 rows to remove." in listed
    assert "generated documents with personal data: 1 rows to remove." in listed
    assert Parent.objects.get(pk=due.parent_id).last_name == due.parent.last_name
    assert AccessLog.objects.filter(pk=old_log).exists()

    # The files go once the transaction has committed.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retention_monthly", "--apply", "--service", str(team.service.pk))
    applied = capsys.readouterr().out
    assert "anonymised 1 family" in applied
    assert Parent.objects.get(pk=due.parent_id).last_name == "Anonymised"
    assert Parent.objects.get(pk=other_due.parent_id).last_name == other_due.parent.last_name
    assert Parent.objects.get(pk=recent.parent_id).last_name == recent.parent.last_name
    record = Anonymisation.objects.get(service=team.service)
    assert (record.by, record.trigger, record.families) == (None, "due", 1)
    # The logs: what is older than its period goes, what is recent stays.
    assert list(
        AccessLog.objects.filter(pk__in=[old_log, new_log]).values_list("pk", flat=True)
    ) == [new_log]
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [new_try]
    # A copy of personal data made for a download goes after its days, with its file; a
    # document of figures only stays.
    assert set(GeneratedDocument.objects.values_list("pk", flat=True)) == {
        new_export.pk,
        kept_figures.pk,
    }
    assert not GeneratedDocument.history.filter(id=old_export.pk).exists()
    assert not default_storage.exists(old_export.file.name)
    assert default_storage.exists(new_export.file.name)
    assert old_try != new_try
