"""What moving the self-assessment PDF onto the background worker changes for the request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pps_bench .venv/bin/python bench/documents.py

Runs in a throwaway test database (test_<name>) holding one service with a rated
self-assessment. Alternately, --runs times each (DEBUG off, through the test client):

- "PDF in the request": GET quality:assessment-pdf, which renders the PDF in the request;
- "Build PDF": POST quality:assessment-build-pdf, which records the document and queues it;
- "worker build": the worker's task for one such document (pps.documents.build_document,
  run in this process as db_worker runs it), from queued to ready with the file stored;
- "bare WeasyPrint": render_pdf of the same template and context (the floor of the build).

It prints the medians of wall-clock and CPU time of this process, and the ratios
request/queue and worker build/bare WeasyPrint. Nothing is asserted.
"""

import argparse
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
from django.test.utils import setup_databases, setup_test_environment, teardown_databases
from django.urls import reverse
from django_scopes import scopes_disabled

from pps.documents import build_document
from pps.models import GeneratedDocument
from pps.pdf import render_pdf
from quality.documents import ASSESSMENT_PDF_TEMPLATE, assessment_pdf_context


def timed(action) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="pps-bench-documents-")
    old = setup_databases(verbosity=0, interactive=False)
    try:
        with scopes_disabled():
            run(options.runs)
    finally:
        teardown_databases(old, verbosity=0)


def run(runs: int) -> None:
    from tests.conftest import make_team
    from tests.factories import VerifiedClient
    from tests.quality.factories import make_assessment, rate_all

    team = make_team("Northshire PPS")
    assessment = make_assessment(team, count=12)
    rate_all(assessment, evidence="Minutes of the advisory group")
    client = VerifiedClient()
    client.force_login(team.coordinator)
    pdf_url = reverse("quality:assessment-pdf", args=[assessment.pk])
    build_url = reverse("quality:assessment-build-pdf", args=[assessment.pk])
    context = assessment_pdf_context(assessment, public=False)

    def queue():
        assert client.post(build_url).status_code == 302

    def build():
        document = GeneratedDocument.objects.filter(status="queued").order_by("id").first()
        assert build_document.call(team.service.pk, document.pk) == "ready"

    ways = {
        "PDF in the request": lambda: client.get(pdf_url).content,
        "Build PDF": queue,
        "worker build": build,
        "bare WeasyPrint": lambda: render_pdf(ASSESSMENT_PDF_TEMPLATE, context),
    }
    for action in ways.values():  # warm: templates, fonts, WeasyPrint's import
        action()
    results = {name: ([], []) for name in ways}
    for _ in range(runs):
        for name, action in ways.items():
            wall, cpu = timed(action)
            results[name][0].append(wall)
            results[name][1].append(cpu)
    median = {name: statistics.median(walls) * 1000 for name, (walls, _) in results.items()}
    print(f"{'':20} {'median ms':>10} {'CPU ms':>8}   ({runs} runs each, alternating)")
    for name, (_walls, cpus) in results.items():
        print(f"{name:20} {median[name]:10.1f} {statistics.median(cpus) * 1000:8.1f}")
    print(
        f"request with the PDF / Build PDF request: "
        f"{median['PDF in the request'] / median['Build PDF']:.1f}x"
    )
    print(
        f"worker build / bare WeasyPrint: {median['worker build'] / median['bare WeasyPrint']:.2f}x"
    )


if __name__ == "__main__":
    main()
