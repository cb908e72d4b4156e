"""A kept connection is checked before reuse unless a request proved it a moment ago.

pps/postgresql/base.py, docs/decisions/0025-health-check-once-a-second.md. Each test drives
a connection of its own as a request does (Django closes unusable or old connections as a
request starts and ends), counts the checks Django's backend sends, and breaks the
connection for real by ending its server process from the test's own connection.
"""

import pytest
from django.db import OperationalError, ProgrammingError, connection, connections

pytestmark = pytest.mark.django_db


class Checks:
    """Counts the health checks a connection sends (each one still goes to the server)."""

    def __init__(self, conn):
        self.count = 0
        checked = conn.is_usable

        def counted():
            self.count += 1
            return checked()

        conn.is_usable = counted


@pytest.fixture
def kept():
    conn = connections.create_connection("default")
    conn.settings_dict = {**conn.settings_dict, "CONN_MAX_AGE": None, "CONN_HEALTH_CHECKS": True}
    yield conn
    conn.close()


def request(conn, sql="SELECT 1"):
    """What a request does with the connection: start, one query, end."""
    conn.close_if_unusable_or_obsolete()
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()
    finally:
        conn.close_if_unusable_or_obsolete()


def end_server_process(conn):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [conn.connection.info.backend_pid])
        assert cursor.fetchone() == (True,)


def test_production_runs_on_the_products_backend(kept):
    assert type(kept).__module__ == "pps.postgresql.base"


def test_a_connection_proven_a_moment_ago_is_not_checked_again(kept, settings):
    settings.PPS_DATABASE_HEALTH_CHECK_AFTER = 60
    request(kept)  # opens the connection: new connections are not checked
    checks = Checks(kept)
    for _ in range(3):
        assert request(kept) == (1,)
    assert checks.count == 0


def test_with_no_grace_every_request_checks_as_django_does(kept, settings):
    settings.PPS_DATABASE_HEALTH_CHECK_AFTER = 0
    request(kept)
    checks = Checks(kept)
    for _ in range(3):
        request(kept)
    assert checks.count == 3


def test_a_request_that_used_no_database_proves_nothing(kept, settings):
    settings.PPS_DATABASE_HEALTH_CHECK_AFTER = 60
    request(kept)
    kept._proven_at -= 61  # that request ended a minute ago
    kept.close_if_unusable_or_obsolete()  # a request without a query
    kept.close_if_unusable_or_obsolete()
    checks = Checks(kept)
    request(kept)
    assert checks.count == 1
    request(kept)
    assert checks.count == 1  # the one before proved it


def test_a_connection_broken_after_a_check_is_due_is_replaced_unseen(kept, settings):
    settings.PPS_DATABASE_HEALTH_CHECK_AFTER = 0
    request(kept)
    end_server_process(kept)
    assert request(kept) == (1,)  # the check found it dead and Django opened another


def test_a_connection_broken_within_the_grace_fails_one_request_then_is_replaced(kept, settings):
    settings.PPS_DATABASE_HEALTH_CHECK_AFTER = 60
    request(kept)
    end_server_process(kept)
    with pytest.raises(OperationalError):
        request(kept)
    assert kept.connection is None  # dropped as that request ended
    assert request(kept) == (1,)


def test_after_a_database_error_the_connection_is_checked_before_it_counts(kept, settings):
    settings.PPS_DATABASE_HEALTH_CHECK_AFTER = 60
    request(kept)
    checks = Checks(kept)
    with pytest.raises(ProgrammingError):
        request(kept, "SELECT * FROM no_such_table")
    assert checks.count == 1  # Django checks it as the failed request ends
    assert request(kept) == (1,)
    assert checks.count == 1  # and that check proved it
