"""Odd numbers in quality query strings, and a framework CSV with a quote left open."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quality.models import Framework
from tests.quality.factories import framework_csv, make_framework, make_plan

pytestmark = pytest.mark.django_db

ODD = ["²", "٣", "1²", "99999999999999999999"]


@pytest.mark.parametrize("odd", ODD)
def test_odd_version_and_update_numbers_show_the_latest(client, team, odd):
    version = make_framework(team.service)
    plan = make_plan(team, updates=3)
    client.force_login(team.coordinator)
    framework = client.get(
        reverse("quality:framework-detail", args=[version.framework_id]), {"version": odd}
    )
    assert framework.status_code == 200
    assert framework.context["version"] == version
    page = client.get(reverse("quality:plan-detail", args=[plan.pk]), {"update": odd})
    assert page.status_code == 200
    # "٣" is not update 3: only plain digits choose an update; anything else, the latest.
    assert page.context["chosen"].number == max(u.number for u in page.context["updates"])


def test_a_framework_csv_with_a_quote_left_open_is_refused_with_its_line(client, team):
    lines = framework_csv(4).splitlines()
    # Line 3 opens a quoted cell and never closes it: every line after would be swallowed
    # into that standard's text.
    lines[2] = lines[2].replace("Standard number 2", '"Standard number 2')
    client.force_login(team.coordinator)
    page = client.post(
        reverse("quality:framework-import"),
        {
            "name": "CSE",
            "scale": "Compliant, Partial, Non-compliant",
            "file": SimpleUploadedFile("cse.csv", "\n".join(lines).encode(), "text/csv"),
        },
    )
    assert page.status_code == 200
    assert page.context["form"].errors["file"] == [
        "Line 3: A cell on this line opens a quotation mark that is never closed: "
        "add the closing quote mark."
    ]
    assert not Framework.objects.filter(service=team.service, name="CSE").exists()


def test_line_numbers_after_a_cell_over_several_lines_are_the_file_lines(client, team):
    lines = framework_csv(3).splitlines()
    lines[1] = lines[1].replace("Standard number 1", '"Standard\nnumber 1"')
    lines[3] = lines[3].replace("Standard number 3", "")
    client.force_login(team.coordinator)
    page = client.post(
        reverse("quality:framework-import"),
        {
            "name": "CSE",
            "scale": "Compliant, Partial, Non-compliant",
            "file": SimpleUploadedFile("cse.csv", "\n".join(lines).encode(), "text/csv"),
        },
    )
    assert page.context["form"].errors["file"] == ["Line 5: Standard 1.3 has no text."]
