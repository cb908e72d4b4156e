"""How long 100,000 contacts take to import (docs/data-lifecycle.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pps_b .venv/bin/python bench/import_contacts.py

Runs in a throwaway test database (test_<name>). Makes a CSV file of --rows contacts
(default 100,000) spread over 200 cases, then --runs times (default 3), each into a new
service holding those cases: stores the upload (transfers.actions.receive_import, which
queues the check for the worker), runs the worker's check (check_import_task) and, after
the go-ahead, the worker's load (load_import_task), both in this process as db_worker runs
them. Prints the file's size and the medians of each step and of the whole. Nothing is
asserted; the target is under a minute for the whole.
"""

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pps.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django

if __name__ == "__main__":
    django.setup()

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import setup_databases, setup_test_environment, teardown_databases
from django_scopes import scopes_disabled

CASES = 200


def contacts_csv(rows: int) -> bytes:
    from transfers.layouts import LAYOUTS

    out = io.StringIO()
    writer = csv.writer(out)
    header = LAYOUTS["contacts"].header
    writer.writerow(header)
    for i in range(rows):
        row = {
            "reference": f"N{i}",
            "case_reference": f"BENCH-{i % CASES:04d}",
            "at": f"2024-{10 + i % 3:02d}-{1 + i % 28:02d} {9 + i % 8:02d}:{i % 60:02d}",
            "method": "phone_out" if i % 3 else "email_in",
            "minutes": 5 + i % 55,
            "note": f"Talked through the plan, call {i}",
        }
        writer.writerow([row.get(name, "") for name in header])
    return out.getvalue().encode()


def one_run(content: bytes, number: int) -> dict[str, float]:
    from casework.models import Contact
    from tests import factories
    from tests.conftest import make_team
    from transfers import actions
    from transfers.models import ImportRun

    team = make_team(f"Bench{number} PPS")
    parent = factories.ParentFactory(service=team.service)
    for i in range(CASES):
        case = factories.open_case(
            team.service,
            team.officer,
            opened_on=__import__("datetime").date(2024, 9, 2),
            parent=parent,
        )
        # Each case its own child, so that all may be open at once; references as the file has.
        type(case).objects.filter(pk=case.pk).update(reference=f"BENCH-{i:04d}")
    times = {}
    start = time.perf_counter()
    run = actions.receive_import(
        service=team.service,
        by=team.coordinator,
        layout="contacts",
        upload=SimpleUploadedFile("contacts.csv", content, content_type="text/csv"),
    )
    times["store the upload"] = time.perf_counter() - start
    step = time.perf_counter()
    actions.check_import_task.call(team.service.pk, run.pk)
    times["check (worker)"] = time.perf_counter() - step
    run.refresh_from_db()
    assert not run.problems, run.problems[:5]
    step = time.perf_counter()
    run = actions.confirm_import(run=run, by=team.coordinator)
    actions.load_import_task.call(team.service.pk, run.pk)
    times["load (worker)"] = time.perf_counter() - step
    times["whole import"] = time.perf_counter() - start
    run.refresh_from_db()
    assert run.status == ImportRun.Status.LOADED, run.failure_reason
    assert Contact.objects.filter(service=team.service).count() == run.counts["contacts"]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    setup_test_environment()
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="pps-bench-import-")
    settings.PPS_UPLOAD_MAX_SIZE = 100 * 1024 * 1024
    old = setup_databases(verbosity=0, interactive=False)
    try:
        with scopes_disabled():
            content = contacts_csv(options.rows)
            print(f"{options.rows:,} contacts, {len(content) / 1024 / 1024:.1f} MB of CSV")
            results = [one_run(content, number) for number in range(options.runs)]
    finally:
        teardown_databases(old, verbosity=0)
    for step in results[0]:
        values = [result[step] for result in results]
        print(
            f"{step:>18}: median {statistics.median(values):6.1f} s "
            f"(runs: {', '.join(f'{v:.1f}' for v in values)})"
        )


if __name__ == "__main__":
    main()
