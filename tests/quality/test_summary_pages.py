"""The published complaints/compliments/suggestions summary, steering group seats, and
query counts that do not grow with the number of standards."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import Feedback
from quality import actions
from quality.models import ActionItem
from tests.quality.factories import make_assessment, make_framework, make_seat, rate_all

pytestmark = pytest.mark.django_db


def feedback(team, kind, about, improvement="", publishable=True, on=dt.date(2025, 2, 3)):
    Feedback.objects.create(
        service=team.service,
        kind=kind,
        about=about,
        received_on=on,
        channel="email",
        from_name="Eleanor Whitcombe-Vane",
        summary="Private words of the complainant",
        response="Private reply",
        improvement=improvement,
        publishable=publishable,
    )


def test_the_feedback_summary_is_publishable_and_hides_small_numbers_from_steering(
    client, team, other_team
):
    for _ in range(6):
        feedback(team, "compliment", "staff")
    feedback(team, "complaint", "access", "Lift key kept at reception")
    feedback(team, "complaint", "access", "Private improvement", publishable=False)
    feedback(other_team, "complaint", "staff", "Their improvement")
    query = {"start": "2024-09-01", "end": "2025-08-31"}
    client.force_login(team.steering)
    page = client.get(reverse("quality:feedback-summary"), query)
    html = page.content.decode()
    assert page.context["by_kind"] == [
        ("Complaint", 2, 2),
        ("Compliment", 6, 0),
        ("Suggestion", 0, 0),
    ]
    assert '<td class="text-end">fewer than 5</td>' in html
    assert '<td class="text-end">6</td>' in html
    assert "Lift key kept at reception" in html
    for secret in (
        "Whitcombe-Vane",
        "Private words",
        "Private reply",
        "Private improvement",
        "Their improvement",
    ):
        assert secret not in html
    client.force_login(team.coordinator)
    html = client.get(reverse("quality:feedback-summary"), query).content.decode()
    assert '<td class="text-end">2</td>' in html
    export = client.get(reverse("quality:feedback-summary-export"), query)
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    lines = export.content.decode("utf-8-sig").splitlines()
    # The export is the one for publishing: small numbers hidden even for the coordinator.
    assert lines[:7] == [
        '"Complaints, compliments and suggestions",1 September 2024 to 31 August 2025',
        "For publishing: counts from 1 to 4 are shown as “fewer than 5” and a count "
        "that would give one away by subtraction as “hidden”.",
        "",
        "Type,Received,With a resulting improvement",
        "Complaint,fewer than 5,fewer than 5",
        "Compliment,6,0",
        "Suggestion,0,0",
    ]
    assert lines[-1] == "Complaint,Access,Lift key kept at reception"
    client.force_login(team.steering)
    steering_export = client.get(reverse("quality:feedback-summary-export"), query)
    assert "Complaint,fewer than 5,fewer than 5" in steering_export.content.decode("utf-8-sig")
    client.force_login(team.coordinator)
    bad = client.get(
        reverse("quality:feedback-summary"), {"start": "2025-08-31", "end": "2024-09-01"}
    )
    message = "The last day must be on or after the first day."
    assert bad.context["form"].errors == {"end": [message]}


def test_steering_group_seats_count_the_members_of_today(client, team):
    make_seat(team, "parent")
    make_seat(team, "parent")
    make_seat(team, "parent", left_on=dt.date(2025, 1, 1))
    make_seat(team, "chair")
    client.force_login(team.coordinator)
    page = client.get(reverse("quality:steering-group"))
    assert page.context["current_total"] == 3
    assert dict(page.context["current"])["Parent or carer"] == 2
    response = client.post(
        reverse("quality:steering-group"),
        {"member_type": "health", "joined_on": "2025-01-01", "left_on": "2024-01-01"},
    )
    assert response.context["form"].errors == {"left_on": ["A member leaves after joining."]}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def plan_with_two_updates(team, version):
    """A plan of `version` whose every entry changed between its two updates."""
    plan = actions.start_plan(
        service=team.service,
        version=version,
        start_year=2025,
        title="Plan",
        by=team.coordinator,
    )
    for n, day in enumerate((dt.date(2025, 10, 1), dt.date(2025, 11, 1))):
        for entry in plan.entries.all():
            entry.evidence = f"Evidence at update {n + 1}"
            entry.progress = f"Progress at update {n + 1}"
            entry.save()
        actions.record_plan_update(plan=plan, made_on=day, note="", by=team.coordinator)
    return plan


def review_with_actions(team, version):
    """A review of `version` banded throughout, with an action item per element."""
    review = actions.start_review(
        service=team.service,
        version=version,
        by=team.coordinator,
        kind="health_check",
        reviewed_on=dt.date(2025, 4, 1),
        assessor="Assessor",
        result="Result",
    )
    level = version.levels.first()
    for band in review.bands.all():
        band.level = level
        band.save()
    for standard in version.standards.all():
        ActionItem.objects.create(
            service=team.service,
            review=review,
            standard=standard,
            status="raised",
            finding="Finding",
        )
    return review


def test_pages_issue_the_same_number_of_queries_for_3_and_60_standards(client, team):
    counts = {}
    for size in (3, 60):
        version = make_framework(team.service, count=size, name=f"{size} standards")
        assessment = make_assessment(team, version=version)
        for rating in assessment.ratings.all()[:2]:
            actions.link_figure(rating=rating, key="compliments")
        rate_all(assessment)
        earlier = make_assessment(team, version=version, on=dt.date(2024, 11, 4))
        rate_all(earlier, label="Non-compliant")
        plan = plan_with_two_updates(team, version)
        review = review_with_actions(team, version)
        client.force_login(team.coordinator)
        plan_url = reverse("quality:plan-detail", args=[plan.pk])
        pages = {
            "assessment": reverse("quality:assessment-detail", args=[assessment.pk]),
            "print": reverse("quality:assessment-print", args=[assessment.pk]),
            "rating": reverse("quality:rating-edit", args=[assessment.ratings.first().pk]),
            "index": reverse("quality:index"),
            "compare": reverse("quality:assessment-compare", args=[assessment.pk])
            + f"?other={earlier.pk}",
            "plan with changes": f"{plan_url}?update=2&changes=1",
            "plan working copy": f"{plan_url}?update=working",
            "review": reverse("quality:review-detail", args=[review.pk]),
            "framework": reverse("quality:framework-detail", args=[version.framework_id]),
        }
        counts[size] = {name: count_queries(client, url) for name, url in pages.items()}
    # The index lists every framework, assessment, plan and review: the same number of
    # queries however many there are (the second round adds one of each).
    assert counts[3] == counts[60]
    assert counts[60]["assessment"] <= 14
