"""The shipped code lists speak today's SEND vocabulary; the pre-2014 terms stay valid on old
records and in reports but are not offered on a new record's form (docs/domain.md,
"Records"). Through real requests, and the data migration for existing services."""

import importlib
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.urls import reverse

from casework.codelists import CONTACT_REASONS, RETIRED_CONTACT_REASONS
from casework.models import Case, ContactReason
from tests import factories

pytestmark = pytest.mark.django_db


class _Options(HTMLParser):
    """The options (label, selected) offered by each select and checkbox group."""

    def __init__(self):
        super().__init__()
        self.options, self.select, self.label_for, self.inputs = {}, None, None, {}
        self._text = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.select = attrs["name"]
            self.options[self.select] = []
        elif tag == "option" and self.select:
            self._text = ["", "selected" in attrs]
        elif tag == "input" and attrs.get("type") == "checkbox":
            self.inputs[attrs.get("id")] = (attrs["name"], "checked" in attrs)
        elif tag == "label" and attrs.get("for") in self.inputs:
            self.label_for = attrs["for"]
            self._text = ["", self.inputs[self.label_for][1]]

    def handle_data(self, data):
        if self._text is not None:
            self._text[0] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._text is not None:
            self.options[self.select].append((self._text[0].strip(), self._text[1]))
            self._text = None
        elif tag == "label" and self.label_for:
            name = self.inputs[self.label_for][0]
            self.options.setdefault(name, []).append((self._text[0].strip(), self._text[1]))
            self._text, self.label_for = None, None
        elif tag == "select":
            self.select = None


def _offered(html):
    parser = _Options()
    parser.feed(html)
    return parser.options


def test_a_new_service_ships_todays_terms_and_the_old_ones_retired(team):
    reasons = ContactReason.objects.filter(service=team.service)
    assert list(reasons.filter(active=True).values_list("name", flat=True)) == CONTACT_REASONS
    assert list(reasons.filter(active=False).values_list("name", flat=True)) == list(
        RETIRED_CONTACT_REASONS
    )
    for term in ("EHC needs assessment", "EHC plan", "SEN support", "SEND Tribunal"):
        assert any(term in name for name in CONTACT_REASONS), term


def test_a_new_case_is_offered_todays_terms_only(client, team):
    client.force_login(team.officer)
    offered = _offered(client.get(reverse("casework:case-create")).content.decode())
    for field in ("case-primary_reason", "case-secondary_reasons"):
        labels = [label for label, _selected in offered[field] if label != "---------"]
        assert labels == CONTACT_REASONS, field
    stages = [label for label, _selected in offered["child-sen_stage"]]
    assert stages == ["None recorded", "SEN support", "EHC needs assessment", "EHC plan"]


def test_an_old_case_keeps_its_retired_terms_and_is_offered_no_other(client, team):
    retired = ContactReason.objects.get(service=team.service, name="Tribunal appeal")
    also = ContactReason.objects.get(service=team.service, name="Statutory assessment queries")
    child = factories.ChildFactory(service=team.service, sen_stage="statement")
    case = factories.open_case(team.service, team.officer, child=child, primary_reason=retired)
    case.secondary_reasons.add(also)
    client.force_login(team.officer)
    offered = _offered(client.get(reverse("casework:case-edit", args=[case.pk])).content.decode())
    primary = [label for label, _selected in offered["primary_reason"] if label != "---------"]
    assert primary == [*CONTACT_REASONS, "Tribunal appeal"]
    assert ("Tribunal appeal", True) in offered["primary_reason"]
    secondary = [label for label, _selected in offered["secondary_reasons"]]
    assert secondary == [*CONTACT_REASONS, "Statutory assessment queries"]
    stages = _offered(client.get(reverse("casework:child-edit", args=[child.pk])).content.decode())[
        "sen_stage"
    ]
    assert stages == [
        ("None recorded", False),
        ("Statement (historic)", True),
        ("SEN support", False),
        ("EHC needs assessment", False),
        ("EHC plan", False),
    ]
    # The case page and the case list still name the retired reason.
    page = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    assert "Tribunal appeal" in page


def test_a_retired_stage_posted_for_a_new_child_is_refused(client, team):
    client.force_login(team.officer)
    refused = client.post(
        reverse("casework:case-create"),
        {
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
            "child-sen_stage": "school_action_plus",
            "case-officer": team.officer.pk,
            "case-bullying": "none",
            "case-unofficial_exclusion": "none",
            "case-official_exclusion": "none",
        },
    )
    assert refused.status_code == 200
    assert refused.context["child_form"].errors == {
        "sen_stage": [
            "Select a valid choice. school_action_plus is not one of the available choices."
        ]
    }
    assert not Case.objects.exists()


def _migration():
    return importlib.import_module("casework.migrations.0013_current_send_vocabulary")


def test_the_migration_retires_an_existing_services_old_terms_in_place(team, other_team):
    """As a service made before the change had its list: the old terms active, no new ones.
    The other service renamed one old term and already has one successor."""
    successors = _migration().SUCCESSORS
    for service in (team.service, other_team.service):
        ContactReason.objects.filter(service=service, name__in=successors.values()).delete()
        for old, new in successors.items():
            # Where the old term stood, the place its successor takes now.
            ContactReason.objects.filter(service=service, name=old).update(
                active=True, position=CONTACT_REASONS.index(new)
            )
    statement = ContactReason.objects.get(
        service=other_team.service, name="Provision for a child with a statement or EHC plan"
    )
    statement.name = "Statement provision"
    statement.save()
    ContactReason.objects.create(
        service=other_team.service, name="SEND Tribunal appeal", position=40
    )
    old_case = factories.open_case(
        team.service,
        team.officer,
        primary_reason=ContactReason.objects.get(service=team.service, name="Tribunal appeal"),
    )

    _migration().retire_old_terms(apps, None)

    ours = ContactReason.objects.filter(service=team.service)
    assert list(ours.filter(active=True).values_list("name", flat=True)) == CONTACT_REASONS
    tribunal = ours.get(name="Tribunal appeal")
    assert (tribunal.active, tribunal.version) == (False, 2)
    assert ours.get(name="SEND Tribunal appeal").position == tribunal.position
    old_case.refresh_from_db()
    assert old_case.primary_reason == tribunal
    theirs = ContactReason.objects.filter(service=other_team.service)
    assert theirs.get(name="Statement provision").active
    assert not theirs.filter(name="Provision in an EHC plan").exists()
    assert theirs.filter(name="SEND Tribunal appeal").count() == 1
    assert not theirs.get(name="Tribunal appeal").active
