"""Dates are typed and shown day/month/year whatever the browser's language
(pps.forms.DateInput; issue 15): the form shows 24/11/2025 with a hint, and takes the ways a
person in England writes a date."""

import re
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.enums import CaseStatus
from tests import factories

pytestmark = pytest.mark.django_db

OPENED = date(2025, 11, 3)


def _close(client, case, on):
    return client.post(
        reverse("casework:case-close", args=[case.pk]),
        {"on": on, "reason": "resolved", "outcome": "resolved", "summary": "Advice given."},
    )


def test_a_date_field_shows_the_date_day_first_with_a_hint(client, team):
    case = factories.open_case(team.service, team.officer, opened_on=OPENED)
    client.force_login(team.officer)
    html = client.get(reverse("casework:case-close", args=[case.pk])).content.decode()
    field = re.search(r'<input [^>]*name="on"[^>]*>', html).group(0)
    # A text input: a native date input would show the browser's format (11/24/2025 in an
    # American English browser), which the page cannot change.
    assert 'type="text"' in field
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in field
    assert 'aria-describedby="id_on_format"' in field
    hint = '<div class="form-text mt-0 mb-1" id="id_on_format">'
    assert f"{hint}Day/month/year, for example 24/11/2026</div>" in html


def test_a_list_filters_by_a_date_typed_day_first(client, team):
    early = factories.open_case(team.service, team.officer, opened_on=date(2025, 11, 3))
    late = factories.open_case(team.service, team.officer, opened_on=date(2025, 11, 24))
    client.force_login(team.officer)
    html = client.get(reverse("casework:case-list"), {"opened_after": "24/11/2025"}).content
    assert late.reference in html.decode()
    assert early.reference not in html.decode()


@pytest.mark.parametrize("typed", ["24/11/2025", "24/11/25", "24 November 2025", "2025-11-24"])
def test_a_date_is_taken_as_a_person_in_england_writes_it(client, team, typed):
    case = factories.open_case(team.service, team.officer, opened_on=OPENED)
    client.force_login(team.officer)
    assert _close(client, case, typed).status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.CLOSED, date(2025, 11, 24))


def test_a_date_written_month_first_is_refused_beside_the_field(client, team):
    case = factories.open_case(team.service, team.officer, opened_on=OPENED)
    client.force_login(team.officer)
    response = _close(client, case, "11/24/2025")
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert 'id="id_on_error"' in html or "is-invalid" in html
    assert "Enter a valid date." in html
    # What was typed is shown again for correcting.
    assert 'value="11/24/2025"' in html
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


@pytest.mark.parametrize(
    "typed", ["24/11/2025 14:30", "24 November 2025 14:30", "2025-11-24T14:30"]
)
def test_a_time_is_typed_day_first_with_a_24_hour_clock(client, team, typed):
    case = factories.open_case(team.service, team.officer, opened_on=OPENED)
    client.force_login(team.officer)
    page = client.get(case.get_absolute_url()).content.decode()
    field = re.search(r'<input [^>]*name="at"[^>]*>', page).group(0)
    assert 'type="text"' in field
    assert re.search(r'value="\d\d/\d\d/\d{4} \d\d:\d\d"', field)
    response = client.post(
        reverse("casework:case-log-contact", args=[case.pk]),
        {"at": typed, "method": "phone_out", "minutes": "10", "note": "Rang back."},
    )
    assert response.status_code == 302
    contact = case.contacts.get()
    assert timezone.localtime(contact.at).replace(tzinfo=None) == datetime(2025, 11, 24, 14, 30)
