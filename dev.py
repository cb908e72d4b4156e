#!/usr/bin/env python3
"""The README's two set-up commands, needing nothing but Python 3.11+.

    python3 dev.py serve   install everything, load the demo service, serve on localhost
                           (with a background worker beside the web server)
    python3 dev.py test    install everything, then lint, check and run the whole test suite
    python3 dev.py prod    install everything, check, migrate, collectstatic, run gunicorn
    python3 dev.py mutation [module ...]   the mutation check (docs/testing.md), on demand

Dependencies come from requirements.lock (pinned, with hashes) into .venv. A stamp of the
lock's hash in .venv skips the install when nothing changed.
"""

import argparse
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".requirements.sha256"
CHROMIUM = Path("/usr/bin/chromium")
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/pps"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*command, env=None) -> None:
    result = subprocess.run([str(part) for part in command], cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_environment() -> None:
    """Create .venv and install the lock file unless that exact lock is already installed."""
    if sys.version_info < (3, 11):
        sys.exit("Python 3.11 or newer is needed.")
    if not PYTHON.exists():
        say("Creating the virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == digest:
        return
    say("Installing the pinned dependencies (requirements.lock)")
    run(
        PYTHON,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--require-hashes",
        "-r",
        LOCK,
    )
    STAMP.write_text(digest)


def manage(*args, env=None) -> None:
    run(PYTHON, ROOT / "manage.py", *args, env=env)


def serve(options) -> None:
    ensure_environment()
    say("Applying the database migrations")
    manage("migrate", "--verbosity", "0")
    if not options.no_demo:
        say("Loading the demo service (skipped when it exists)")
        manage("load_demo")
    env = {**os.environ, "PPS_DEMO_MODE": "true"}
    # The background worker (docs/decisions/0018-background-worker.md) builds the PDFs
    # people ask for; its queue is a table of the same database, so the demo needs no
    # other server. Its own session (process group), so that stopping it stops the child
    # its autoreloader starts too, and Ctrl+C here reaches runserver alone.
    say("Starting the background worker (manage.py db_worker)")
    worker = subprocess.Popen(
        [str(PYTHON), str(ROOT / "manage.py"), "db_worker"]
        + (["--no-reload"] if os.name == "nt" else []),
        env=env,
        start_new_session=True,
    )
    say(f"Open http://127.0.0.1:{options.port}/ and sign in with a demo account")
    # Stopped with SIGTERM (a process manager, CI) as with Ctrl+C: through the `finally`
    # below, or the worker in its own session would be left running.
    signal.signal(signal.SIGTERM, _stop_serving)
    try:
        subprocess.run(
            [str(PYTHON), str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{options.port}"],
            env=env,
            check=False,
        )
    except KeyboardInterrupt:
        pass
    finally:
        stop_worker(worker)


def _stop_serving(signum, frame) -> None:
    raise KeyboardInterrupt


def stop_worker(worker: subprocess.Popen) -> None:
    """Ask the worker to stop after its current task; kill it if it has not in 30 seconds."""
    say("Stopping the background worker")
    if os.name == "nt":  # no process groups: the worker runs without its autoreloader there
        worker.terminate()
        worker.wait()
        return
    try:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    except ProcessLookupError:
        pass


def prod(options) -> None:
    """The production run (README.md, "Production"): refuse unsafe settings, migrate,
    collect the static files for whitenoise, then gunicorn with pps/gunicorn.conf.py."""
    ensure_environment()
    env = dict(os.environ)
    env.setdefault("PPS_PRODUCTION", "true")
    if not env.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to the PostgreSQL database (postgres://...).")
    if options.workers:
        env["GUNICORN_WORKERS"] = str(options.workers)
    if options.bind:
        env["GUNICORN_BIND"] = options.bind
    say("Checking the production settings")
    manage("check", "--deploy", "--fail-level", "ERROR", env=env)
    say("Applying the database migrations")
    manage("migrate", "--no-input", "--verbosity", "0", env=env)
    say("Collecting the static files")
    manage("collectstatic", "--no-input", "--verbosity", "0", env=env)
    say(f"Serving with gunicorn on {env.get('GUNICORN_BIND', '0.0.0.0:8000')}")
    gunicorn = BIN / "gunicorn"
    os.execve(
        gunicorn,
        [str(gunicorn), "-c", str(ROOT / "pps" / "gunicorn.conf.py"), "pps.wsgi"],
        env,
    )


def postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def ensure_chromium(env: dict) -> None:
    """Browser tests drive Debian's Chromium; Playwright's own download does not work here."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say("Installing Debian's chromium for the browser tests")
        quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=quiet, check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
            env=quiet,
            check=False,
            stdout=subprocess.DEVNULL,
        )
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        sys.exit("Chromium is missing and could not be installed: CI needs the browser tests.")
    say("WARNING: no /usr/bin/chromium: the browser tests will be skipped")
    env["PPS_SKIP_BROWSER"] = "1"


def test_workers() -> int:
    """Test processes: PPS_TEST_WORKERS, else one per core up to four (each migrates its own
    test database and, for the browser tests, starts its own Chromium)."""
    chosen = os.environ.get("PPS_TEST_WORKERS", "")
    return int(chosen) if chosen.isdigit() else min(os.cpu_count() or 1, 4)


def test(options, pytest_args) -> None:
    ensure_environment()
    env = {**os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE": "true"}
    ensure_chromium(env)
    if not env.get("DATABASE_URL"):
        if postgres_answers():
            env["DATABASE_URL"] = LOCAL_POSTGRES
        else:
            say("WARNING: no PostgreSQL at 127.0.0.1:5432: testing on SQLite (CI uses PostgreSQL)")
            env["DATABASE_URL"] = "sqlite:///" + str(ROOT / "test-db.sqlite3")
    say(f"Database: {env['DATABASE_URL']}")
    if env["DATABASE_URL"].startswith("sqlite"):
        # SQLite ignores select_for_update and serialises writers: the row-lock and
        # double-submit tests (tests/concurrent.py) cannot run there and are skipped.
        if env.get("CI") == "true":
            sys.exit("CI tests on PostgreSQL only: SQLite cannot test the row locks.")
        say("WARNING: SQLite: every row-lock and double-submit test is SKIPPED (listed below)")
        pytest_args = ["-rs", *pytest_args]
    say("ruff check")
    run(BIN / "ruff", "check", ".", env=env)
    say("ruff format --check")
    run(BIN / "ruff", "format", "--check", ".", env=env)
    say("import contract (lint-imports)")
    run(BIN / "lint-imports", env=env)
    say("migrations match the models")
    # Compared with the models only: no database is needed (nor warned about) for this.
    manage(
        "makemigrations",
        "--check",
        "--dry-run",
        "--verbosity",
        "0",
        env={**env, "DATABASE_URL": "sqlite://:memory:"},
    )
    if not any(arg.startswith(("-n", "--numprocesses")) for arg in pytest_args):
        # One test process per core (pytest-xdist), each with its own test database;
        # PPS_TEST_WORKERS=0 runs everything in this process (docs/testing.md).
        pytest_args = ["-n", str(test_workers()), *pytest_args]
    say("pytest")
    result = subprocess.run([str(PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT, env=env)
    if result.returncode == 5:
        sys.exit("pytest collected no tests: that is a failure.")
    sys.exit(result.returncode)


def mutation(arguments) -> None:
    """The mutation check of docs/testing.md: slow (an hour or more for every module), so
    it is run on demand, never by `test`. Arguments go to mutation/run.py (see --help)."""
    ensure_environment()
    if not postgres_answers():
        sys.exit("The mutation check needs PostgreSQL at 127.0.0.1:5432.")
    result = subprocess.run([str(PYTHON), "-m", "mutation.run", *arguments], cwd=ROOT)
    sys.exit(result.returncode)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="serve the product with demo data")
    serve_parser.add_argument("--port", type=int, default=8000)
    serve_parser.add_argument("--no-demo", action="store_true", help="do not load demo data")
    commands.add_parser("test", help="run the whole test suite (extra arguments go to pytest)")
    prod_parser = commands.add_parser("prod", help="production: migrate, collectstatic, gunicorn")
    prod_parser.add_argument("--workers", type=int, help="gunicorn workers (default 2)")
    prod_parser.add_argument("--bind", help="address:port (default 0.0.0.0:8000)")
    commands.add_parser("mutation", help="the mutation check (arguments go to mutation/run.py)")
    options, rest = parser.parse_known_args()
    if options.command in ("serve", "prod"):
        if rest:
            parser.error(f"unknown arguments: {' '.join(rest)}")
        if options.command == "serve":
            serve(options)
        else:
            prod(options)
    elif options.command == "mutation":
        mutation(rest)
    else:
        test(options, rest)


if __name__ == "__main__":
    main()
