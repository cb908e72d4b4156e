"""What the steering group may read: only text a coordinator cleared, and counts of 1 to 4
as "fewer than 5" on every page, with hours beside such a count hidden (docs/domain.md,
"Users and roles" and "Small numbers"). Tried through real requests, as a case officer, a
coordinator and a steering member."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Feedback
from evaluations import actions
from evaluations.models import Answer, Event
from tests import factories
from tests.evaluations import records
from volunteers.forms import recent_months
from volunteers.models import MonthlyReturn

pytestmark = pytest.mark.django_db


def _feedback_post(**changes):
    data = {
        "kind": "complaint",
        "received_on": timezone.localdate().isoformat(),
        "channel": "phone",
        "about": "service",
        "from_name": "",
        "summary": "Waited a week for a call back",
        "response": "",
        "responded_on": "",
        "improvement": "Calls are returned within two days",
        "publishable": "on",
    }
    return data | changes


def test_only_a_coordinator_marks_a_feedback_improvement_publishable(client, team):
    client.force_login(team.officer)
    form_page = client.get(reverse("casework:feedback-create")).content.decode()
    assert 'name="publishable"' not in form_page
    created = client.post(reverse("casework:feedback-create"), _feedback_post())
    assert created.status_code == 302
    feedback = Feedback.objects.get(service=team.service)
    assert feedback.publishable is False

    edit = reverse("casework:feedback-edit", args=[feedback.pk])
    posted = client.post(edit, _feedback_post(version=feedback.version))
    assert posted.status_code == 302
    feedback.refresh_from_db()
    assert feedback.publishable is False

    client.force_login(team.coordinator)
    assert 'name="publishable"' in client.get(edit).content.decode()
    cleared = client.post(edit, _feedback_post(version=feedback.version))
    assert cleared.status_code == 302
    feedback.refresh_from_db()
    assert feedback.publishable is True

    # A case officer's change to the summary keeps the clearance; a change to the published
    # improvement needs clearing again.
    client.force_login(team.officer)
    client.post(edit, _feedback_post(version=feedback.version, summary="Waited eight days"))
    feedback.refresh_from_db()
    assert feedback.publishable is True and feedback.summary == "Waited eight days"
    client.post(
        edit,
        _feedback_post(version=feedback.version, improvement="A named officer rings back"),
    )
    feedback.refresh_from_db()
    assert feedback.publishable is False


def _event_post(**changes):
    data = {
        "kind": "forum",
        "title": "Forum on transport",
        "topic": "School transport",
        "on": timezone.localdate().isoformat(),
        "venue": "Town library",
        "speaker": "Dr Imogen Trainerfield",
        "parents_attending": "12",
        "professionals_attending": "6",
        "volunteers_attending": "5",
        "evaluation_summary": "Most found it useful",
        "cleared_for_steering": "on",
    }
    return data | changes


def test_only_a_coordinator_clears_event_details_for_the_steering_group(client, team):
    client.force_login(team.officer)
    assert (
        'name="cleared_for_steering"'
        not in client.get(reverse("evaluations:event-create")).content.decode()
    )
    assert client.post(reverse("evaluations:event-create"), _event_post()).status_code == 302
    event = Event.objects.get(service=team.service)
    assert event.cleared_for_steering is False

    client.force_login(team.steering)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Forum on transport" not in page and "Town library" not in page
    assert "Not yet cleared" in page

    client.force_login(team.coordinator)
    edit = reverse("evaluations:event-edit", args=[event.pk])
    assert client.post(edit, _event_post(version=event.version)).status_code == 302
    event.refresh_from_db()
    assert event.cleared_for_steering is True

    client.force_login(team.steering)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Forum on transport" in page and "Most found it useful" in page
    # The speaker is a person's name: never shown to the steering group, cleared or not.
    assert "Trainerfield" not in page
    listing = client.get(reverse("evaluations:event-list")).content.decode()
    assert "Forum on transport" in listing and "Trainerfield" not in listing

    # A case officer who changes the title takes the clearance away.
    client.force_login(team.officer)
    client.post(edit, _event_post(version=event.version, title="Forum on buses"))
    event.refresh_from_db()
    assert event.title == "Forum on buses" and event.cleared_for_steering is False


def test_a_case_officer_cannot_clear_an_evaluation_comment(client, team):
    today = timezone.localdate()
    sending = records.send(records.form_of(team.service, "parent"), team.officer, today)
    records.answer(sending, team.officer, today, helpfulness="Good", comments="Kind words")
    comment = Answer.objects.get(response__sending=sending, question__key="comments")
    for user in (team.officer, team.support, team.steering):
        client.force_login(user)
        response = client.post(
            reverse("evaluations:comment-publish", args=[comment.pk]), {"publishable": "yes"}
        )
        assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.publishable is False


def _small_event(team):
    return factories.make_event(
        team.service,
        team.officer,
        parents_attending=3,
        professionals_attending=2,
        volunteers_attending=0,
        cleared_for_steering=True,
    )


def test_event_attendance_of_1_to_4_is_fewer_than_5_for_steering(client, team):
    event = _small_event(team)
    client.force_login(team.steering)
    detail = client.get(event.get_absolute_url()).content.decode()
    assert "parents: fewer than 5, professionals: fewer than 5, volunteers: 0" in detail
    assert "(5 in all)" in detail
    listing = client.get(reverse("evaluations:event-list")).content.decode()
    assert "Parents&#x27; forum meeting" in listing
    cells = re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", listing)
    assert cells.count("fewer than 5") == 2
    assert "3" not in cells and "2" not in cells
    export = client.get(reverse("evaluations:event-export"))
    rows = list(csv.DictReader(io.StringIO(b"".join(export).decode().lstrip("\ufeff"))))
    assert rows[0]["Parents"] == "fewer than 5"
    assert rows[0]["Professionals"] == "fewer than 5"
    assert rows[0]["Total attending"] == "5"

    # Staff see the exact figures.
    client.force_login(team.officer)
    detail = client.get(event.get_absolute_url()).content.decode()
    assert "3 parents, 2 professionals" in detail


def test_event_results_counts_of_1_to_4_are_fewer_than_5_for_steering(client, team):
    event = _small_event(team)
    today = timezone.localdate()
    form = records.form_of(team.service, "event")
    printed = actions.hand_out_forms(event=event, form=form, count=3, by=team.officer)
    records.answer(printed[0][0], team.officer, today, needs_met="Met")
    client.force_login(team.steering)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Forms handed out or sent: fewer than 5; returned: fewer than 5." in page
    assert "% of fewer than 5 who answered" in page


def test_ips_hours_beside_a_count_of_1_to_4_are_hidden_from_steering(client, team):
    # One active IPS (the team's) returns hours for last month: their hours are theirs alone.
    MonthlyReturn.objects.create(
        service=team.service,
        volunteer=team.volunteer_record,
        month=recent_months(timezone.localdate(), 1)[0],
        phone_hours=Decimal("7.25"),
    )
    client.force_login(team.steering)
    page = client.get(reverse("reports:overview")).content.decode()
    row = re.search(r"IPS casework hours.*?</tr>", page, re.S).group(0)
    assert "7.25" not in row and "hidden" in row
    active = re.search(r"IPS volunteers active during the year.*?</tr>", page, re.S).group(0)
    assert "fewer than 5" in active


# Every steering page that shows counts, and the figure on it that is 1 to 4 here.
COUNTED_PAGES = [
    "reports:overview",
    "reports:dashboard",
    "reports:dashboard-export",
    "reports:evaluation-results",
    "reports:evaluation-results-export",
    "evaluations:event-list",
    "evaluations:event-export",
    "evaluations:event-detail",
    "quality:feedback-summary",
    "quality:feedback-summary-export",
]


@pytest.mark.parametrize("name", COUNTED_PAGES)
def test_every_steering_page_with_counts_shows_1_to_4_as_fewer_than_5(client, team, name):
    today = timezone.localdate()
    case = factories.open_case(team.service, team.officer)
    factories.log_contact(case, team.officer)
    Feedback.objects.create(
        service=team.service,
        kind="complaint",
        received_on=today,
        channel="phone",
        about="service",
        summary="Waited",
    )
    event = _small_event(team)
    sending = records.send(records.form_of(team.service, "parent"), team.officer, today)
    records.answer(sending, team.officer, today, helpfulness="Good")
    url = reverse(name, args=[event.pk] if name == "evaluations:event-detail" else None)
    client.force_login(team.steering)
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response) if response.streaming else response.content
    assert "fewer than 5" in body.decode()
