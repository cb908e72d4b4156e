"""Machine instructions a request costs, counted by valgrind: a measure that noise leaves alone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pps_national \\
        .venv/bin/python bench/instructions.py [--page "case list" --page "my work"] [--runs 10]

On a shared machine the times of bench/pages.py and bench/load.py move by a fifth from one
run to the next, more than most changes to a page save. The number of instructions the
server process executes for a request does not (bench/README.md): for each page of
bench/pages.py's national run (the same service, users and addresses), this runs a Python
process under valgrind's callgrind tool with counting off, signs in and sends the page ten
times through Django's WSGI handler (templates compiled, connection open, statements
prepared), then counts the instructions of --runs more requests and prints their mean.
PostgreSQL's own work is not counted (another process), nor time spent waiting.

Everything the pages write (a session, an authenticator, access-log rows) is rolled back, as
in bench/pages.py. valgrind comes from Debian's package (installed with apt-get when missing,
as root); under it a request runs about fifty times slower, so a page takes a minute or two.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM = 10


def _count(page: str, runs: int, service: int | None) -> tuple[float, list[str]]:
    """Instructions a request of `page`, from a child process under callgrind."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--child",
        page,
        "--runs",
        str(runs),
    ]
    if service is not None:
        command += ["--service", str(service)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"{page}: the child failed\n{done.stdout}\n{done.stderr[-3000:]}")
    collected = re.search(r"Collected : (\d+)", done.stderr)
    if not collected:
        raise SystemExit(f"{page}: valgrind counted nothing\n{done.stderr[-3000:]}")
    return int(collected.group(1)) / runs, done.stdout.strip().splitlines()[-2:]


def _child(page: str, runs: int, service: int | None) -> None:
    """Under callgrind: warm the page, then count `runs` requests of it."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pps.settings")
    import django

    django.setup()
    import gc
    import logging

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, transaction
    from django.template import Template
    from django.test.utils import _TestState, setup_test_environment

    from bench.pages import national_pages, wsgi_caller

    setup_test_environment(debug=False)
    logging.getLogger("pps.request").setLevel(logging.WARNING)
    with transaction.atomic():
        heading, pages, clients = national_pages(service)
        found = [(url, user) for name, user, url, _ in pages if name == page]
        if not found:
            raise SystemExit(f"no page {page!r}: {'; '.join(name for name, *_ in pages)}")
        url, user = found[0]
        # As bench/pages.py's WSGI timings: no test instrumentation of template renders,
        # and the connection (with the transaction) kept across requests.
        Template._render = _TestState.saved_data.template_render
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        call = wsgi_caller(clients[user], url)
        for _ in range(WARM):
            call()
        gc.freeze()  # as a gunicorn worker starts (pps/gunicorn.conf.py)
        pid = str(os.getpid())
        subprocess.run(["callgrind_control", "--instr=on", pid], capture_output=True, check=True)  # noqa: S603, S607
        for _ in range(runs):
            call()
        subprocess.run(["callgrind_control", "--instr=off", pid], capture_output=True, check=True)  # noqa: S603, S607
        print(heading)
        print(url)
        transaction.set_rollback(True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--page",
        action="append",
        help="a page of bench/pages.py's national run, by name, as often as wanted "
        "(default: the case list and the case page)",
    )
    parser.add_argument("--runs", type=int, default=10, help="requests counted a page")
    parser.add_argument("--service", type=int, help="service id (default: the largest)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        _child(options.child, options.runs, options.service)
        return
    if not shutil.which("valgrind"):
        subprocess.run(["apt-get", "install", "-y", "valgrind"], check=True)  # noqa: S607
    names = options.page or ["case list", "case page"]
    for number, name in enumerate(names):
        mean, (heading, url) = _count(name, options.runs, options.service)
        if not number:
            print(f"{heading}; {options.runs} requests counted a page\n")
            print(f"{'page':22} {'instructions a request':>24}  address")
        print(f"{name:22} {mean / 1e6:22.2f} M  {url}")


if __name__ == "__main__":
    main()
