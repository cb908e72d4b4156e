"""Plausibility checks through real requests: a child over 25, a follow-up due in the past,
an overlong note, and long unbroken text that must wrap (docs/domain.md, "Parents and
children" and "Contacts and enquiries")."""

from datetime import date, timedelta

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from casework.actions import NOTE_MAX
from casework.models import Child, Contact
from casework.rules import age_on
from tests import factories

pytestmark = pytest.mark.django_db


def _years_ago(years: int, today: date) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def test_age_counts_whole_years():
    assert age_on(date(2000, 11, 30), date(2026, 11, 30)) == 26
    assert age_on(date(2000, 12, 1), date(2026, 11, 30)) == 25
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def _new_case_data(born):
    return {
        "parent-first_name": "Jo",
        "parent-last_name": "Bloggs",
        "parent-phone": "01632 960001",
        "parent-preferred_contact": "phone",
        "parent-ethnicity": "not_stated",
        "parent-first_language": "English",
        "child-first_name": "Sam",
        "child-last_name": "Bloggs",
        "child-gender": "not_known",
        "child-sen_status": "sen",
        "child-date_of_birth": born.isoformat(),
        "case-bullying": "none",
        "case-unofficial_exclusion": "none",
        "case-official_exclusion": "none",
        "case-received_on": timezone.localdate().isoformat(),
        "consent-confidentiality_explained_on": timezone.localdate().isoformat(),
    }


def test_a_new_child_over_25_is_refused_beside_the_date_of_birth(client, team):
    today = timezone.localdate()
    client.force_login(team.officer)
    url = reverse("casework:case-create")
    data = _new_case_data(_years_ago(26, today)) | {"case-officer": team.officer.pk}
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert refused.context["child_form"].errors == {
        "date_of_birth": [
            "This makes the child 26 today: the service supports children and young people "
            "up to 25. Check the year."
        ]
    }
    assert not Child.objects.exists()
    # 25 (the day before their 26th birthday) is still within the service's range.
    data["child-date_of_birth"] = (_years_ago(26, today) + timedelta(days=1)).isoformat()
    assert client.post(url, data).status_code == 302
    assert Child.objects.get().date_of_birth == _years_ago(26, today) + timedelta(days=1)


def _form_data(form):
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def test_editing_a_grown_up_childs_record_is_not_refused_but_a_changed_date_is(client, team):
    today = timezone.localdate()
    born = date(1990, 5, 4)  # a case from the service's early years
    child = factories.ChildFactory(service=team.service, date_of_birth=born)
    factories.open_case(team.service, team.officer, child=child)
    client.force_login(team.officer)
    url = reverse("casework:child-edit", args=[child.pk])
    data = _form_data(client.get(url).context["form"])
    assert data["date_of_birth"] == "1990-05-04"
    saved = client.post(url, data | {"school_name": "Fenland College"})
    assert saved.status_code == 302
    child.refresh_from_db()
    assert child.school_name == "Fenland College"

    data = _form_data(client.get(url).context["form"])
    refused = client.post(url, data | {"date_of_birth": "1990-05-05"})
    assert refused.status_code == 200
    age = age_on(date(1990, 5, 5), today)
    assert refused.context["form"].errors == {
        "date_of_birth": [
            f"This makes the child {age} today: the service supports children and young "
            "people up to 25. Check the year."
        ]
    }
    child.refresh_from_db()
    assert child.date_of_birth == born


def _contact(**changes):
    return {
        "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "method": "phone_out",
        "minutes": "20",
        "note": "Talked through the draft plan.",
    } | changes


def test_a_follow_up_due_in_the_past_is_refused_on_a_new_contact(client, team):
    today = timezone.localdate()
    case = factories.open_case(team.service, team.officer, opened_on=today - timedelta(days=9))
    client.force_login(team.officer)
    url = reverse("casework:case-log-contact", args=[case.pk])
    refused = client.post(
        url,
        _contact(
            follow_up="Ring the school",
            follow_up_due_on=(today - timedelta(days=1)).isoformat(),
        ),
    )
    assert refused.status_code == 400
    assert refused.context["contact_form"].errors == {
        "follow_up_due_on": ["This date has passed: give the day it is now due."]
    }
    assert not Contact.objects.filter(case=case).exists()
    due_today = client.post(
        url, _contact(follow_up="Ring the school", follow_up_due_on=today.isoformat())
    )
    assert due_today.status_code == 302
    assert Contact.objects.get(case=case).follow_up_due_on == today


def test_a_note_over_10000_characters_is_refused_with_a_clear_message(client, team):
    case = factories.open_case(team.service, team.officer)
    client.force_login(team.officer)
    url = reverse("casework:case-log-contact", args=[case.pk])
    refused = client.post(url, _contact(note="a" * (NOTE_MAX + 1)))
    assert refused.status_code == 400
    assert refused.context["contact_form"].errors == {
        "note": [
            "Keep the note to 10,000 characters (it has 10,001): split a longer record over "
            "more than one contact."
        ]
    }
    assert not Contact.objects.filter(case=case).exists()
    assert client.post(url, _contact(note="a" * NOTE_MAX)).status_code == 302


def test_long_unbroken_text_wraps_inside_the_timeline(client, team):
    case = factories.open_case(team.service, team.officer)
    unbroken = "x" * 400
    factories.log_contact(case, team.officer, note=unbroken)
    client.force_login(team.officer)
    html = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    assert f'<p class="note mb-1">{unbroken}</p>' in html
    assert "/static/css/pps.css" in html or "pps.css" in html
    with open(finders.find("css/pps.css"), encoding="utf-8") as css:
        rules = css.read()
    assert ".note, .timeline > li, .summary-list dd { overflow-wrap: anywhere; }" in rules
