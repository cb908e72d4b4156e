"""Backup and restore (pps/backup.py): a round trip gives back every row of every table."""

import datetime as dt
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_scopes import scopes_disabled

from casework.actions import send_correspondence
from casework.enums import LetterKind
from casework.models import LetterTemplate
from demo.generate import generate
from pps.backup import backed_up_models
from quality import actions as quality_actions
from tests import factories
from tests.conftest import make_team
from tests.quality.factories import make_assessment, make_plan, make_review, make_seat

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> dict[str, list[dict]]:
    """Every row of every backed-up table, many-to-many link tables included."""
    tables = {}
    with scopes_disabled():
        for model in backed_up_models():
            tables[model._meta.label] = list(model._base_manager.order_by("pk").values())
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                tables[through._meta.label] = list(through.objects.order_by("pk").values())
    return tables


def fill(tmp_path) -> tuple:
    """Two services with records in (nearly) every table, uploaded files among them."""
    generate(
        today=dt.date(2026, 11, 20),
        years=1,
        cases_per_year=12,
        contacts_per_case=3,
        enquiries_per_year=12,
    )
    north, south = make_team("Northshire PPS"), make_team("Southshire PPS")
    for team in (north, south):
        case = factories.open_case(team.service, team.officer)
        factories.log_contact(case, team.officer)
        factories.add_document(team.officer, case=case, content=team.service.name.encode())

        # A letter from a template: its copy and its PDF are backed up too.
        send_correspondence(
            case=case,
            by=team.officer,
            kind=LetterKind.LETTER,
            subject="Welcome",
            body="Dear parent,",
            minutes=5,
            template=LetterTemplate.objects.create(
                service=team.service, name="Welcome", body="Dear [parent name],"
            ),
        )
        factories.record_enquiry(team.service, team.officer)
        factories.send_form(team.service, team.officer, case=case, name=str(case.parent))
        factories.make_event(team.service, team.coordinator)
        make_plan(team, updates=1)
        make_review(team)
        make_seat(team)
        rating = make_assessment(team).ratings.first()
        quality_actions.attach_document(
            rating=rating,
            title="Policy",
            file=ContentFile(f"{team.service.name} policy".encode(), name="policy.txt"),
            by=team.coordinator,
        )
    return north, south


def _read_access(client, team):
    # A page of personal data writes an access-log row: the log is backed up too.
    case = factories.open_case(team.service, team.officer)
    client.force_login(team.officer)
    assert client.get(reverse("casework:case-detail", args=[case.pk])).status_code == 200


def _empty_the_database_and_media(media):
    call_command("flush", "--no-input", verbosity=0)
    for path in sorted(media.rglob("*"), reverse=True):
        if path.is_file():
            path.unlink()
        else:
            path.rmdir()
    assert all(not rows for rows in snapshot().values())


def test_a_whole_installation_round_trips_table_by_table(client, settings, tmp_path):
    settings.MEDIA_ROOT = media = tmp_path / "media"
    north, _south = fill(tmp_path)
    _read_access(client, north)
    before = snapshot()
    empty = sorted(label for label, rows in before.items() if not rows)
    # Nearly every table has rows, so the comparison below means something.
    assert len(empty) <= len(before) // 5, empty
    documents = {row["file"] for row in before["quality.Document"]}
    documents |= {row["file"] for row in before["casework.CaseDocument"]}
    assert len(documents) == 4

    backup = tmp_path / "all.zip"
    call_command("backup", "--all", "--output", str(backup), verbosity=0)
    with zipfile.ZipFile(backup) as archive:
        assert {f"media/{name}" for name in documents} <= set(archive.namelist())

    _empty_the_database_and_media(media)
    call_command("restore", str(backup), verbosity=0)

    after = snapshot()
    assert after.keys() == before.keys()
    for label in before:
        assert len(after[label]) == len(before[label]), label
        assert after[label] == before[label], label
    for name in documents:
        assert (media / name).exists()
    # New rows get new ids after the restored ones (the sequences were moved on).
    assert factories.open_case(north.service, north.officer).pk > max(
        row["id"] for row in before["casework.Case"]
    )


def test_one_service_round_trips_without_the_other(client, settings, tmp_path):
    settings.MEDIA_ROOT = media = tmp_path / "media"
    north, south = fill(tmp_path)
    _read_access(client, south)
    before = snapshot()
    backup = tmp_path / "north.zip"
    call_command("backup", "--service", str(north.service.pk), "--output", str(backup))

    _empty_the_database_and_media(media)
    call_command("restore", str(backup), verbosity=0)
    after = snapshot()

    kept_ids: dict[str, set] = {}
    for label, rows in before.items():
        if rows and "service_id" in rows[0]:
            expected = [r for r in rows if r["service_id"] in (north.service.pk, None)]
        elif label == "pps.Service" or label == "pps.HistoricalService":
            expected = [r for r in rows if r["id"] == north.service.pk]
        else:
            continue
        assert after[label] == expected, label
        kept_ids[label] = {r["id"] for r in expected}
    service_ids = {
        row["service_id"] for rows in after.values() for row in rows if "service_id" in row
    }
    assert service_ids <= {north.service.pk, None}
    assert [r["name"] for r in after["pps.Service"]] == ["Northshire PPS"]
    usernames = {r["username"] for r in after["pps.User"]}
    assert "northshire-officer" in usernames and "southshire-officer" not in usernames
    (document,) = after["quality.Document"]
    assert (media / document["file"]).read_bytes() == b"Northshire PPS policy"


def test_restore_refuses_a_database_that_is_not_empty(team, tmp_path):
    backup = tmp_path / "all.zip"
    call_command("backup", "--all", "--output", str(backup), verbosity=0)
    with pytest.raises(CommandError, match="already holds records"):
        call_command("restore", str(backup), verbosity=0)
    # And a backup never overwrites a file.
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", "--all", "--output", str(backup), verbosity=0)
    with pytest.raises(CommandError, match="no service with id"):
        call_command("backup", "--service", "999999", "--output", str(tmp_path / "x.zip"))
