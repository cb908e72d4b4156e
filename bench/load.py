"""A bounded load test: signed-in staff working on gunicorn with 2 workers on 127.0.0.1.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pps_bench .venv/bin/python bench/load.py

What it does (bench/README.md):

1. migrates the PostgreSQL database at DATABASE_URL and loads the demo service into it
   (`manage.py load_demo`, skipped when it is there): never point it at real data;
2. starts gunicorn with pps/gunicorn.conf.py and 2 workers on a free port of 127.0.0.1,
   with DEBUG off and demo mode on (the demo accounts sign in with their published
   password, without a second factor);
3. signs in --users users (50 sessions, spread over the demo's case officer and
   coordinator), then for --duration seconds (default 120, at most 600) each user in turn
   opens the case list, a case page, My work, and logs a contact on a case (a POST with
   its CSRF token), with no pause between requests;
4. prints requests per second, the 50th, 95th and 99th percentile times per page and in
   all, and the errors (any unexpected status, refused connection or timeout).

Only the standard library: one thread and one http.client connection per user.

Two more modes (bench/README.md):

--mode pages: throughput of the case list and case page on a large service, e.g. a copy of
    the national-scale database (bench/national.py). Nothing is migrated or loaded: the
    data at DATABASE_URL is used as it is (it gains session and access-log rows, so never
    point it at real data). --users signed-in sessions of the service's staff are written
    directly (bench/sessions.py: password and second factor as a sign-in leaves them, no
    demo-mode exemption); gunicorn runs as in production (DEBUG off, persistent
    connections with health checks, sessions in Redis when it answers, the JSON request
    log on, to a file); `wrk` (Debian package wrk, installed with apt-get when missing and
    run as root) keeps --users connections busy for --duration seconds (default 30), half
    of the requests the case list and half a case page, each with one of the sessions,
    and prints requests/s, p50/p95/p99 and errors (any status but 200 is one: a session
    that no longer worked would be sent to sign in). Each connection sends again as soon
    as it is answered, which measures the most the server serves; with --rate R the
    requests go out on a timetable instead, R a second across the connections, which
    measures the times people see at that load.

--mode sqlite: the README's SQLite demo with a handful of people at once: the server
    `python3 dev.py serve` runs (manage.py runserver) on the SQLite file of DATABASE_URL
    (default db-load.sqlite3; migrated and given the demo when it has none), --users
    people (default 6): case officers signing in again and again, opening the case list and
    a case and logging a contact; steering members opening Events, and one the (slow)
    reports overview. Any error (a 500 "database is locked" included) is printed.
"""

import argparse
import datetime as dt
import html.parser
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MAX_DURATION = 600
ACCOUNTS = ("officer", "coordinator")
PASSWORD = "demo-password-2026"  # noqa: S105 (the demo accounts' published password)
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')


