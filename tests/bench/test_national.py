"""bench/national.py at a tiny scale: the counts asked for, and the invariants the actions
keep (casework/actions.py), checked by queries over everything it wrote."""

import datetime as dt

import pytest
from django.db import connection, transaction

from bench.national import CASES, CONTACTS, ENQUIRIES, SENDINGS, generate
from evaluations.kept import counted_afresh
from pps.access import service_scope
from pps.models import Service, User
from reports.periods import academic_year, financial_year
from reports.queries.casework import case_movements, contact_figures, service_users
from reports.queries.evaluations import parent_results, return_rates, satisfaction
from reports.queries.response_times import response_times
from reports.queries.volunteers import ips_activity, volunteer_figures

TODAY = dt.date(2026, 11, 29)
SCALE = 0.002

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the generator writes PostgreSQL SQL"
    ),
]


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker):
    """Generated once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate(services=3, scale=SCALE, seed=1, today=TODAY, out=lambda _: None)
        transaction.set_rollback(True)


def rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def one(sql, params=()):
    return rows(sql, params)[0][0]


def test_counts_are_those_asked_for(national):
    assert national["services"] == 3
    assert national["cases"] == CASES * SCALE == 1000
    assert national["contacts"] == CONTACTS * SCALE
    assert national["enquiries"] == ENQUIRIES * SCALE
    assert national["evaluation sendings"] == SENDINGS * SCALE
    # Case events follow from the cases' lives: about 2.1 a case (1.05 million at scale 1).
    assert 1900 <= national["case events"] <= 2300
    assert 0 < national["responses"] < national["evaluation sendings"]
    # Service 1 is the largest and signs in with predictable names.
    sizes = rows(
        "SELECT s.reference_prefix, count(c.id) FROM pps_service s"
        " JOIN casework_case c ON c.service_id = s.id GROUP BY 1 ORDER BY 2 DESC"
    )
    assert sizes[0][0] == "S001"
    assert User.objects.filter(username="s001-officer1", service__reference_prefix="S001").exists()
    # Every account shares one known password hash (BENCH_PASSWORD).
    staff = User.objects.filter(service__isnull=False)
    assert staff.order_by().values("password").distinct().count() == 1
    assert staff.first().has_usable_password()


def test_refuses_a_database_with_services(national):
    with pytest.raises(SystemExit):
        generate(services=1, scale=SCALE, seed=1, today=TODAY, out=lambda _: None)


def test_case_events_alternate_in_order_and_ended_on_is_the_closing(national):
    events = rows(
        """
        SELECT case_id, kind, "on", ended_on,
            lag(kind) OVER w, lag("on") OVER w, lead(kind) OVER w, lead("on") OVER w
        FROM casework_caseevent WINDOW w AS (PARTITION BY case_id ORDER BY "on", id)
        """
    )
    assert len(events) == national["case events"]
    for _case, kind, on, ended_on, before, before_on, after, after_on in events:
        assert on <= TODAY
        if before is None:
            assert kind == "opened"
        else:
            assert before_on <= on
            assert (before == "closed") == (kind == "reopened")
            assert (before != "closed") == (kind == "closed")
        if kind == "closed":
            assert ended_on is None
        else:
            assert ended_on == (after_on if after == "closed" else None)
    assert {kind for _, kind, *_ in events} == {"opened", "closed", "reopened"}


def test_case_fields_are_what_its_events_contacts_and_sendings_imply(national):
    wrong = one(
        """
        SELECT count(*) FROM casework_case c
        JOIN LATERAL (
            SELECT kind, "on", closure_reason, outcome FROM casework_caseevent e
            WHERE e.case_id = c.id ORDER BY "on" DESC, id DESC LIMIT 1
        ) latest ON true
        JOIN LATERAL (
            SELECT max("on") AS opening FROM casework_caseevent e
            WHERE e.case_id = c.id AND kind <> 'closed'
        ) opening ON true
        JOIN LATERAL (
            SELECT min("on") AS first FROM casework_caseevent e WHERE e.case_id = c.id
        ) first ON true
        LEFT JOIN LATERAL (
            SELECT max((at AT TIME ZONE 'Europe/London')::date) AS day FROM casework_contact t
            WHERE t.case_id = c.id
        ) contact ON true
        LEFT JOIN LATERAL (
            SELECT max(sent_on) AS day FROM evaluations_sending s
            JOIN evaluations_formversion v ON v.id = s.version_id
            JOIN evaluations_evaluationform f ON f.id = v.form_id
            WHERE s.case_id = c.id AND f.kind = 'parent'
        ) sent ON true
        WHERE c.status <> CASE WHEN latest.kind = 'closed' THEN 'closed' ELSE 'open' END
            OR c.closed_on IS DISTINCT FROM
                CASE WHEN latest.kind = 'closed' THEN latest."on" END
            OR c.closure_reason <> latest.closure_reason
            OR c.outcome <> latest.outcome
            OR c.opened_on <> first.first
            OR c.received_on > c.opened_on
            OR c.last_contact_on IS DISTINCT FROM contact.day
            OR c.last_activity_on IS DISTINCT FROM greatest(contact.day, opening.opening)
            OR c.evaluation_sent_on IS DISTINCT FROM sent.day
        """
    )
    assert wrong == 0
    assert one("SELECT count(*) FROM casework_case WHERE status = 'open'") > 0
    assert one("SELECT count(*) FROM casework_case WHERE evaluation_sent_on IS NOT NULL") > 0


def test_every_row_belongs_to_its_case_or_parent_service(national):
    mismatches = {
        "contact": "casework_contact t JOIN casework_case c ON c.id = t.case_id",
        "event": "casework_caseevent t JOIN casework_case c ON c.id = t.case_id",
        "allocation": "casework_allocation t JOIN casework_case c ON c.id = t.case_id",
        "enquiry": "casework_enquiry t JOIN casework_case c ON c.id = t.case_id",
        "sending": "evaluations_sending t JOIN casework_case c ON c.id = t.case_id",
        "response": "evaluations_response t JOIN evaluations_sending c ON c.id = t.sending_id",
        "answer": "evaluations_answer t JOIN evaluations_response c ON c.id = t.response_id",
        "parent": "casework_case t JOIN casework_parent c ON c.id = t.parent_id",
        "child": "casework_case t JOIN casework_child c ON c.id = t.child_id",
        "officer": "casework_case t JOIN pps_user c ON c.id = t.officer_id",
        "contact by": "casework_contact t JOIN pps_user c ON c.id = t.by_id",
        "volunteer": "casework_contact t JOIN volunteers_volunteer c ON c.id = t.volunteer_id",
    }
    for name, joined in mismatches.items():
        assert one(f"SELECT count(*) FROM {joined} WHERE t.service_id <> c.service_id") == 0, name  # noqa: S608
    # A response records the day and version of its sending.
    copied = mismatches["response"]
    assert one(f"SELECT count(*) FROM {copied} WHERE t.sent_on <> c.sent_on") == 0  # noqa: S608
    assert one(f"SELECT count(*) FROM {copied} WHERE t.version_id <> c.version_id") == 0  # noqa: S608


def test_contacts_fall_in_open_periods_and_volunteers_only_while_allocated(national):
    outside = one(
        """
        SELECT count(*) FROM casework_contact t
        WHERE NOT EXISTS (
            SELECT 1 FROM casework_caseevent e
            WHERE e.case_id = t.case_id AND e.kind <> 'closed'
                AND (t.at AT TIME ZONE 'Europe/London')::date
                    BETWEEN e."on" AND coalesce(e.ended_on, %s)
        )
        """,
        [TODAY],
    )
    assert outside == 0
    by_volunteers = rows(
        """
        SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (
            SELECT 1 FROM casework_allocation a
            WHERE a.case_id = t.case_id AND a.volunteer_id = t.volunteer_id
                AND (t.at AT TIME ZONE 'Europe/London')::date >= a.started_on
                AND (a.ended_on IS NULL OR (t.at AT TIME ZONE 'Europe/London')::date < a.ended_on)
        )), count(*) FILTER (WHERE u.role <> 'volunteer' OR v.user_id <> t.by_id)
        FROM casework_contact t JOIN pps_user u ON u.id = t.by_id
        JOIN volunteers_volunteer v ON v.id = t.volunteer_id
        """
    )[0]
    assert by_volunteers[0] > 0
    assert by_volunteers[1:] == (0, 0)
    # Staff log the rest, at working hours in Europe/London, never in the future.
    assert (
        one(
            "SELECT count(*) FROM casework_contact t JOIN pps_user u ON u.id = t.by_id"
            " WHERE t.volunteer_id IS NULL AND u.role = 'volunteer'"
        )
        == 0
    )
    hours = rows(
        "SELECT min(extract(hour FROM at AT TIME ZONE 'Europe/London')),"
        " max(extract(hour FROM at AT TIME ZONE 'Europe/London')),"
        " max((at AT TIME ZONE 'Europe/London')::date) FROM casework_contact"
    )[0]
    assert hours[0] >= 8 and hours[1] <= 17 and hours[2] <= TODAY
    # Allocations end on the closing day, as close_case ends them.
    assert (
        one(
            """
        SELECT count(*) FROM casework_allocation a JOIN casework_caseevent e
            ON e.case_id = a.case_id AND e.kind = 'opened'
        WHERE a.started_on < e."on" OR a.ended_on IS DISTINCT FROM e.ended_on
        """
        )
        == 0
    )


def test_enquiries_answer_in_order_and_converted_ones_point_to_their_case(national):
    assert (
        one(
            "SELECT count(*) FROM casework_enquiry"
            " WHERE first_response_on < (received_at AT TIME ZONE 'Europe/London')::date"
            " OR first_response_on > %s",
            [TODAY],
        )
        == 0
    )
    converted = rows(
        """
        SELECT count(*), count(*) FILTER (
            WHERE (q.received_at AT TIME ZONE 'Europe/London')::date <> c.received_on
                OR q.first_response_on IS NULL OR q.first_response_on > c.opened_on)
        FROM casework_enquiry q JOIN casework_case c ON c.id = q.case_id
        """
    )[0]
    assert converted[0] > 0 and converted[1] == 0
    assert one("SELECT count(*) FROM casework_enquiry WHERE first_response_on IS NULL") > 0


def test_the_kept_tallies_triggers_are_on_again(national):
    """The generator switches the triggers that clear the evaluation tallies kept by month
    off for its bulk inserts (evaluations.kept), and on again after them."""
    assert (
        one(
            "SELECT count(*) FROM pg_trigger WHERE tgname LIKE %s AND tgenabled = 'O'"
            " AND tgrelid IN ('evaluations_sending'::regclass, 'evaluations_response'::regclass,"
            " 'evaluations_answer'::regclass)",
            ["%tally%"],
        )
        == 6
    )


def test_reports_give_figures_for_a_service(national, django_assert_max_num_queries):
    service = Service.objects.get(reference_prefix="S001")
    with service_scope(service.pk):
        for start in (2022, 2023, 2024, 2025, 2026):
            year = academic_year(start)
            movements = case_movements(year)
            assert movements.balances()
            assert movements.casework_total > 0
            assert movements.new == one(
                "SELECT count(*) FROM casework_caseevent WHERE service_id = %s"
                " AND kind = 'opened' AND \"on\" BETWEEN %s AND %s",
                [service.pk, year.first, year.last],
            )
            assert contact_figures(year).casework_contacts > 0
        year = academic_year(2025)
        assert response_times(year, 2, TODAY).received > 0
        assert sum(rate.sent for rate in return_rates(year)) > 0
        parents = parent_results(year)
        assert parents.returned > 0
        # Counted once and kept (evaluations.kept), then read: as if counted afresh.
        assert parent_results(year) == parents
        with counted_afresh():
            assert parent_results(year) == parents
        assert satisfaction(year, service) is not None
        assert service_users(financial_year(2025)) > 0
        assert volunteer_figures(financial_year(2025)).active_ips_at_end > 0
        assert ips_activity(year).hours > 0
        with django_assert_max_num_queries(2):
            case_movements(year)


def test_the_pages_benchmarked_on_it_answer_through_the_wsgi_handler(national):
    """bench/pages.py and bench/instructions.py send these pages as gunicorn would."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from bench.pages import national_pages, wsgi_caller

    heading, pages, clients = national_pages()
    assert heading.startswith("service ")
    assert len(pages) == 9
    # The handler would close the connection, and the test's transaction, around each
    # request (the test client disconnects these too).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for _name, user, url, _is_list in pages:
            wsgi_caller(clients[user], url)()  # asserts a 200
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
