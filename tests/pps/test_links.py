"""pps.links.record_url gives the address reverse() gives, for every route the templates
link with it, under a script prefix too; anything but an integer key goes to reverse()."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from pps.links import record_url

ROOT = Path(settings.BASE_DIR)
# Every route linked through it: in templates ({% record_url 'name' ... %}) and in the
# code (record_url("name", ...), record_urls("name")).
ROUTES = sorted(
    {
        name
        for path in (ROOT / "templates").rglob("*.html")
        for name in re.findall(r"\{% record_url '([^']+)'", path.read_text())
    }
    | {
        name
        for package in ROOT.iterdir()
        if (package / "__init__.py").exists() and package.name != "tests"
        for path in package.rglob("*.py")
        for name in re.findall(r"record_urls?\(\s*\"([^\"]+)\"", path.read_text())
    }
)
KEYS = (1, 42, 2147483646)


def test_the_templates_use_it():
    assert {"casework:case-detail", "evaluations:event-detail", "casework:correspondence"} <= set(
        ROUTES
    )
    assert len(ROUTES) >= 12


@pytest.mark.parametrize("name", ROUTES)
def test_every_route_linked_with_it_reverses_as_reverse_does(name):
    for pk in KEYS:
        assert record_url(name, pk) == reverse(name, args=[pk])


def test_under_a_script_prefix():
    set_script_prefix("/service/")
    try:
        assert record_url("casework:case-detail", 7) == "/service/cases/7/"
        assert record_url("casework:case-detail", 7) == reverse("casework:case-detail", args=[7])
    finally:
        set_script_prefix("/")
    assert record_url("casework:case-detail", 7) == "/cases/7/"


def test_anything_but_an_integer_key_goes_to_reverse():
    assert record_url("casework:case-detail", "7") == reverse("casework:case-detail", args=["7"])
    with pytest.raises(NoReverseMatch):
        record_url("casework:case-detail", "seven")
    # <int:pk> takes digits alone: no address for a negative key or a bool, as reverse().
    for key in (-7, True):
        with pytest.raises(NoReverseMatch):
            reverse("casework:case-detail", args=[key])
        with pytest.raises(NoReverseMatch):
            record_url("casework:case-detail", key)
    with pytest.raises(NoReverseMatch):
        record_url("casework:no-such-page", 7)


def test_the_template_tag_prints_what_url_prints():
    template = engines["django"].from_string(
        "{% load pps %}{% record_url 'casework:case-detail' pk %}|"
        "{% url 'casework:case-detail' pk %}"
    )
    ours, django = template.render({"pk": 12}).split("|")
    assert ours == django == "/cases/12/"