class Forms(html.parser.HTMLParser):
    """The inputs of each form on a page, by the form's action."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action") or "", {}))
        elif tag in ("input", "button") and self.forms and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            if tag == "button":
                return
            self.forms[-1][1].setdefault(attrs["name"], attrs.get("value") or "")


def forms_on(page: str) -> list[tuple[str, dict]]:
    parser = Forms()
    parser.feed(page)
    return parser.forms


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class User:
    """One signed-in person: a connection, a session cookie and a CSRF token."""

    def __init__(self, port: int, username: str):
        self.port, self.username = port, username
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", content

    def sign_in(self) -> None:
        status, _, page = self.request("GET", "/accounts/login/")
        action, fields = next(
            (action, fields)
            for action, fields in forms_on(page)
            if any(name.endswith("password") for name in fields)
        )
        for name in fields:
            if name.endswith("username"):
                fields[name] = self.username
            elif name.endswith("password"):
                fields[name] = PASSWORD
        status, location, _ = self.request("POST", action or "/accounts/login/", fields)
        if status != 302 or "login" in location:
            raise SystemExit(f"{self.username} could not sign in ({status} {location}).")


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)

    def add(self, page: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[page].append(seconds)
            if error:
                self.errors[f"{page}: {error}"] += 1


def log_contact(results: Results, user: User, case: str) -> None:
    """A phone call five minutes ago, logged on the case (a POST with its CSRF token)."""
    at = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    form = {
        "csrfmiddlewaretoken": user.cookies.get("csrftoken", ""),
        "at": at.strftime("%Y-%m-%dT%H:%M"),
        "method": "phone_out",
        "minutes": "15",
        "note": "Load test: returned the parent's call.",
    }
    timed(results, user, "log a contact", 302, "POST", f"/cases/{case}/contacts/", form)


def timed(results: Results, user: User, page: str, expected: int, method, path, form=None):
    started = time.perf_counter()
    try:
        status, location, content = user.request(method, path, form)
        error = None if status == expected else f"status {status}"
    except (OSError, http.client.HTTPException) as failure:
        status, location, content, error = 0, "", "", type(failure).__name__
    results.add(page, time.perf_counter() - started, error)
    return status, location, content


def work(user: User, stop_at: float, results: Results, seed: int) -> None:
    rng = random.Random(seed)
    case_ids: list[str] = []
    while time.monotonic() < stop_at:
        _, _, page = timed(results, user, "case list", 200, "GET", "/cases/")
        case_ids = CASE_LINK.findall(page) or case_ids
        if not case_ids:
            results.add("case list", 0, "no cases listed")
            return
        case = rng.choice(case_ids)
        if time.monotonic() >= stop_at:
            break
        timed(results, user, "case page", 200, "GET", f"/cases/{case}/")
        if time.monotonic() >= stop_at:
            break
        timed(results, user, "My work", 200, "GET", "/my-work/")
        if time.monotonic() >= stop_at:
            break
        log_contact(results, user, case)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def server_env(options, database_wanted: str, **settings: str) -> dict:
    """gunicorn's environment: DEBUG off and persistent connections as in production, on
    the PostgreSQL database at DATABASE_URL (`database_wanted` says which, when it is not)."""
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"Set DATABASE_URL to {database_wanted}.")
    env = {
        **os.environ,
        "PPS_PRODUCTION": "false",
        "DJANGO_DEBUG": "false",
        "DATABASE_CONN_MAX_AGE": "60",
        **settings,
    }
    if options.threads:
        env["GUNICORN_THREADS"] = str(options.threads)
    return env


def start_server(
    env: dict, port: int, workers: int, command: list[str] | None = None, log=None
) -> subprocess.Popen:
    server_env = {
        "PPS_REQUEST_LOG_LEVEL": "WARNING",
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
    }
    server = subprocess.Popen(  # noqa: S603
        command
        or [str(Path(PYTHON).parent / "gunicorn"), "-c", "pps/gunicorn.conf.py", "pps.wsgi"],
        cwd=ROOT,
        env=server_env,
        start_new_session=True,
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped while starting.")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer within a minute.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("demo", "pages", "sqlite"), default="demo")
    parser.add_argument("--users", type=int, help="default 50 (demo), 20 (pages), 6 (sqlite)")
    parser.add_argument(
        "--duration", type=float, help=f"seconds, at most {MAX_DURATION}; default 120 or 30"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, help="gunicorn threads a worker (default: pps/gunicorn.conf.py's)"
    )
    parser.add_argument("--service", type=int, help="pages: the service (default: most cases)")
    parser.add_argument(
        "--rate",
        type=float,
        help="pages: requests a second offered on a fixed timetable across the connections "
        "(default: none, each connection sends again as soon as it is answered)",
    )
    options = parser.parse_args()
    default_users = {"demo": 50, "pages": 20, "sqlite": 6}[options.mode]
    duration = options.duration or (120 if options.mode == "demo" else 30)
    duration = max(1.0, min(duration, MAX_DURATION))
    users_wanted = max(1, min(options.users or default_users, 200))
    if options.mode == "pages":
        pages_mode(options, users_wanted, duration)
        return
    if options.mode == "sqlite":
        sqlite_mode(users_wanted, duration)
        return

    env = server_env(
        options,
        "a PostgreSQL database for the demo data",
        PPS_DEMO_MODE="true",
        # Sign-in attempts from one address: 50 people in a minute is not an attack here.
        AXES_ENABLED="false",
    )
    print("Migrating and loading the demo service (skipped when it is there)...", flush=True)
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "load_demo")

    port = free_port()
    server = start_server(env, port, options.workers)
    try:
        users = [User(port, ACCOUNTS[i % len(ACCOUNTS)]) for i in range(users_wanted)]
        for user in users:
            user.sign_in()
        print(
            f"{len(users)} users signed in; {options.workers} gunicorn workers on port {port}; "
            f"running for {duration:.0f} s...",
            flush=True,
        )
        results = Results()
        started = time.monotonic()
        stop_at = started + duration
        threads = [
            threading.Thread(target=work, args=(user, stop_at, results, n), daemon=True)
            for n, user in enumerate(users)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=duration + 120)
        elapsed = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)

    report(results, elapsed, len(users))
    sys.exit(1 if results.errors else 0)


WRK_SCRIPT = """
local cookies = {%(cookies)s}
local cases = {%(cases)s}
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  sent, not_ok = 0, 0
  math.randomseed(1000 + id)
