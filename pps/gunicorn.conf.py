"""gunicorn settings for production: `gunicorn -c pps/gunicorn.conf.py pps.wsgi`.

Every value can be changed from the environment; see README.md, "Production".
"""

import gc
import os
import sys


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isascii() and value.isdecimal() else default


bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{_int('PORT', 8000)}"
# Two cores: two worker processes, each with two threads (docs/operations.md, "Serving
# many requests"). A process works on one request's Python at a time (the GIL) while its
# other thread waits on the database, Redis or the disk, so two processes keep both cores
# busy; the gthread worker also keeps a client's connection open between requests, which a
# sync worker cannot. A page waits for the database well under a millisecond at a time:
# four threads only took turns at the GIL, and served about a tenth fewer requests a
# second than two (bench/README.md). More processes only with more cores; each thread
# keeps its own database connection (CONN_MAX_AGE), so workers x threads connections per
# server.
workers = _int("GUNICORN_WORKERS", 2)
worker_class = "gthread"
threads = max(1, _int("GUNICORN_THREADS", 2))
# Client connections a worker holds at once (gunicorn's default, 1000). A worker accepts
# new connections while it holds fewer, so clients that keep their connection open can
# all land on one worker and leave the other core idle (bench/README.md: 38 against 66
# requests a second). Behind a proxy that opens a connection per request this never
# happens; serving long-lived clients directly, set it to their number / workers plus
# the threads: a worker keeps at most `worker_connections - threads` idle connections and
# closes any more, which clients that pause between requests then reopen (bench/README.md).
worker_connections = _int("GUNICORN_WORKER_CONNECTIONS", 1000)
# The application is loaded once in the master and the workers forked from it: a worker
# replaced after max_requests starts at once instead of importing Django again.
preload_app = True
# A page that takes longer than this is killed and its worker replaced: the longest pages
# (a year's report as PDF) take a few seconds; printing hundreds of forms is background work.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then: PDF and chart rendering grow a process's memory. At 150
# requests a second 2,000 would replace a worker every half minute; 10,000 is a few minutes.
max_requests = _int("GUNICORN_MAX_REQUESTS", 10000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 1000)
# Requests larger than Django's upload limit are refused by Django while reading; these
# bound the request line and headers before Django sees anything.
limit_request_line = 8190
limit_request_fields = 100
# gunicorn's control socket (one fixed path in the home directory) would be shared by every
# server started by the same account; nothing here uses it.
control_socket_disable = True
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Django writes one JSON line per request (pps.logging.RequestLogMiddleware); gunicorn's own
# access log would repeat it, so it is off unless GUNICORN_ACCESS_LOG=true. Either way it
# goes through the same JSON formatter: link tokens masked, query strings dropped.
_access = os.environ.get("GUNICORN_ACCESS_LOG", "").lower() == "true"
accesslog = "-" if _access else None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "pps.logging.RedactFilter"}},
    "formatters": {"json": {"()": "pps.logging.JsonFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["redact"],
            "stream": "ext://sys.stderr",
        },
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["redact"],
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        # With a logconfig_dict gunicorn always writes access records: the level decides.
        "gunicorn.access": {
            "handlers": ["stdout"],
            "level": "INFO" if _access else "WARNING",
            "propagate": False,
        },
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}


def on_starting(server):
    """Refuse to start with unsafe production settings (pps/checks.py): errors stop here."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pps.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    django.setup()
    try:
        call_command("check", deploy=settings.PRODUCTION, fail_level="ERROR")
    except SystemCheckError as error:
        server.log.error("Refusing to start: %s", error)
        sys.exit(1)


def pre_fork(server, worker):
    """No database connection may cross a fork: the checks above may have opened one in
    the master, and two processes on one connection would mix their queries.

    And what the master has loaded (Django, the apps, the templates' code) is frozen out
    of the garbage collector's sight: a worker's full collections then walk only what its
    requests made, not the whole application. In bench/README.md ("Server time as a
    worker spends it") that cut the slowest of 200 case-list requests from about 110 ms to
    55-65 ms. The workers also keep sharing those pages of memory with the master.
    """
    from django.db import connections

    connections.close_all()
    gc.freeze()
