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
"""

import argparse
import datetime as dt
import html.parser
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
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
        at = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
        form = {
            "csrfmiddlewaretoken": user.cookies.get("csrftoken", ""),
            "at": at.strftime("%Y-%m-%dT%H:%M"),
            "method": "phone_out",
            "minutes": "15",
            "note": "Load test: returned the parent's call.",
        }
        timed(results, user, "log a contact", 302, "POST", f"/cases/{case}/contacts/", form)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    server_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "PPS_REQUEST_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(  # noqa: S603
        [str(Path(PYTHON).parent / "gunicorn"), "-c", "pps/gunicorn.conf.py", "pps.wsgi"],
        cwd=ROOT,
        env=server_env,
        start_new_session=True,
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
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--duration", type=float, default=120, help=f"seconds, at most {MAX_DURATION}"
    )
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    duration = max(1.0, min(options.duration, MAX_DURATION))
    users_wanted = max(1, min(options.users, 200))

    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database for the demo data.")
    env = {
        **os.environ,
        "PPS_PRODUCTION": "false",
        "DJANGO_DEBUG": "false",
        "PPS_DEMO_MODE": "true",
        "DATABASE_CONN_MAX_AGE": "60",
        # Sign-in attempts from one address: 50 people in a minute is not an attack here.
        "AXES_ENABLED": "false",
    }
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

    every = [t for times in results.times.values() for t in times]
    print(f"\n{'page':<15}{'requests':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for page, times in [*sorted(results.times.items()), ("all", every)]:
        print(
            f"{page:<15}{len(times):>10}{percentile(times, 0.50):>10.0f}"
            f"{percentile(times, 0.95):>10.0f}{percentile(times, 0.99):>10.0f}"
        )
    errors = sum(results.errors.values())
    print(
        f"\n{len(every) / elapsed:.1f} requests/s over {elapsed:.0f} s, {len(users)} users, "
        f"median {statistics.median(every) * 1000:.0f} ms; errors: {errors}"
    )
    for error, count in sorted(results.errors.items()):
        print(f"  {count} x {error}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
