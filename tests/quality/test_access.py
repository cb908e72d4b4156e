"""Only coordinators change standards work; refused writes change nothing; services that
existed before the quality app get the shipped frameworks from its data migration."""

import importlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quality.enums import AssessmentStatus
from quality.models import Framework, Level
from tests.quality.factories import framework_csv, make_assessment, make_plan, shipped

pytestmark = pytest.mark.django_db


def test_refused_writes_change_nothing(client, team):
    assessment = make_assessment(team)
    rating = assessment.ratings.first()
    best = Level.objects.get(version=assessment.version, label="Best practice")
    plan = make_plan(team)
    version = shipped(team.service, "charter-mark")
    for user in (team.steering, team.officer, team.support, team.volunteer):
        client.force_login(user)
        posts = [
            (
                reverse("quality:rating-edit", args=[rating.pk]),
                {"level": best.pk, "evidence": "X", "version": rating.version},
            ),
            (reverse("quality:rating-figure", args=[rating.pk]), {"key": "compliments"}),
            (reverse("quality:assessment-finalise", args=[assessment.pk]), {}),
            (reverse("quality:plan-update", args=[plan.pk]), {"made_on": "2025-10-01"}),
            (
                reverse("quality:framework-revise", args=[version.framework_id]),
                {"based_on": "1", "note": "X"},
            ),
            (
                reverse("quality:framework-import"),
                {
                    "name": "CSE",
                    "scale": "A, B",
                    "file": SimpleUploadedFile("cse.csv", framework_csv(2).encode()),
                },
            ),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code == 403, (user.role, url)
    rating.refresh_from_db()
    assessment.refresh_from_db()
    assert (rating.level, rating.figures.count(), assessment.status) == (
        None,
        0,
        AssessmentStatus.DRAFT,
    )
    assert plan.updates.count() == 0
    assert version.framework.versions.count() == 1
    assert not Framework.objects.filter(name="CSE").exists()


def test_the_data_migration_installs_frameworks_for_services_without_them(team, other_team):
    Framework.objects.filter(service=team.service).delete()
    migration = importlib.import_module("quality.migrations.0002_install_shipped_frameworks")
    migration.install(apps, None)
    assert Framework.objects.filter(service=team.service).count() == 4
    assert Framework.objects.filter(service=other_team.service).count() == 4
    assert shipped(team.service, "dcsf-exemplars-2007").standards.count() == 17
