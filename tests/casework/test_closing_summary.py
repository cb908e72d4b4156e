"""Closing a case asks for a closing summary, through real requests: required, kept to a
sensible length, shown on the case page and in the timeline's closing event
(docs/domain.md, "Cases and case events")."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.actions import CLOSING_SUMMARY_MAX
from casework.enums import CaseEventKind, CaseStatus
from casework.models import CaseEvent
from tests import factories

pytestmark = pytest.mark.django_db


def _close(client, case, **changes):
    data = {
        "on": timezone.localdate().isoformat(),
        "reason": "resolved",
        "outcome": "resolved",
        "summary": "Helped Mrs Shah prepare for the annual review; the school agreed a plan.",
    } | changes
    return client.post(reverse("casework:case-close", args=[case.pk]), data)


def test_a_case_closes_with_its_summary_shown_on_the_page_and_in_the_timeline(client, team):
    case = factories.open_case(
        team.service, team.officer, opened_on=timezone.localdate() - timedelta(days=20)
    )
    client.force_login(team.officer)
    form = client.get(reverse("casework:case-close", args=[case.pk])).content.decode()
    assert 'name="summary"' in form
    summary = "Helped <Mrs> Shah & the school agree a plan.\nNo further action."
    assert _close(client, case, summary=f"  {summary}  ").status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closing_summary) == (CaseStatus.CLOSED, summary)
    closing = CaseEvent.objects.get(case=case, kind=CaseEventKind.CLOSED)
    assert closing.closing_summary == summary
    html = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    escaped = "Helped &lt;Mrs&gt; Shah &amp; the school agree a plan.\nNo further action."
    assert (
        f'<p class="mb-0"><strong>Closing summary:</strong> <span class="note">{escaped}</span></p>'
        in html
    )
    assert f'(resolved)</p><p class="note mb-0">{escaped}</p></li>' in html
    assert "<Mrs>" not in html


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        ("", "Write a closing summary: what was done and the outcome."),
        ("   ", "Write a closing summary: what was done and the outcome."),
        (
            "x" * (CLOSING_SUMMARY_MAX + 1),
            "Keep the summary to 2,000 characters (it has 2,001): the case notes hold the detail.",
        ),
    ],
)
def test_a_missing_or_overlong_summary_is_refused_beside_the_field(client, team, summary, message):
    case = factories.open_case(team.service, team.officer)
    client.force_login(team.officer)
    refused = _close(client, case, summary=summary)
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"summary": [message]}
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert not CaseEvent.objects.filter(case=case, kind=CaseEventKind.CLOSED).exists()


def test_a_summary_of_the_maximum_length_is_taken(client, team):
    case = factories.open_case(team.service, team.officer)
    client.force_login(team.officer)
    assert _close(client, case, summary="y" * CLOSING_SUMMARY_MAX).status_code == 302


def test_reopening_clears_the_cases_summary_and_the_old_closing_keeps_its_own(client, team):
    case = factories.open_case(
        team.service, team.officer, opened_on=timezone.localdate() - timedelta(days=20)
    )
    client.force_login(team.officer)
    _close(client, case, summary="First closing.")
    reopened = client.post(
        reverse("casework:case-reopen", args=[case.pk]), {"on": timezone.localdate().isoformat()}
    )
    assert reopened.status_code == 302
    case.refresh_from_db()
    assert case.closing_summary == ""
    html = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    assert "Closing summary:" not in html
    assert '<p class="note mb-0">First closing.</p>' in html
