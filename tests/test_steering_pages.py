"""The steering group reads aggregates only (docs/domain.md, "Users and roles"): no page it may open
shows a person's name, or text that staff did not explicitly clear for it.

The test fills a service with records whose names and texts are distinctive words, then
opens every URL the access matrix gives the steering group, follows every link on those
pages, and looks for each word in every answer (pages, CSV exports and PDFs).
"""

import datetime as dt
import io
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from casework.models import Feedback
from evaluations import actions as evaluation_actions
from evaluations.models import EvaluationForm
from pps.roles import Role
from tests import factories
from tests.evaluations import records
from tests.quality import factories as quality
from tests.test_access_matrix import RULES, build_world

pytestmark = pytest.mark.django_db

# Words that must never reach a steering member, by where they were typed.
SECRETS = {
    "parent name": "Parzivalle",
    "child name": "Chidiocke",
    "officer name": "Ophelianne",
    "coordinator name": "Cosimande",
    "volunteer name": "Valentyne",
    "enquirer name": "Enidora",
    "contact note": "Axolotlnote",
    "feedback from": "Fenellasse",
    "feedback summary (not publishable)": "Platypusline",
    "evaluation comment (not cleared)": "Dugongwords",
    "event speaker": "Speakerton",
    "event title (not cleared)": "Quokkafair",
    "event topic (not cleared)": "Wombattopic",
    "event venue (not cleared)": "Numbatvenue",
    "event summary (not cleared)": "Bilbysummary",
    "review assessor": "Assessorby",
}


def _fill(team):
    """A service whose every name and free text is one of SECRETS."""
    today = timezone.localdate()
    world = build_world(team)
    s = SECRETS
    team.officer.first_name, team.officer.last_name = s["officer name"], "Staff"
    team.officer.save()
    team.coordinator.first_name, team.coordinator.last_name = s["coordinator name"], "Staff"
    team.coordinator.save()
    team.volunteer_record.first_name = s["volunteer name"]
    team.volunteer_record.save()
    parent = factories.ParentFactory(service=team.service, first_name=s["parent name"])
    child = factories.ChildFactory(service=team.service, first_name=s["child name"])
    case = factories.open_case(team.service, team.officer, parent=parent, child=child)
    factories.log_contact(case, team.officer, note=s["contact note"])
    factories.record_enquiry(team.service, team.officer, enquirer_name=s["enquirer name"])
    Feedback.objects.create(
        service=team.service,
        kind="complaint",
        received_on=today,
        channel="phone",
        about="service",
        from_name=s["feedback from"],
        summary=s["feedback summary (not publishable)"],
    )
    sending = records.send(records.form_of(team.service, "parent"), team.officer, today)
    records.answer(
        sending,
        team.officer,
        today,
        helpfulness="Good",
        comments=s["evaluation comment (not cleared)"],
    )
    event = factories.make_event(
        team.service,
        team.officer,
        title=s["event title (not cleared)"],
        topic=s["event topic (not cleared)"],
        venue=s["event venue (not cleared)"],
        speaker=s["event speaker"],
        evaluation_summary=s["event summary (not cleared)"],
        parents_attending=3,
        professionals_attending=2,
        volunteers_attending=1,
    )
    event_form = EvaluationForm.objects.filter(service=team.service, kind="event").first()
    printed = evaluation_actions.hand_out_forms(
        event=event, form=event_form, count=2, by=team.officer
    )
    records.answer(
        printed[0][0],
        team.officer,
        today,
        needs_met="Met",
        comments=s["evaluation comment (not cleared)"],
    )
    quality.make_review(team, assessor=s["review assessor"], reviewed_on=dt.date(2025, 1, 6))
    quality.make_assessment(team, final=True)
    quality.make_plan(team, updates=1)
    return world


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith("/") and not href.startswith("//"):
            self.hrefs.append(href.split("#")[0])


def _text(response) -> str:
    body = b"".join(response) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if kind.startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(body))
        return "\n".join(
            str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
        )
    return body.decode()


def _steering_urls(world):
    for name, rule in sorted(RULES.items()):
        if Role.STEERING in rule.roles and rule.on_get == 200:
            yield reverse(name, kwargs=rule.args(world) if rule.args else rule.kwargs)


def test_no_steering_page_shows_a_name_or_uncleared_text(client, team):
    world = _fill(team)
    client.force_login(team.steering)
    queue, seen, leaks = list(_steering_urls(world)), set(), []
    while queue and len(seen) < 150:
        url = queue.pop(0)
        if url in seen or url.startswith("/logout") or url.startswith("/admin"):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = _text(response)
        leaks += [f"{what} on {url}" for what, word in SECRETS.items() if word in text]
        if "html" in response.get("Content-Type", ""):
            parser = _Links()
            parser.feed(text)
            queue += [href for href in parser.hrefs if href not in seen]
    assert len(seen) > 15, "the crawl should reach every steering page"
    assert not leaks, "\n".join(leaks)
