"""What a signed-in request costs before its view runs: the middleware's queries.

Every page pays these, so they are counted exactly (docs/operations.md, "What a request
costs"): the session (none when sessions are read from a shared cache), the user with
their service in one query (pps/auth.py), the device that entered the second factor, and on
a page of personal data one access-log INSERT. The idle-time stamp is written to the session
at most once a minute, not on every request.
"""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore as CachedSessionStore
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from pps.audit import record_access
from pps.models import AccessLog
from tests import clock
from tests.shared_cache import redis_url

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def empty(request):
    # The header of every page shows the service: it came with the user.
    return HttpResponse(request.user.service.name)


def personal(request):
    record_access(request, action=AccessLog.Action.VIEW, object_type="case", object_id=7)
    return HttpResponse("ok")


urlpatterns = [
    path("cost/empty/", empty),
    path("cost/personal/", personal),
    path("", include("pps.urls")),
]


@pytest.fixture
def signed_in(client, team, settings):
    settings.ROOT_URLCONF = __name__
    client.force_login(team.officer)
    assert client.get("/cost/empty/").status_code == 200  # the first request stamps the time
    return client


def _statements(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [_statement(query["sql"]) for query in queries]


def _statement(sql: str) -> str:
    """The kind of statement and its table: "SELECT pps_user". A prepared query
    (pps/prepared.py) runs as EXECUTE name(...) /* its statement */."""
    if sql.startswith("EXECUTE "):
        sql = sql.split("/* ", 1)[1]
    return sql.split(" ", 1)[0] + " " + _table(sql)


def _table(sql: str) -> str:
    for word in ("FROM", "INTO", "UPDATE"):
        if f"{word} " in sql:
            return sql.split(f"{word} ", 1)[1].split(" ", 1)[0].strip('"')
    return ""


def test_a_signed_in_page_costs_the_session_the_user_and_the_device(signed_in, team):
    assert _statements(signed_in, "/cost/empty/") == [
        "SELECT django_session",
        "SELECT pps_user",
        "SELECT otp_totp_totpdevice",
    ]


def test_a_page_of_personal_data_adds_one_insert_and_nothing_else(signed_in, team):
    assert _statements(signed_in, "/cost/personal/") == [
        "SELECT django_session",
        "SELECT pps_user",
        "SELECT otp_totp_totpdevice",
        "INSERT pps_accesslog",
    ]
    entry = AccessLog.objects.get()
    assert (entry.user, entry.service, entry.object_id) == (team.officer, team.service, 7)


def test_the_user_and_their_service_are_one_query(signed_in, team):
    with CaptureQueriesContext(connection) as queries:
        signed_in.get("/cost/empty/")
    user_query = next(q["sql"] for q in queries if "pps_user" in q["sql"])
    # An outer join: a superuser has no service.
    assert 'LEFT OUTER JOIN "pps_service"' in user_query
    assert not any('FROM "pps_service"' in q["sql"] for q in queries)


def test_the_idle_time_stamp_is_written_at_most_once_a_minute(client, team, settings):
    settings.ROOT_URLCONF = __name__
    with clock.on(dt.date(2026, 11, 24)) as traveller:
        client.force_login(team.officer)
        client.get("/cost/empty/")
        traveller.shift(30)
        half_minute = _statements(client, "/cost/empty/")
        traveller.shift(31)
        past_a_minute = _statements(client, "/cost/empty/")
        traveller.shift(5)
        after_that = _statements(client, "/cost/empty/")
    assert not any("django_session" in s and not s.startswith("SELECT") for s in half_minute)
    assert "UPDATE django_session" in past_a_minute
    assert not any("django_session" in s and not s.startswith("SELECT") for s in after_that)


def test_with_a_shared_cache_the_session_is_not_read_from_the_database(client, team, settings):
    settings.ROOT_URLCONF = __name__
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url(),
            "KEY_PREFIX": f"test-request-cost-{connection.settings_dict['NAME']}",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(team.officer)
    assert isinstance(client.session, CachedSessionStore)
    assert client.get("/cost/empty/").status_code == 200
    assert _statements(client, "/cost/empty/") == ["SELECT pps_user", "SELECT otp_totp_totpdevice"]
    client.logout()


ENGINES = """
import importlib, os
import pps.settings
for url in ("redis://127.0.0.1:6379/1", "locmemcache://", "dummycache://", ""):
    os.environ["CACHE_URL"] = url or "locmemcache://"
    if not url:
        del os.environ["CACHE_URL"]
    print(importlib.reload(pps.settings).SESSION_ENGINE.rsplit(".", 1)[1])
"""


def test_sessions_go_to_the_cache_only_when_every_worker_shares_it():
    """A cache each process keeps to itself would let one worker trust a session another
    has ended (signed out, timed out): sessions then stay in the database alone."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CACHE_", "DJANGO_"))}
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", ENGINES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["cached_db", "db", "db", "db"]
