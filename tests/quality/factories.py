"""Quality records made through the actions the product uses."""

import datetime as dt

from django.core.files.base import ContentFile

from quality import actions
from quality.models import ActionItem, Framework, Level, SteeringSeat

SCALE = ["Best practice", "Good practice", "Non-compliant"]


def framework_csv(count: int, theme_count: int = 1, text="Standard") -> str:
    lines = ["theme_code,theme_title,standard_code,standard_text"]
    for n in range(1, count + 1):
        theme = (n - 1) % theme_count + 1
        lines.append(f"{theme},Theme {theme},{theme}.{n},{text} number {n}")
    return "\n".join(lines) + "\n"


def make_framework(service, *, count=3, name="Test standards", by=None, text="Standard"):
    version, _ = actions.import_framework(
        service=service, name=name, scale=SCALE, text=framework_csv(count, text=text), by=by
    )
    return version


def shipped(service, key):
    framework = Framework.objects.get(service=service, shipped_key=key)
    return actions.latest_version(framework)


def rate_all(assessment, label="Good practice", evidence="Evidence"):
    level = Level.objects.get(version=assessment.version, label=label)
    for rating in assessment.ratings.all():
        rating.level = level
        rating.evidence = evidence
        rating.save()


def make_assessment(team, *, final=False, count=3, on=None, version=None):
    version = version or make_framework(team.service, count=count)
    assessment = actions.start_assessment(
        service=team.service,
        version=version,
        title="Self-assessment",
        assessed_on=on or dt.date(2025, 11, 3),
        by=team.coordinator,
    )
    if final:
        rate_all(assessment)
        actions.finalise_assessment(assessment=assessment, by=team.coordinator)
    return assessment


def make_plan(team, *, updates=0):
    plan = actions.start_plan(
        service=team.service,
        version=shipped(team.service, "dcsf-exemplars-2007"),
        start_year=2025,
        title="Development plan 2025/26",
        by=team.coordinator,
    )
    for n in range(updates):
        actions.record_plan_update(
            plan=plan, made_on=dt.date(2025, 10 + n, 1), note="", by=team.coordinator
        )
    return plan


def make_review(team, **fields):
    fields.setdefault("kind", "health_check")
    fields.setdefault("reviewed_on", dt.date(2009, 4, 1))
    fields.setdefault("assessor", "Martin Brewis")
    fields.setdefault("result", "Ongoing compliance with the Charter Mark Standard.")
    return actions.start_review(
        service=team.service,
        version=shipped(team.service, "charter-mark"),
        by=team.coordinator,
        **fields,
    )


def make_figure(team, key="compliments"):
    rating = make_assessment(team).ratings.first()
    return actions.link_figure(rating=rating, key=key)


def make_document(team):
    rating = make_assessment(team).ratings.first()
    return actions.attach_document(
        rating=rating,
        title="Complaints policy",
        file=ContentFile(b"Our policy", name="policy.txt"),
        by=team.coordinator,
    )


def make_action_item(team):
    review = make_review(team)
    return ActionItem.objects.create(
        service=team.service,
        review=review,
        standard=review.version.standards.get(code="6.2.4"),
        status="raised",
        finding="No clear evidence that community involvement is monitored.",
    )


def make_seat(team, member_type="parent", joined_on=dt.date(2024, 9, 1), left_on=None):
    return SteeringSeat.objects.create(
        service=team.service, member_type=member_type, joined_on=joined_on, left_on=left_on
    )


def make_generated_document(team):
    """A built self-assessment PDF without personal data (so both readers see it)."""
    from pps.documents import build_document, request_document
    from quality.documents import ASSESSMENT_PDF

    assessment = make_assessment(team, final=True)
    document = request_document(
        service=team.service,
        kind=ASSESSMENT_PDF,
        parameters={"assessment": assessment.pk, "public": True},
        title="Self-assessment (PDF)",
        holds_personal_data=False,
        by=team.steering,
    )
    build_document.call(team.service.pk, document.pk)
    return document
