"""The SQLite demo with several people at once: a long read never holds the others' writes.

The README's demo serves SQLite with `manage.py runserver`. Every page of personal data
writes an access-log row and every sign-in writes a session, so while one person's slow
read runs (a steering member's reports overview) the others still have to write. With
SQLite's old rollback journal a reader's lock stops every commit until it ends, and the
writers failed with 500 "database is locked"; with WAL (pps/settings.py) readers and the
one writer do not wait for each other, and the write transactions are short.

This runs the real thing: the dev server in its own process on a temporary SQLite file
holding a small demo service, with a busy timeout of 2 seconds instead of 20 (so a write
held up by the read fails within the test). While another connection holds a read
transaction open for longer than that, five people sign in, open the case list, a case,
Events and the overview, and log a contact, all at the same moment: every answer must be
the page or the redirect, never an error.
"""

import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-password-2026"
SETUP = """
import django
django.setup()
from django.utils import timezone
from demo.generate import generate
generate(today=timezone.localdate(), years=1, cases_per_year=8, enquiries_per_year=20)
"""
HELD_FOR = 5.0  # seconds: longer than the server's busy timeout below
BUSY_TIMEOUT = "2"


class Person:
    """One browser: a connection to the server and its cookies."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        page = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, page

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def sign_in(self, username: str) -> int:
        self.request("GET", "/accounts/login/")
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": self.csrf(), "username": username, "password": PASSWORD},
        )
        return status


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(env, *args):
    result = subprocess.run(  # noqa: S603 - our own interpreter and scripts
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_a_long_read_does_not_hold_up_anyone_on_the_sqlite_demo(tmp_path):
    database = tmp_path / "demo.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PPS_", "CACHE_", "DATABASE_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="pps.settings",
        PPS_DEMO_MODE="true",
        PPS_SQLITE_TIMEOUT=BUSY_TIMEOUT,
        PPS_REQUEST_LOG_LEVEL="WARNING",
    )
    _run(env, "manage.py", "migrate", "--no-input", "--verbosity", "0")
    _run(env, "-c", SETUP)
    port = _free_port()
    log = (tmp_path / "server.log").open("w+")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        # Signed in before the read starts: the officer who logs a contact, the steering
        # member opening Events and the one opening the overview.
        writer, events, overview = Person(port), Person(port), Person(port)
        assert writer.sign_in("officer") == 302
        assert events.sign_in("steering") == 302
        assert overview.sign_in("steering") == 302
        status, page = writer.request("GET", "/cases/?status=open")
        assert status == 200
        case = re.search(r'href="/cases/(\d+)/"', page).group(1)

        outcomes: dict[str, object] = {}
        start = threading.Barrier(6, timeout=60)

        def act(name, action):
            try:
                start.wait()
                time.sleep(0.5)  # the read below is open by now
                outcomes[name] = action()
            except Exception as error:
                outcomes[name] = repr(error)

        def contact():
            return writer.request(
                "POST",
                f"/cases/{case}/contacts/",
                {
                    "csrfmiddlewaretoken": writer.csrf(),
                    "at": time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.time() - 600)),
                    "method": "phone_out",
                    "minutes": "15",
                    "note": "Returned the parent's call.",
                },
            )[0]

        actions = {
            "an officer signs in": lambda: Person(port).sign_in("officer"),
            "a steering member opens Events": lambda: events.request("GET", "/events/")[0],
            "a steering member opens the overview": lambda: overview.request(
                "GET", "/reports/overview/"
            )[0],
            "an officer opens a case": lambda: (
                Person(port).sign_in("officer") == 302
                and writer.request("GET", f"/cases/{case}/")[0]
            ),
            "an officer logs a contact": contact,
        }
        threads = [threading.Thread(target=act, args=item) for item in actions.items()]
        for thread in threads:
            thread.start()

        # The long read: a transaction that has read and stays open meanwhile.
        reader = sqlite3.connect(database, timeout=30, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM casework_contact").fetchone()
        start.wait()
        opened = time.monotonic()
        for thread in threads:
            thread.join(timeout=120)
        took = time.monotonic() - opened
        time.sleep(max(0.0, HELD_FOR - took))
        reader.execute("COMMIT")
        reader.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.seek(0)
        server_log = log.read()
        log.close()

    assert outcomes == {
        "an officer signs in": 302,
        "a steering member opens Events": 200,
        "a steering member opens the overview": 200,
        "an officer opens a case": 200,
        "an officer logs a contact": 302,
    }, server_log[-3000:]
    # Nobody waited for the read to end: the writes went through while it was open.
    assert took < HELD_FOR, f"the pages took {took:.1f} s: they waited for the read"
    assert "database is locked" not in server_log
