"""Converting an enquiry into a case through HTTP: what it carries over, what opening asks."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from casework.enums import EnquirerType
from casework.forms import enquirer_details, split_name
from casework.models import Case, Enquiry, Parent
from pps.models import Locality
from tests import factories

pytestmark = pytest.mark.django_db


def _enquiry(team, **fields):
    fields.setdefault("enquirer_name", "Jo Bloggs")
    fields.setdefault("enquirer_contact", "01632 960123, jo.bloggs@example.org")
    return factories.record_enquiry(
        team.service, team.officer, on=timezone.localdate() - timedelta(days=2), **fields
    )


def _start(enquiry):
    return reverse("casework:case-start") + f"?enquiry={enquiry.pk}"


def _create(enquiry, **more):
    query = "".join(f"&{name}={value}" for name, value in more.items())
    return reverse("casework:case-create") + f"?enquiry={enquiry.pk}{query}"


def _new_case(today, **changes):
    """What an officer sends for a new parent and child, the parent filled from the form."""
    data = {
        "parent-first_name": "Jo",
        "parent-last_name": "Bloggs",
        "parent-phone": "01632 960123",
        "parent-email": "jo.bloggs@example.org",
        "parent-preferred_contact": "phone",
        "parent-ethnicity": "not_stated",
        "parent-first_language": "English",
        "child-first_name": "Sam",
        "child-last_name": "Bloggs",
        "child-gender": "not_known",
        "child-sen_status": "sen",
        "case-bullying": "none",
        "case-unofficial_exclusion": "none",
        "case-official_exclusion": "none",
        "consent-confidentiality_explained_on": today.isoformat(),
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("Jo Bloggs", ("Jo", "Bloggs")),
        ("  Mary   Anne Smith ", ("Mary Anne", "Smith")),
        ("Mrs Jo Bloggs", ("Jo", "Bloggs")),
        ("Mrs. Patel", ("", "Patel")),
        ("Bloggs, Jo", ("Jo", "Bloggs")),
        ("Jo van der Berg", ("Jo", "van der Berg")),
        ("Jo", ("Jo", "")),
        ("", ("", "")),
    ],
)
def test_a_name_typed_in_one_box_splits_into_first_names_and_surname(typed, parts):
    assert split_name(typed) == parts


@pytest.mark.parametrize(
    ("contact", "phone", "email"),
    [
        ("01632 960123", "01632 960123", ""),
        ("jo@example.org", "", "jo@example.org"),
        ("+44 (0)1632 960123 / jo@example.org", "+44 (0)1632 960123", "jo@example.org"),
        ("ring after 3pm", "", ""),
        ("jo@nowhere", "", ""),
    ],
)
def test_the_enquirers_phone_and_email_come_out_of_one_box(team, contact, phone, email):
    details = enquirer_details(_enquiry(team, enquirer_contact=contact))
    assert (details.phone, details.email) == (phone, email)


def test_converting_carries_the_enquirers_name_phone_and_email_into_the_new_parent(client, team):
    enquiry = _enquiry(team, enquirer_name="Mrs Jo Bloggs")
    client.force_login(team.officer)
    form = client.get(_create(enquiry)).context["parent_form"]
    assert {name: form[name].value() for name in ("first_name", "last_name", "phone", "email")} == {
        "first_name": "Jo",
        "last_name": "Bloggs",
        "phone": "01632 960123",
        "email": "jo.bloggs@example.org",
    }
    today = timezone.localdate()
    opened = client.post(_create(enquiry), _new_case(today))
    assert opened.status_code == 302
    case = Case.objects.get(service=team.service)
    enquiry.refresh_from_db()
    assert enquiry.case == case
    assert (case.parent.phone, case.parent.email) == ("01632 960123", "jo.bloggs@example.org")
    assert case.received_on == today - timedelta(days=2)


def test_a_professionals_name_is_not_taken_for_the_parents(client, team):
    enquiry = _enquiry(team, enquirer_type=EnquirerType.PROFESSIONAL, enquirer_name="Ann Senco")
    client.force_login(team.officer)
    page = client.get(_create(enquiry))
    assert page.context["parent_form"]["last_name"].value() in (None, "")
    assert "Ann Senco" in page.content.decode()  # shown beside, for the officer


def test_the_duplicate_search_starts_with_the_enquirers_name(client, team):
    known = factories.ParentFactory(service=team.service, first_name="Jo", last_name="Bloggs")
    factories.ParentFactory(service=team.service, first_name="Kim", last_name="Other")
    enquiry = _enquiry(team, enquirer_name="Mr Jo Bloggs")
    client.force_login(team.officer)
    page = client.get(_start(enquiry))
    assert page.status_code == 200
    assert page.context["form"]["q"].value() == "Jo Bloggs"
    assert list(page.context["parents"]) == [known]
    html = page.content.decode()
    assert 'value="Jo Bloggs"' in html
    assert f"?parent={known.pk}&amp;enquiry={enquiry.pk}" in html
    # The officer's own search replaces it, and an emptied box searches for nothing.
    assert list(client.get(_start(enquiry) + "&q=Other").context["parents"]) != [known]
    assert client.get(_start(enquiry) + "&q=").context["parents"] is None


def test_an_existing_parents_details_are_shown_beside_the_enquirys_not_overwritten(client, team):
    parent = factories.ParentFactory(
        service=team.service, first_name="Jo", last_name="Bloggs", phone="01632 000000"
    )
    enquiry = _enquiry(team)
    client.force_login(team.officer)
    page = client.get(_create(enquiry, parent=parent.pk))
    html = page.content.decode()
    assert "parent_form" not in page.context
    assert "01632 960123, jo.bloggs@example.org" in html  # the enquiry's
    assert "01632 000000" in html  # the record's
    assert reverse("casework:parent-edit", args=[parent.pk]) in html
    version = parent.version
    data = {
        "child-first_name": "Sam",
        "child-last_name": "Bloggs",
        "child-gender": "not_known",
        "child-sen_status": "sen",
        "case-officer": team.officer.pk,
        "case-bullying": "none",
        "case-unofficial_exclusion": "none",
        "case-official_exclusion": "none",
        "consent-confidentiality_explained_on": timezone.localdate().isoformat(),
    }
    assert client.post(_create(enquiry, parent=parent.pk), data).status_code == 302
    parent.refresh_from_db()
    assert (parent.phone, parent.email) == ("01632 000000", "")
    # The confidentiality date asked at opening is the one change, as a new version.
    assert parent.confidentiality_explained_on == timezone.localdate()
    assert parent.version == version + 1
    assert parent.history.count() == 2


def test_consent_and_the_confidentiality_explanation_are_saved_on_the_parent(client, team):
    enquiry = _enquiry(team)
    today = timezone.localdate()
    client.force_login(team.officer)
    data = _new_case(
        today,
        **{
            "consent-consent_recorded_on": (today - timedelta(days=1)).isoformat(),
            "consent-consent_details": "May speak to the school SENCO.",
            "consent-confidentiality_explained_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert client.post(_create(enquiry), data).status_code == 302
    parent = Parent.objects.get(service=team.service)
    assert parent.consent_recorded_on == today - timedelta(days=1)
    assert parent.consent_details == "May speak to the school SENCO."
    assert parent.confidentiality_explained_on == today - timedelta(days=1)


@pytest.mark.parametrize(
    ("changes", "form_errors"),
    [
        (
            {"consent-confidentiality_explained_on": ""},
            {
                "confidentiality_explained_on": [
                    "Explain the confidentiality policy to the parent and give the date: "
                    "casework starts with it."
                ]
            },
        ),
        (
            {"consent-consent_recorded_on": "TODAY"},
            {"consent_details": ["Say what may be shared, and with whom."]},
        ),
        (
            {"consent-consent_details": "The school"},
            {"consent_recorded_on": ["Give the date consent was recorded."]},
        ),
        (
            {"consent-confidentiality_explained_on": "TOMORROW"},
            {"confidentiality_explained_on": ["This date is in the future."]},
        ),
        (
            {"consent-consent_recorded_on": "TOMORROW", "consent-consent_details": "School"},
            {"consent_recorded_on": ["This date is in the future."]},
        ),
    ],
)
def test_missing_or_impossible_consent_is_shown_beside_its_field_and_opens_nothing(
    client, team, changes, form_errors
):
    enquiry = _enquiry(team)
    today = timezone.localdate()
    days = {"TODAY": today.isoformat(), "TOMORROW": (today + timedelta(days=1)).isoformat()}
    changes = {name: days.get(value, value) for name, value in changes.items()}
    client.force_login(team.officer)
    refused = client.post(_create(enquiry), _new_case(today, **changes))
    assert refused.status_code == 200
    consent_form = refused.context["consent_form"]
    assert consent_form.errors == form_errors
    field = next(iter(form_errors))
    html = refused.content.decode()
    assert f'id="id_consent-{field}"' in html and escape(form_errors[field][0]) in html
    assert not Case.objects.filter(service=team.service).exists()
    assert not Parent.objects.filter(service=team.service).exists()
    enquiry.refresh_from_db()
    assert enquiry.case is None


def test_a_parent_who_was_told_the_policy_before_is_not_asked_again(client, team):
    told = timezone.localdate() - timedelta(days=400)
    parent = factories.ParentFactory(service=team.service, confidentiality_explained_on=told)
    child = factories.ChildFactory(service=team.service)
    client.force_login(team.officer)
    url = reverse("casework:case-create") + f"?parent={parent.pk}&child={child.pk}"
    form = client.get(url).context["consent_form"]
    assert form["confidentiality_explained_on"].value() == told
    data = {
        "case-officer": team.officer.pk,
        "case-received_on": timezone.localdate().isoformat(),
        "case-bullying": "none",
        "case-unofficial_exclusion": "none",
        "case-official_exclusion": "none",
        "consent-confidentiality_explained_on": told.isoformat(),
    }
    version = parent.version
    assert client.post(url, data).status_code == 302
    parent.refresh_from_db()
    assert parent.version == version  # nothing changed on the parent, nothing written


def test_the_case_takes_the_parents_locality_unless_another_is_chosen(client, team):
    fenland, north = (
        Locality.objects.get(service=team.service, name=name) for name in ("Fenland", "North")
    )
    today = timezone.localdate()
    client.force_login(team.officer)
    # A new parent: the locality given for the parent, when the case's is left empty.
    first = _enquiry(team)
    data = _new_case(today, **{"parent-locality": fenland.pk})
    assert client.post(_create(first), data).status_code == 302
    parent = Parent.objects.get(service=team.service)
    assert Case.objects.get(parent=parent).locality == fenland
    # An existing parent: the case form starts at the parent's locality.
    url = reverse("casework:case-create") + f"?parent={parent.pk}"
    assert client.get(url).context["case_form"]["locality"].value() == fenland.pk
    # A locality chosen for the case is kept.
    second = _enquiry(team)
    data = {
        **{k: v for k, v in _new_case(today).items() if k.startswith(("child-", "case-"))},
        "child-first_name": "Alex",
        "case-officer": team.officer.pk,
        "case-locality": north.pk,
    }
    assert client.post(_create(second, parent=parent.pk), data).status_code == 302
    assert Case.objects.get(parent=parent, child__first_name="Alex").locality == north


def test_an_enquiry_is_converted_once(client, team):
    enquiry = _enquiry(team)
    today = timezone.localdate()
    client.force_login(team.officer)
    colleague = client.__class__()
    colleague.force_login(team.coordinator)
    # Both open the form; the first to send it converts the enquiry.
    assert colleague.get(_create(enquiry)).status_code == 200
    assert client.post(_create(enquiry), _new_case(today)).status_code == 302
    case = Case.objects.get(service=team.service)
    second = colleague.post(_create(enquiry), _new_case(today, **{"child-first_name": "Robin"}))
    assert second.status_code == 200
    assert f"already been converted to a case ({case.reference})" in second.content.decode()
    assert Case.objects.filter(service=team.service).count() == 1
    assert Parent.objects.filter(service=team.service).count() == 1
    # Asked again, the pages go back to the enquiry, which links to its case.
    for url in (_start(enquiry), _create(enquiry)):
        again = client.get(url)
        assert again.status_code == 302
        assert again["Location"] == reverse("casework:enquiry-detail", args=[enquiry.pk])
    page = client.get(reverse("casework:enquiry-detail", args=[enquiry.pk])).content.decode()
    assert f"already been converted to case {case.reference}" in page
    assert "Save and convert into a case" not in page


def test_another_services_enquiry_cannot_be_converted(client, team, other_team):
    theirs = _enquiry(other_team)
    client.force_login(team.officer)
    assert client.get(_start(theirs)).status_code == 404
    assert client.get(_create(theirs)).status_code == 404


def test_markup_in_the_enquirers_name_is_shown_as_text(client, team):
    name = '<script>alert("x")</script> <b>Bloggs</b>'
    enquiry = _enquiry(team, enquirer_name=name, enquirer_contact="<i>01632 960123</i>")
    parent = factories.ParentFactory(service=team.service)
    client.force_login(team.officer)
    for url in (_start(enquiry), _create(enquiry), _create(enquiry, parent=parent.pk)):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<b>Bloggs" not in html, url
        assert "<i>01632" not in html, url
        assert escape("<b>Bloggs</b>") in html, url


def test_the_conversion_pages_cost_the_same_queries_however_many_families_match(client, team):
    enquiry = _enquiry(team)
    client.force_login(team.officer)

    def counts():
        measured = []
        for url in (_start(enquiry), _create(enquiry)):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            measured.append(len(queries))
        return measured

    # One family matching as parent and as child, so that every list (and its prefetch) is
    # drawn from the start.
    factories.open_case(
        team.service,
        team.officer,
        parent=factories.ParentFactory(service=team.service, last_name="Bloggs", first_name="Jo"),
        child=factories.ChildFactory(service=team.service, last_name="Bloggs", first_name="Joey"),
    )
    few = counts()
    for _ in range(8):
        parent = factories.ParentFactory(service=team.service, first_name="Jo", last_name="Bloggs")
        factories.open_case(team.service, team.officer, parent=parent)
        factories.open_case(team.service, team.officer, parent=parent)
    assert counts() == few
    assert few[0] <= 12 and few[1] <= 20, few


def test_the_enquiry_stays_answered_by_the_opening(client, team):
    enquiry = _enquiry(team)
    assert Enquiry.objects.get(pk=enquiry.pk).first_response_on is None
    client.force_login(team.officer)
    assert client.post(_create(enquiry), _new_case(timezone.localdate())).status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.first_response_on == timezone.localdate()


def test_open_case_given_no_locality_takes_the_parents(team):
    fenland, north = (
        Locality.objects.get(service=team.service, name=name) for name in ("Fenland", "North")
    )
    parent = factories.ParentFactory(service=team.service, locality=fenland)
    assert factories.open_case(team.service, team.officer, parent=parent).locality == fenland
    chosen = factories.open_case(team.service, team.officer, parent=parent, locality=north)
    assert chosen.locality == north
    nowhere = factories.ParentFactory(service=team.service)
    assert factories.open_case(team.service, team.officer, parent=nowhere).locality is None