end

function request()
  sent = sent + 1
  local cookie = cookies[(sent * %(threads)d + id) %% #cookies + 1]
  local path = "/cases/"
  if sent %% 2 == 0 then path = cases[math.random(#cases)] end
  return wrk.format("GET", path, {["Cookie"] = "%(cookie_name)s=" .. cookie})
end

function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end
%(pacing)s
function done(summary, latency, requests)
  local bad, late = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not_ok")
    late = late + (thread:get("late") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, bad, e.connect, e.read + e.write, e.timeout, e.status,
    late))
end
"""

# --rate: wrk asks delay() how long a connection waits before its next request. Requests
# go out on a fixed timetable, one every 1/rate seconds across all connections (an offered
# load, as people arriving rather than a fixed number of people clicking as fast as the
# server answers), read from the monotonic clock through LuaJIT's FFI. A connection that
# comes free after its slot has passed sends at once; a send more than LATE_MS late means
# every connection was still waiting for the server, and the time it queued on this side
# is not in wrk's latency, so such sends are counted and printed.
PACING = """
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } pps_timespec;
int clock_gettime(int clock, pps_timespec *spec);
]]
local spec = ffi.new("pps_timespec")
local interval = 1000 / %(rate)f
local slot = nil
late = 0

local function now_ms()
  ffi.C.clock_gettime(1, spec)
  return tonumber(spec.tv_sec) * 1000 + tonumber(spec.tv_nsec) / 1e6
end

function delay()
  local now = now_ms()
  slot = (slot or now) + interval
  local wait = slot - now
  if wait < -%(late_ms)d then late = late + 1 end
  if wait <= 0 then return 0 end
  return math.floor(wait + 0.5)
