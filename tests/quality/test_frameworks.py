"""Shipped frameworks, CSV import (all or nothing, no duplicates) and versioning."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quality import actions
from quality.models import Framework, FrameworkVersion, Standard
from tests.quality.factories import SCALE, framework_csv, make_assessment, shipped

pytestmark = pytest.mark.django_db


def test_every_new_service_gets_its_own_copy_of_the_shipped_frameworks(team, other_team):
    mine = {f.shipped_key: f for f in Framework.objects.filter(service=team.service)}
    assert set(mine) == {
        "dcsf-exemplars-2007",
        "national-service-standards-2012",
        "regional-benchmarking-standards",
        "charter-mark",
    }
    dcsf = shipped(team.service, "dcsf-exemplars-2007")
    assert dcsf.themes.count() == 8
    assert dcsf.standards.count() == 17
    assert list(dcsf.levels.order_by("-rank").values_list("label", flat=True)) == [
        "Best practice",
        "Good practice",
        "Minimum practice",
        "Non-compliant",
    ]
    national = shipped(team.service, "national-service-standards-2012")
    codes = list(national.standards.values_list("code", flat=True))
    assert codes[0] == "1a" and codes[-1] == "6e" and len(codes) == 34
    regional = shipped(team.service, "regional-benchmarking-standards")
    codes = list(regional.standards.values_list("code", flat=True))
    assert codes[0] == "1.1.1" and codes[-1] == "7.6" and len(codes) == 66
    charter = shipped(team.service, "charter-mark")
    assert list(charter.themes.values_list("code", flat=True)) == ["1", "2", "3", "4", "5", "6"]
    assert list(charter.standards.values_list("code", flat=True)) == [
        "1.3.3",
        "1.3.4",
        "4.2.3",
        "4.3.4",
        "4.3.5",
        "6.2.4",
    ]
    assert list(charter.levels.order_by("-rank").values_list("label", flat=True)) == [
        "Best practice",
        "Full compliance",
        "Partial compliance",
        "Major non-compliance",
    ]
    theirs = shipped(other_team.service, "dcsf-exemplars-2007")
    assert theirs.pk != dcsf.pk and theirs.service_id == other_team.service.pk


def test_a_good_file_imports_every_standard(team):
    version, created = actions.import_framework(
        service=team.service,
        name="Customer Service Excellence",
        scale=SCALE,
        text="\ufeff" + framework_csv(5, theme_count=2),
        by=team.coordinator,
    )
    assert created and version.number == 1
    assert list(version.themes.values_list("code", "title")) == [("1", "Theme 1"), ("2", "Theme 2")]
    # Standards are grouped by theme, themes in the order they first appear.
    assert list(version.standards.values_list("code", "theme__code")) == [
        ("1.1", "1"),
        ("1.3", "1"),
        ("1.5", "1"),
        ("2.2", "2"),
        ("2.4", "2"),
    ]


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_line(team):
    text = (
        "theme_code,theme_title,standard_code,standard_text\n"
        "1,Customer insight,1.1,Good row\n"
        ",Customer insight,1.2,No theme\n"
        "1,Customer insight,1.1,Code used twice\n"
        "1,Another title,1.3,Theme retitled\n"
        "1,Customer insight,1.4,\n"
        "1,Customer insight,1.5\n"
        "2,Culture,2.1,Good row\n"
    )
    before = Standard.objects.count()
    with pytest.raises(ValidationError) as caught:
        actions.import_framework(
            service=team.service, name="CSE", scale=SCALE, text=text, by=team.coordinator
        )
    assert caught.value.message_dict["file"] == [
        "Line 3: The theme code is empty.",
        "Line 4: Standard code 1.1 is already used on line 2.",
        "Line 5: Theme 1 is titled “Customer insight” on an earlier line, “Another title” here.",
        "Line 6: Standard 1.4 has no text.",
        "Line 7: Expected 4 columns, found 3.",
    ]
    assert Standard.objects.count() == before
    assert not Framework.objects.filter(name="CSE").exists()


def test_a_wrong_header_is_line_1(team):
    with pytest.raises(ValidationError) as caught:
        actions.import_framework(
            service=team.service, name="CSE", scale=SCALE, text="code,text\n1,A\n", by=None
        )
    assert caught.value.message_dict["file"] == [
        "Line 1: The first row must be the header: "
        "theme_code,theme_title,standard_code,standard_text."
    ]


def test_importing_the_same_file_twice_makes_nothing_new_and_a_changed_file_a_new_version(team):
    def run(text):
        return actions.import_framework(
            service=team.service, name="CSE", scale=SCALE, text=text, by=team.coordinator
        )

    first, created = run(framework_csv(3))
    again, created_again = run(framework_csv(3))
    assert created and not created_again and again.pk == first.pk
    changed, created_changed = run(framework_csv(3, text="Reworded"))
    assert created_changed and changed.number == 2
    assert FrameworkVersion.objects.filter(framework=first.framework).count() == 2
    assert first.standards.get(code="1.1").text == "Standard number 1"
    assert changed.standards.get(code="1.1").text == "Reworded number 1"


def test_editing_wording_makes_a_new_version_and_old_assessments_keep_theirs(team, other_team):
    version = shipped(team.service, "charter-mark")
    assessment = make_assessment(team, version=version)
    new = actions.revise_framework(
        based_on=version,
        theme_titles={"4": "Continuous improvement"},
        standard_texts={"4.3.5": "Publish complaints, compliments and suggestions by type"},
        note="Official wording",
        by=team.coordinator,
    )
    assert new.number == 2 and new.note == "Official wording"
    assert new.standards.get(code="4.3.5").text == (
        "Publish complaints, compliments and suggestions by type"
    )
    assert new.themes.get(code="4").title == "Continuous improvement"
    assert new.standards.count() == version.standards.count()
    assessment.refresh_from_db()
    assert assessment.version_id == version.pk
    assert version.standards.get(code="4.3.5").text.startswith("Information on the number")
    theirs = shipped(other_team.service, "charter-mark")
    assert theirs.number == 1
    assert theirs.standards.get(code="4.3.5").text.startswith("Information on the number")


def test_an_edit_of_an_older_version_is_refused(team):
    version = shipped(team.service, "charter-mark")
    actions.revise_framework(
        based_on=version, theme_titles={}, standard_texts={"1.3.3": "New"}, note="", by=None
    )
    with pytest.raises(ValidationError, match="newer version"):
        actions.revise_framework(
            based_on=version, theme_titles={}, standard_texts={"1.3.4": "Other"}, note="", by=None
        )
    with pytest.raises(ValidationError, match="Nothing has changed"):
        actions.revise_framework(
            based_on=actions.latest_version(version.framework),
            theme_titles={},
            standard_texts={},
            note="",
            by=None,
        )


def test_the_import_page_lists_bad_lines_beside_the_file(client, team):
    client.force_login(team.coordinator)
    bad = b"theme_code,theme_title,standard_code,standard_text\n1,T,1.1,\n"
    response = client.post(
        reverse("quality:framework-import"),
        {
            "name": "CSE",
            "scale": "Compliant, Partial, Non-compliant",
            "file": SimpleUploadedFile("cse.csv", bad, content_type="text/csv"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Line 2: Standard 1.1 has no text."]
    good = SimpleUploadedFile("cse.csv", framework_csv(4).encode(), content_type="text/csv")
    response = client.post(
        reverse("quality:framework-import"),
        {"name": "CSE", "scale": "Compliant, Partial, Non-compliant", "file": good},
        follow=True,
    )
    framework = Framework.objects.get(service=team.service, name="CSE")
    assert response.redirect_chain[-1][0] == reverse(
        "quality:framework-detail", args=[framework.pk]
    )
    assert "Imported 4 standards as version 1." in response.content.decode()


def test_the_revise_page_saves_a_new_version(client, team):
    version = shipped(team.service, "charter-mark")
    client.force_login(team.coordinator)
    url = reverse("quality:framework-revise", args=[version.framework_id])
    page = client.get(url)
    assert "Saving makes version 2;" in page.content.decode()
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    standard = version.standards.get(code="6.2.4")
    data[f"standard_{standard.pk}"] = "Community involvement is monitored and evaluated"
    data["based_on"] = "1"
    response = client.post(url, data)
    assert response.status_code == 302
    latest = actions.latest_version(version.framework)
    assert latest.number == 2
    assert latest.standards.get(code="6.2.4").text == (
        "Community involvement is monitored and evaluated"
    )
    stale = client.post(url, data)
    assert stale.status_code == 200
    assert "Someone saved a newer version" in stale.content.decode()


def post_import(client, content: bytes, scale="Compliant, Partial, Non-compliant"):
    return client.post(
        reverse("quality:framework-import"),
        {
            "name": "CSE",
            "scale": scale,
            "file": SimpleUploadedFile("cse.csv", content, content_type="text/csv"),
        },
    )


def test_unreadable_files_and_scales_get_a_message_beside_the_field(client, team):
    client.force_login(team.coordinator)
    good = framework_csv(3)
    with_nul = good.replace("Standard number 2", "Standard\x00 number 2")
    response = post_import(client, with_nul.encode())
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Line 3: The line contains a NUL character: save the file as “CSV UTF-8” text."
    ]
    huge = good + "1,Theme 1,1.9," + "x" * 200_000 + "\n1,Theme 1,1.10,After\n"
    response = post_import(client, huge.encode())
    assert response.context["form"].errors["file"] == [
        "Line 5: A cell is longer than 131,072 characters."
    ]
    long_text = good + "1,Theme 1,1.9," + "x" * 5000 + "\n"
    response = post_import(client, long_text.encode())
    assert response.context["form"].errors["file"] == [
        "Line 5: The standard text is longer than 4,000 characters."
    ]
    response = post_import(client, good.encode(), scale="Met, " + "Not met " * 10)
    assert response.context["form"].errors["scale"] == [
        "A level's name can be at most 60 characters; longer: “Not met Not met Not met Not me…”."
    ]
    assert not Framework.objects.filter(name="CSE").exists()
    with pytest.raises(ValidationError) as caught:
        actions.import_framework(
            service=team.service, name="CSE", scale=["Met", "N" * 61], text=good, by=None
        )
    assert list(caught.value.message_dict) == ["scale"]


def test_a_version_number_that_is_not_a_number_is_not_a_server_error(client, team):
    version = shipped(team.service, "charter-mark")
    client.force_login(team.coordinator)
    detail = reverse("quality:framework-detail", args=[version.framework_id])
    assert client.get(detail, {"version": "²"}).context["version"] == version
    assert client.get(detail, {"version": "9" * 5000}).context["version"] == version
    assert client.get(detail, {"version": "7"}).status_code == 404
    revise = reverse("quality:framework-revise", args=[version.framework_id])
    assert client.get(revise, {"based_on": "²"}).status_code == 404
    assert client.post(revise, {"based_on": "²", "note": "X"}).status_code == 404
    assert version.framework.versions.count() == 1
