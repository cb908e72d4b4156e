"""What a signed-in request costs outside the view: queries and Python time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pps_bench .venv/bin/python bench/overhead.py

Runs in a throwaway test database (test_<name>) holding a small demo service. The demo case
officer gets a real signed-in session (bench/sessions.py: password and second factor, as a
sign-in leaves it), and the requests go through Django's WSGI handler as gunicorn calls it,
with DEBUG off and persistent connections as in production (CONN_MAX_AGE 60). Three views
that do nothing themselves are timed, so what is measured is the middleware stack:

- "empty page": a signed-in page answering "ok";
- "personal page": the same, recording its read in the access log as every page of
  personal data does (pps/audit.py);
- "no middleware": the empty page through a handler with no middleware at all (the floor).

It prints, for each, the queries of one request (listed with --sql) and the medians of
--runs requests: wall-clock time, and the CPU time of this process (Python's own work, which
other programs on a shared machine do not inflate as they do the wall clock); and the
middleware's share: empty page minus the floor. --profile
prints where the empty page's time goes. Targets are read from the output, not asserted.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pps.settings")

import django

if __name__ == "__main__":
    # Only when run: bench/pages.py imports `environ` from here, and the test suite imports
    # bench/pages.py; its subprocesses must not inherit these.
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    django.setup()

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path
from django.utils import timezone
from django_scopes import scopes_disabled

from bench.sessions import signed_in_cookie
from pps.audit import record_access
from pps.models import AccessLog, User


def empty(request):
    return HttpResponse("ok")


def personal(request):
    record_access(request, action=AccessLog.Action.VIEW, object_type="case", object_id=1)
    return HttpResponse("ok")


urlpatterns = [
    path("bench/empty/", empty),
    path("bench/personal/", personal),
    path("", include("pps.urls")),
]


def environ(path: str, cookie: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={cookie}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": _Empty(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


class _Empty:
    def read(self, *args):
        return b""

    def readline(self, *args):
        return b""


def call(handler, path: str, cookie: str) -> tuple[str, bytes]:
    status = []
    response = handler(environ(path, cookie), lambda s, headers, exc=None: status.append(s))
    body = b"".join(response)
    response.close()  # request_finished: what gunicorn does after each response
    return status[0], body


def measure(handler, path: str, cookie: str, runs: int, show_sql: bool):
    status, _ = call(handler, path, cookie)  # warm: templates, connection
    assert status.startswith("200"), status
    with CaptureQueriesContext(connection) as queries:
        call(handler, path, cookie)
    sql = [q["sql"] for q in queries.captured_queries]
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        call(handler, path, cookie)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    if show_sql:
        for statement in sql:
            print(f"      {statement[:160]}")
    return len(sql), statistics.median(wall), statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--sql", action="store_true", help="list each page's queries")
    parser.add_argument("--profile", action="store_true", help="profile the empty page")
    parser.add_argument("--profile-sort", default="tottime", help="cumulative or tottime")
    options = parser.parse_args()

    from django.test.utils import setup_databases, teardown_databases

    from demo.generate import generate

    names = setup_databases(verbosity=0, interactive=False)
    try:
        with scopes_disabled():
            generate(today=timezone.localdate(), years=1, cases_per_year=8)
            officer = User.objects.get(username="officer")
            cookie = signed_in_cookie(officer)
        with override_settings(ROOT_URLCONF=__name__):
            handler = WSGIHandler()
            print(
                f"session engine {settings.SESSION_ENGINE}, cache "
                f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, "
                f"database {connection.vendor}, CONN_MAX_AGE "
                f"{connection.settings_dict['CONN_MAX_AGE']}, health checks "
                f"{connection.settings_dict['CONN_HEALTH_CHECKS']}; {options.runs} runs"
            )
            results = {}
            for name, url in (
                ("empty page", "/bench/empty/"),
                ("personal page", "/bench/personal/"),
            ):
                results[name] = measure(handler, url, cookie, options.runs, options.sql)
                print(
                    f"  {name:15} {results[name][0]:2d} queries  median "
                    f"{results[name][1]:6.3f} ms, CPU {results[name][2]:6.3f} ms"
                )
            with override_settings(MIDDLEWARE=[]):
                bare = WSGIHandler()
                results["no middleware"] = measure(
                    bare, "/bench/empty/", cookie, options.runs, False
                )
            name = "no middleware"
            print(
                f"  {name:15} {results[name][0]:2d} queries  median "
                f"{results[name][1]:6.3f} ms, CPU {results[name][2]:6.3f} ms"
            )
            print(
                f"  middleware stack: {results['empty page'][1] - results[name][1]:.3f} ms "
                f"median per signed-in request, CPU "
                f"{results['empty page'][2] - results[name][2]:.3f} ms"
            )
            if options.profile:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(options.runs):
                    call(handler, "/bench/empty/", cookie)
                profiler.disable()
                pstats.Stats(profiler).sort_stats(options.profile_sort).print_stats(40)
    finally:
        connection.close()
        teardown_databases(names, verbosity=0)


if __name__ == "__main__":
    main()