end
"""
LATE_MS = 10


def ensure_wrk() -> str:
    """wrk, from Debian's package: installed with apt-get when missing and run as root."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("Installing Debian's wrk (the load generator)...", flush=True)
        quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=quiet, check=False)  # noqa: S607
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is needed: apt-get install wrk (Debian), or brew install wrk.")
    return found


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def worker_connections(env: dict, workers: int, users: int) -> int:
    """The connections a gunicorn worker holds at most: its share of wrk's, plus its threads.

    With gunicorn's default (1000) one worker may take most of the connections and leave
    the other core idle. At its share exactly, a worker whose other connections all sit
    idle between paced requests (--rate) closes the one it has answered (gthread keeps
    `worker_connections - threads` idle at most); wrk reconnects at once and then waits for
    its slot, and the new connection holds a thread meanwhile (gthread waits for a new
    connection's first request in a thread). Paced at 150 requests a second over 20
    connections, that made the p95 120 ms instead of 21 ms (bench/README.md).
    """
    # server_env has put --threads there; else pps/gunicorn.conf.py's default, 2.
    threads = int(env.get("GUNICORN_THREADS") or 2)
    return -(-users // workers) + threads


def pages_mode(options, users: int, duration: float) -> None:
    """The case list and case page of a large service under --users signed-in sessions."""
    wrk = ensure_wrk()
    env = server_env(
        options,
        "a copy of the national-scale PostgreSQL database",
        PPS_DEMO_MODE="false",
        DATABASE_CONN_HEALTH_CHECKS="true",
        PPS_REQUEST_LOG_LEVEL="INFO",
    )
    if redis_answers() and "CACHE_URL" not in os.environ:
        env["CACHE_URL"] = "redis://127.0.0.1:6379/3"
    if "GUNICORN_WORKER_CONNECTIONS" not in os.environ:
        env["GUNICORN_WORKER_CONNECTIONS"] = str(worker_connections(env, options.workers, users))
    command = [PYTHON, "-m", "bench.sessions", "--users", str(users)]
    if options.service:
        command += ["--service", str(options.service)]
    prepared = subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    plan = json.loads(prepared.stdout.strip().splitlines()[-1])
    print(
        f"{plan['service']} (id {plan['service_id']}, {plan['cases_in_service']:,} cases): "
        f"{users} sessions of {', '.join(plan['users'])}; cache "
        f"{env.get('CACHE_URL', 'per process (sessions in the database)')}",
        flush=True,
    )
    script = WRK_SCRIPT % {
        "cookies": ", ".join(f'"{cookie}"' for cookie in plan["cookies"]),
        "cases": ", ".join(f'"/cases/{case}/"' for case in plan["case_ids"]),
        "threads": 1,
        "cookie_name": "sessionid",
        "pacing": PACING % {"rate": options.rate, "late_ms": LATE_MS} if options.rate else "",
    }
    port = free_port()
    with (
        tempfile.TemporaryDirectory() as scratch,
        open(Path(scratch) / "server.log", "w") as log,
    ):
        (Path(scratch) / "load.lua").write_text(script)
        server = start_server(env, port, options.workers, log=log)
        try:
            # A few requests first: workers start, templates load, connections open.
            base = [wrk, "-t1", f"-c{users}", "-s", str(Path(scratch) / "load.lua")]
            subprocess.run(  # noqa: S603
                [*base, "-d2s", f"http://127.0.0.1:{port}"], check=True, capture_output=True
            )
            pace = f", {options.rate:g} requests/s offered" if options.rate else ", no pause"
            print(
                f"gunicorn: {options.workers} workers x {options.threads or 'default'} "
                f"threads, {env['GUNICORN_WORKER_CONNECTIONS']} connections a worker, on port "
                f"{port}; wrk: {users} connections for {duration:.0f} s{pace}...",
                flush=True,
            )
            run = subprocess.run(  # noqa: S603
                [*base, f"-d{int(duration)}s", "--timeout", "10s", f"http://127.0.0.1:{port}"],
                check=True,
                capture_output=True,
                text=True,
            )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    line = next(line for line in run.stdout.splitlines() if line.startswith("RESULT "))
    requests, micros, p50, p95, p99, worst, bad, connect, io, timeout, _status, late = map(
        int, line.split()[1:]
    )
    errors = bad + connect + io + timeout
    rate = requests / (micros / 1e6)
    print(
        f"\n{rate:.1f} requests/s over {micros / 1e6:.0f} s "
        f"({requests:,} requests, half case list, half case page), {users} connections\n"
        f"p50 {p50 / 1000:.1f} ms  p95 {p95 / 1000:.1f} ms  p99 {p99 / 1000:.1f} ms  "
        f"max {worst / 1000:.0f} ms\n"
        f"errors: {errors} (not 200: {bad}, connect {connect}, read/write {io}, "
        f"timeout {timeout})"
    )
    if options.rate:
        # The timetable kept means the server took the offered load: else the server's
        # queue spilled into wrk's, and the latencies above leave that wait out.
        print(
            f"offered {options.rate:g} requests/s, served {rate / options.rate:.0%} of it; "
            f"sent more than {LATE_MS} ms after their slot: {late:,} "
            f"({late / max(requests, 1):.1%})"
        )
    sys.exit(1 if errors else 0)


def steering_work(user: User, stop_at: float, results: Results, overview: bool) -> None:
    path, page = ("/reports/overview/", "overview") if overview else ("/events/", "Events")
    while time.monotonic() < stop_at:
        timed(results, user, page, 200, "GET", path)
        if not overview:
            time.sleep(0.5)


def officer_work(port: int, stop_at: float, results: Results, seed: int) -> None:
    """Sign in (a session write, last_login, the throttle's records), then a case's pages."""
    rng = random.Random(seed)
    while time.monotonic() < stop_at:
        user = User(port, "officer")
        started = time.perf_counter()
        try:
            user.sign_in()
            error = None
        except SystemExit as failure:
            error = str(failure)
        except (OSError, http.client.HTTPException) as failure:
            error = type(failure).__name__
        results.add("sign in", time.perf_counter() - started, error)
        if error:
            continue
        _, _, page = timed(results, user, "case list", 200, "GET", "/cases/?status=open")
        case_ids = CASE_LINK.findall(page)
        if not case_ids or time.monotonic() >= stop_at:
            continue
        case = rng.choice(case_ids)
        timed(results, user, "case page", 200, "GET", f"/cases/{case}/")
        log_contact(results, user, case)


def sqlite_mode(users: int, duration: float) -> None:
    """A handful of people at once on the SQLite demo, served as `dev.py serve` serves it."""
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'db-load.sqlite3'}"
    if not database.startswith("sqlite:"):
        raise SystemExit("--mode sqlite needs DATABASE_URL=sqlite:///path (or none).")
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "PPS_DEMO_MODE": "true",
        # Sign-in attempts from one address: the officers sign in again and again.
        "AXES_ENABLED": "false",
    }
    print("Migrating and loading the demo service (skipped when it is there)...", flush=True)
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "load_demo")
    port = free_port()
    command = [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with tempfile.TemporaryFile("w+") as log:
        server = start_server(env, port, 1, command=command, log=log)
        try:
            steering = [User(port, "steering") for _ in range(max(1, (users - 1) // 2))]
            for user in steering:
                user.sign_in()
            officers = max(1, users - len(steering))
            print(
                f"{officers} case officers signing in and working, {len(steering)} steering "
                f"members (one on the reports overview) on runserver, port {port}, "
                f"for {duration:.0f} s...",
                flush=True,
            )
            results = Results()
            started = time.monotonic()
            stop_at = started + duration
            threads = [
                threading.Thread(
                    target=steering_work, args=(user, stop_at, results, n == 0), daemon=True
                )
                for n, user in enumerate(steering)
            ] + [
                threading.Thread(target=officer_work, args=(port, stop_at, results, n), daemon=True)
                for n in range(officers)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=duration + 300)
            elapsed = time.monotonic() - started
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        log.seek(0)
        locked = sum("database is locked" in line for line in log)
    report(results, elapsed, users)
    print(f"'database is locked' in the server's log: {locked}")
    sys.exit(1 if sum(results.errors.values()) or locked else 0)


def report(results: Results, elapsed: float, users: int) -> None:
    every = [t for times in results.times.values() for t in times]
    print(f"\n{'page':<15}{'requests':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for page, times in [*sorted(results.times.items()), ("all", every)]:
        print(
            f"{page:<15}{len(times):>10}{percentile(times, 0.50):>10.0f}"
            f"{percentile(times, 0.95):>10.0f}{percentile(times, 0.99):>10.0f}"
        )
    errors = sum(results.errors.values())
    print(
        f"\n{len(every) / elapsed:.1f} requests/s over {elapsed:.0f} s, {users} users, "
        f"median {statistics.median(every) * 1000:.0f} ms; errors: {errors}"
    )
    for error, count in sorted(results.errors.items()):
        print(f"  {count} x {error}")


if __name__ == "__main__":
    main()
