"""pps.prepared: a query compiled once per process gives what the ORM gives, for the
user's own service only, and refuses a query that depends on more than its markers."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections, transaction
from django.db.models import ExpressionWrapper, F, FloatField, Value
from django.db.models.sql.compiler import SQLCompiler
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from casework import actions, queries
from casework.models import Case
from pps.access import service_scope
from pps.prepared import Prepared, _Statement
from tests import factories

pytestmark = pytest.mark.django_db

FIELDS = (
    "pk",
    "reference",
    "status",
    "opened_on",
    "version",
    "minutes_logged",
    "contacts_logged",
    "locality_name",
    "referral_route_name",
    "primary_reason_name",
    "school_type_name",
    "primary_need_name",
)


def _busy_case(team):
    """A case with something in each of the page's lists: two timeline pages of contacts,
    events, an enquiry, a document, a booked appointment, an allocation, a family."""
    today = dt.date(2026, 11, 24)
    case = factories.open_case(team.service, team.officer, opened_on=today - dt.timedelta(days=90))
    factories.open_case(team.service, team.officer, parent=case.parent)
    for day in range(queries.TIMELINE_CONTACTS + 5):
        factories.log_contact(case, team.officer, on=today - dt.timedelta(days=day))
    factories.add_document(team.officer, case=case)
    actions.allocate_volunteer(
        case=case, volunteer=team.volunteer_record, by=team.officer, started_on=today
    )
    return Case.objects.get(pk=case.pk)


def _as_orm(prepared, user, **values):
    """The same query built and run as an ordinary queryset."""
    return list(prepared.build(user, **values))


@pytest.fixture(autouse=True)
def _nothing_compiled():
    for prepared in (
        queries._CASE_PAGE,
        queries._PARTICULARS,
        queries._TIMELINE_CONTACTS,
        queries._TIMELINE_EVENTS,
        queries._FAMILY_CASES,
    ):
        prepared.forget()


def test_the_case_pages_queries_read_what_the_orm_reads(team, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC), tick=False)
    case = _busy_case(team)
    with service_scope(team.service.pk):
        for _ in range(2):  # compiled, then from what was compiled
            ours = queries.case_for_page(team.coordinator, case.pk)
            (theirs,) = _as_orm(queries._CASE_PAGE, team.coordinator, pk=case.pk)
            assert [getattr(ours, f) for f in FIELDS] == [getattr(theirs, f) for f in FIELDS]
            assert ours.contacts_logged == queries.TIMELINE_CONTACTS + 5
            with CaptureQueriesContext(connection) as joined:
                assert (ours.parent, ours.child, ours.officer) == (
                    theirs.parent,
                    theirs.child,
                    theirs.officer,
                )
            assert len(joined) == 0
            values = {"case": case.pk, "child": case.child_id}
            assert queries._PARTICULARS.rows(team.coordinator, **values) == _as_orm(
                queries._PARTICULARS, team.coordinator, **values
            )
            particulars = queries.case_particulars(case, team.coordinator)
            assert len(particulars.documents) == len(particulars.allocations) == 1
            for first, stop in ((0, 51), (49, 101)):
                values = {"case": case.pk, "first": first, "stop": stop}
                assert queries._TIMELINE_CONTACTS.rows(team.coordinator, **values) == _as_orm(
                    queries._TIMELINE_CONTACTS, team.coordinator, **values
                )
            assert queries.case_timeline(case, 2, user=team.coordinator).has_older is False
            family = queries.family_cases(team.coordinator, case)
            assert len(family) == 1 and family[0].parent_id == case.parent_id
    assert len(queries._TIMELINE_CONTACTS._compiled) == 2  # one per page


def test_each_service_reads_only_its_own_cases_whichever_compiled_first(team, other_team):
    ours = factories.open_case(team.service, team.officer)
    theirs = factories.open_case(other_team.service, other_team.officer)
    for first in (other_team, team):
        queries._CASE_PAGE.forget()
        with service_scope(first.service.pk):
            queries.case_for_page(first.coordinator, (ours if first is team else theirs).pk)
        for reader, own, foreign in ((team, ours, theirs), (other_team, theirs, ours)):
            with service_scope(reader.service.pk):
                assert queries.case_for_page(reader.coordinator, own.pk).pk == own.pk
                with pytest.raises(Http404):
                    queries.case_for_page(reader.coordinator, foreign.pk)
    # The scope decides the service, as it does for the ORM, not the user's own service.
    with service_scope(other_team.service.pk):
        assert _as_orm(queries._CASE_PAGE, team.coordinator, pk=theirs.pk)[0].pk == theirs.pk
        assert queries.case_for_page(team.coordinator, theirs.pk).pk == theirs.pk
        with pytest.raises(Http404):
            queries.case_for_page(team.coordinator, ours.pk)


def test_a_volunteer_reads_a_case_only_while_it_is_allocated_to_them(team, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC), tick=False)
    case = factories.open_case(team.service, team.officer, opened_on=dt.date(2026, 9, 1))
    allocation = actions.allocate_volunteer(
        case=case,
        volunteer=team.volunteer_record,
        by=team.officer,
        started_on=dt.date(2026, 11, 20),
    )
    actions.end_allocation(allocation=allocation, on=dt.date(2026, 11, 25))
    with service_scope(team.service.pk):
        assert queries.case_for_page(team.volunteer, case.pk).pk == case.pk
        with pytest.raises(Http404):
            queries.case_for_page(team.steering, case.pk)
        time_machine.move_to(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), tick=False)
        with pytest.raises(Http404):
            queries.case_for_page(team.volunteer, case.pk)
        assert queries.case_for_page(team.officer, case.pk).pk == case.pk


def test_a_key_no_column_can_hold_finds_nothing_as_the_orm_does(client, team):
    """A key past bigint (typed into a URL) would make PostgreSQL refuse the compiled
    query; it runs through the ORM instead, which finds nothing."""
    with service_scope(team.service.pk):
        for key in (2**63, 10**20, -(2**63) - 1):
            with pytest.raises(Http404):
                queries.case_for_page(team.coordinator, key)
        case = factories.open_case(team.service, team.officer)
        assert queries.case_for_page(team.coordinator, case.pk).pk == case.pk
    client.force_login(team.coordinator)
    assert client.get(f"/cases/{10**20}/").status_code == 404


def test_outside_one_services_scope_it_is_an_ordinary_query(team):
    case = factories.open_case(team.service, team.officer)
    with scopes_disabled():
        assert queries.case_for_page(team.officer, case.pk).pk == case.pk
    with service_scope(None), pytest.raises(Http404):
        queries.case_for_page(team.officer, case.pk)
    assert not queries._CASE_PAGE._compiled


def test_a_query_that_depends_on_more_than_its_markers_is_refused(team):
    def by_name(user, pk):
        return Case.objects.filter(pk=pk, reference=user.username)

    def sliced(user, pk):
        # A slice is written into the SQL itself (LIMIT), not passed as a parameter.
        return Case.objects.order_by("pk")[: abs(pk)]

    with service_scope(team.service.pk):
        for build in (by_name, sliced):
            with pytest.raises(ImproperlyConfigured, match=build.__name__):
                Prepared(build, markers=("pk",)).rows(team.officer, pk=1)
        # A value that is not an integer is no marker: the ordinary query.
        assert Prepared(by_name, markers=("pk",)).rows(team.officer, pk=None) == []


@pytest.mark.django_db(transaction=True)
def test_compiled_in_one_thread_it_runs_on_anothers_connection():
    with scopes_disabled():
        service = factories.make_service()
        officer = factories.UserFactory(service=service)
        case = factories.open_case(service, officer)
    prepared = Prepared(lambda user, pk: Case.objects.filter(pk=pk), markers=("pk",))
    seen = []

    def read(close=True):
        with service_scope(service.pk):
            seen.append((prepared.rows(officer, pk=case.pk)[0].pk, connections["default"]))
        if close:
            connections.close_all()

    for _ in range(2):
        worker = threading.Thread(target=read)
        worker.start()
        worker.join()
    read(close=False)
    assert [pk for pk, _ in seen] == [case.pk] * 3
    # Each thread its own connection (the list holds all three, so none shares an id).
    assert len({id(wrapper) for _, wrapper in seen}) == 3
    assert len(prepared._compiled) == 1


@pytest.mark.django_db(transaction=True)
def test_rows_are_converted_every_time_by_converters_worked_out_once_a_connection(monkeypatch):
    with scopes_disabled():
        service = factories.make_service()
        officer = factories.UserFactory(service=service)
        case = factories.open_case(service, officer)
    # The database gives a numeric (Decimal); the ORM converts it to the field's float.
    halved = ExpressionWrapper(F("pk") / 2.0, output_field=FloatField())
    prepared = Prepared(
        lambda user, pk: Case.objects.filter(pk=pk).annotate(half=halved).values_list("half"),
        markers=("pk",),
    )
    worked_out = []
    original = SQLCompiler.get_converters

    def counted(compiler, expressions):
        worked_out.append(compiler.connection)
        return original(compiler, expressions)

    monkeypatch.setattr(SQLCompiler, "get_converters", counted)

    def read(close=True):
        with service_scope(service.pk):
            for _ in range(3):
                assert prepared.rows(officer, pk=case.pk) == [(case.pk / 2,)]
                assert type(prepared.rows(officer, pk=case.pk)[0][0]) is float
        if close:
            connections.close_all()

    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    read(close=False)
    # Once on the worker's connection and once on this one, for six runs each.
    assert len(worked_out) == 2 and worked_out[0] is not worked_out[1]


def test_the_signed_in_user_is_read_with_their_service_in_one_prepared_query(team):
    from pps.auth import _SIGNED_IN_USER, ModelBackendWithService

    _SIGNED_IN_USER.forget()
    backend = ModelBackendWithService()
    for _ in range(2):  # compiled, then from what was compiled
        with CaptureQueriesContext(connection) as read:
            user = backend.get_user(team.officer.pk)
            assert user.service.name == team.service.name
        assert len(read) == 1
    assert backend.get_user(team.officer.pk + 10_000) is None
    team.officer.is_active = False
    team.officer.save()
    assert backend.get_user(team.officer.pk) is None
    assert len(_SIGNED_IN_USER._compiled) == 1


def test_an_unscoped_query_that_reads_a_scoped_model_is_refused(team):
    case = factories.open_case(team.service, team.officer)
    unscoped = Prepared(lambda user, pk: Case.objects.filter(pk=pk), markers=("pk",), scoped=False)
    with pytest.raises(ImproperlyConfigured, match="scoped model"):
        unscoped.rows(None, pk=case.pk)


@pytest.mark.django_db(transaction=True)  # to close the connection
def test_on_postgresql_it_runs_as_a_statement_prepared_once_per_connection(team, settings):
    case = factories.open_case(team.service, team.officer)
    prepared = Prepared(lambda user, pk: Case.objects.filter(pk=pk), markers=("pk",))
    with service_scope(team.service.pk):
        for _ in range(3):
            with CaptureQueriesContext(connection) as read:
                assert [found.pk for found in prepared.rows(team.officer, pk=case.pk)] == [case.pk]
            # One query each time, the first included: the PREPARE is the driver's.
            assert len(read) == 1
            assert read[0]["sql"].startswith("EXECUTE pps_prepared_")
            assert '/* SELECT "casework_case"."id"' in read[0]["sql"]
        assert prepared.rows(team.officer, pk=case.pk + 1000) == []
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'pps%%'")
            count = cursor.fetchone()[0]
        # Another connection (a new database session) prepares it again.
        connection.close()
        assert prepared.rows(team.officer, pk=case.pk)[0].pk == case.pk
        settings.PPS_PREPARE_ON_SERVER = False
        with CaptureQueriesContext(connection) as read:
            assert prepared.rows(team.officer, pk=case.pk)[0].pk == case.pk
        assert read[0]["sql"].startswith('SELECT "casework_case"."id"')
    assert count >= 1


def test_a_value_postgresql_would_type_otherwise_runs_in_plain_sql(team):
    """An integer in the select list: in the SQL text it is an integer, as a parameter
    of a prepared statement PostgreSQL makes it text. (Django's converter would turn this
    one back into 7; the check is for every value, wherever it stands.)"""
    case = factories.open_case(team.service, team.officer)
    prepared = Prepared(
        lambda user, pk: (
            Case.objects.filter(pk=pk).annotate(seven=Value(7)).values_list("seven", flat=True)
        ),
        markers=("pk",),
    )
    with service_scope(team.service.pk):
        for _ in range(2):
            with CaptureQueriesContext(connection) as read:
                assert prepared.rows(team.officer, pk=case.pk) == [7]
            assert read[0]["sql"].startswith("SELECT ")


def test_a_statement_postgresql_refuses_leaves_the_transaction_working(team):
    # PostgreSQL cannot tell the type of a value that is only tested for NULL.
    refused = _Statement("SELECT %s IS NULL", (None,))
    with transaction.atomic():
        assert refused.sql_on(connection) is None
        assert not refused.usable
        assert Case.objects.filter(service=team.service).count() == 0
    fine = _Statement("SELECT %s + 1, '100%%'", (41,))
    with connection.cursor() as cursor:
        cursor.execute(fine.sql_on(connection), [41])
        assert cursor.fetchone() == (42, "100%")
