"""The evaluation tallies kept by month on the SQLite demo: the same triggers, written in
SQLite's own words (migration evaluations 0010), keep them right.

The suite runs on PostgreSQL, so this runs the real thing in its own process: a temporary
SQLite file migrated and filled by the demo generator (bulk inserts, as the demo's own
`dev.py serve` fills it), its current year read and kept, then changed in every way the
product changes it; after each change the year read from the kept months must equal the
year counted afresh, and must differ from what was read before the change.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import django
django.setup()
import datetime as dt
from django.utils import timezone
from django_scopes import scopes_disabled
from demo.generate import SERVICE_NAME, generate
from evaluations.kept import counted_afresh
from evaluations.models import Answer, EvaluationForm, Question, Response, Sending, TallyMonth
from pps.access import service_scope
from pps.models import Service
from reports.periods import academic_year_containing
from reports.queries.evaluations import parent_results_by_period, period_evaluations

today = timezone.localdate()
generate(today=today, years=1, cases_per_year=40, enquiries_per_year=10)
with scopes_disabled():
    service = Service.objects.get(name=SERVICE_NAME)
year = academic_year_containing(today, service.academic_year_start_month)
# The months of the year so far: the dashboard's way, a period each.
months = []
month = year.first
while month <= today:
    following = (month + dt.timedelta(days=32)).replace(day=1)
    months.append(type(year)(month, following - dt.timedelta(days=1), str(month)))
    month = following


def read():
    with service_scope(service.pk):
        evaluations = period_evaluations(year)
        return (
            evaluations.tallies.results(),
            evaluations.return_rates(),
            parent_results_by_period(months, measures_only=True),
        )


def checked(before, what):
    kept = read()
    with counted_afresh():
        fresh = read()
    assert kept == fresh, what
    assert kept != before, what
    return kept


first = read()
with counted_afresh():
    assert read() == first
assert first[0].returned and first[0].comments, first[0]
with scopes_disabled():
    assert TallyMonth.objects.filter(counts__isnull=False).count() == 12
    publishable = Answer.objects.filter(publishable=True, response__sent_on__gte=year.first)
    answered = Response.objects.filter(sent_on__gte=year.first).order_by("id")
    changes = {
        "a comment anonymised": lambda: publishable.filter(
            pk__in=publishable.order_by("id").values("pk")[:1]
        ).update(value="[removed]"),
        "a comment withdrawn": lambda: publishable.filter(
            pk__in=publishable.order_by("-id").values("pk")[:1]
        ).update(publishable=False),
        "an answer deleted": lambda: Answer.objects.filter(
            response=answered.first(), question__kind="rating"
        ).delete(),
        "a response deleted": lambda: answered.last().delete(),
        "a sending moved out of the year": lambda: Sending.objects.filter(
            pk__in=Sending.objects.order_by("-id").values("pk")[:1]
        ).update(sent_on=year.first - dt.timedelta(days=1)),
        "a sending deleted": lambda: Sending.objects.filter(
            sent_on__gte=year.first, response__isnull=True
        ).latest("id").delete(),
        "a form renamed": lambda: EvaluationForm.objects.filter(kind="parent").update(
            title="Tell us how we did"
        ),
        "a question reworded": lambda: Question.objects.filter(
            version__form__kind="parent", measure="satisfaction"
        ).update(text="Did we help?"),
    }
    state = first
    for what, change in changes.items():
        assert change(), what
        state = checked(state, what)
print("kept months equal to counts made afresh")
"""


def test_the_kept_months_follow_every_change_on_sqlite(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PPS_", "CACHE_", "DATABASE_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        DJANGO_SETTINGS_MODULE="pps.settings",
        PPS_DEMO_MODE="true",
        PPS_REQUEST_LOG_LEVEL="WARNING",
    )
    for args in (("manage.py", "migrate", "--no-input", "--verbosity", "0"), ("-c", SCRIPT)):
        result = subprocess.run(  # noqa: S603 - our own interpreter and scripts
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, result.stderr[-3000:]
    assert "kept months equal to counts made afresh" in result.stdout
