"""The volunteer register's search, filters and sorting: the exact rows on the page, in
order, and who is left out."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pps.models import Locality
from tests import factories
from volunteers.models import Volunteer, VolunteerRole, VolunteerStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(client, team, other_team):
    today = timezone.localdate()
    north, south = (
        Locality.objects.get(service=team.service, name=name) for name in ("North", "South")
    )

    def volunteer(first, last, languages, localities, **fields):
        made = factories.make_volunteer(team.service, languages=languages, **fields)
        Volunteer.objects.filter(pk=made.pk).update(first_name=first, last_name=last)
        made.localities.set(localities)
        return made

    # The team's own volunteer is on the register too: named here so that the order is known.
    Volunteer.objects.filter(pk=team.volunteer_record.pk).update(
        first_name="Viv", last_name="Young", languages="", dbs_renewal_due_on=None
    )
    volunteers = {
        "V": team.volunteer_record,
        "A": volunteer("Asha", "Begum", "Bengali, Urdu", [north], dbs_renewal_due_on=today),
        "B": volunteer(
            "Bob",
            "Urquhart",
            "",
            [south],
            status=VolunteerStatus.IN_TRAINING,
            dbs_renewal_due_on=today + dt.timedelta(days=400),
        ),
        "C": volunteer("Cai", "Jones", "Welsh", [north, south], role=VolunteerRole.OTHER),
    }
    # Another service's volunteer matching every search is never listed.
    elsewhere = factories.make_volunteer(other_team.service, languages="Urdu")
    Volunteer.objects.filter(pk=elsewhere.pk).update(first_name="Asha")
    letter_of = {volunteer.pk: letter for letter, volunteer in volunteers.items()}
    client.force_login(team.coordinator)

    def rows(**params):
        if "locality" in params:
            params["locality"] = {"North": north.pk, "South": south.pk}[params["locality"]]
        page = client.get(reverse("volunteers:register"), params)
        assert page.status_code == 200
        return "".join(letter_of.get(row.record.pk, "?") for row in page.context["table"].page)

    return rows


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "ABCV"),  # by first name
        ({"q": "asha"}, "A"),
        ({"q": "urdu"}, "A"),  # a language
        ({"q": "Urquhart"}, "B"),  # a surname ("Urdu" is not in it)
        ({"q": "u"}, "ABV"),  # Urdu, Urquhart, Young
        ({"q": "Nobody"}, ""),
        ({"role": "other"}, "C"),
        ({"role": "ips"}, "ABV"),
        ({"status": "in_training"}, "B"),
        ({"status": "active"}, "ACV"),
        ({"locality": "North"}, "AC"),
        ({"locality": "South"}, "BC"),
        ({"dbs_due": "true"}, "A"),
        ({"dbs_due": "false"}, "BCV"),
    ],
)
def test_the_register_shows_the_matches_and_only_them(listed, params, expected):
    assert listed(**params) == expected


@pytest.mark.parametrize(("sort", "expected"), [("name", "ABCV"), ("-name", "VCBA")])
def test_the_register_sorts_by_name_both_ways(listed, sort, expected):
    assert listed(sort=sort) == expected
