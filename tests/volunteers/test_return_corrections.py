"""Monthly returns through real requests: a volunteer corrects a return until the
coordinator locks its month; returns carry miles and expenses (docs/domain.md, "Volunteers
and training")."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from volunteers.forms import recent_months
from volunteers.models import MonthlyReturn, ReturnMonthLock

pytestmark = pytest.mark.django_db


def _last_month():
    return recent_months(timezone.localdate(), 1)[0]


def _figures(**changes):
    return {
        "phone_hours": "3.5",
        "meeting_hours": "2",
        "paperwork_hours": "1",
        "tribunal_hours": "0",
        "miles": "42.5",
        "expenses": "12.40",
    } | changes


def _send(client, month, **changes):
    return client.post(
        reverse("volunteers:my-returns"), {"month": month.isoformat(), **_figures(**changes)}
    )


def test_a_return_carries_miles_and_expenses_and_both_may_be_left_empty(client, team):
    month = _last_month()
    client.force_login(team.volunteer)
    assert _send(client, month).status_code == 302
    saved = MonthlyReturn.objects.get(volunteer=team.volunteer_record)
    assert (saved.miles, saved.expenses) == (Decimal("42.5"), Decimal("12.40"))
    assert saved.total_hours == Decimal("6.5")
    earlier = recent_months(timezone.localdate(), 2)[1]
    assert _send(client, earlier, miles="", expenses="").status_code == 302
    empty = MonthlyReturn.objects.get(volunteer=team.volunteer_record, month=earlier)
    assert (empty.miles, empty.expenses) == (Decimal(0), Decimal(0))
    page = client.get(reverse("volunteers:my-returns")).content.decode()
    assert '<td class="text-end">42.5</td><td class="text-end">£12.40</td>' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("expenses", "-1.00", "Expenses cannot be negative."),
        ("miles", "-3", "Miles cannot be negative."),
        ("expenses", "12.345", "Ensure that there are no more than 2 decimal places."),
        ("expenses", "lots", "Enter a number."),
    ],
)
def test_bad_miles_or_expenses_are_refused_beside_the_field(client, team, field, value, message):
    client.force_login(team.volunteer)
    refused = _send(client, _last_month(), **{field: value})
    assert refused.status_code == 200
    assert refused.context["form"].errors == {field: [message]}
    assert MonthlyReturn.objects.count() == 0


def test_a_volunteer_corrects_a_return_until_the_month_is_locked(client, team):
    month = _last_month()
    client.force_login(team.volunteer)
    _send(client, month)
    sent = MonthlyReturn.objects.get(volunteer=team.volunteer_record)
    url = reverse("volunteers:my-return-correct", args=[sent.pk])
    page = client.get(reverse("volunteers:my-returns")).content.decode()
    assert f'<a href="{url}">Correct {month:%B %Y}</a>' in page
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"]["phone_hours"].value() == Decimal("3.50")

    corrected = client.post(url, _figures(phone_hours="5", expenses="0"))
    assert corrected.status_code == 302
    sent.refresh_from_db()
    assert (sent.phone_hours, sent.expenses, sent.miles) == (
        Decimal("5.00"),
        Decimal("0.00"),
        Decimal("42.5"),
    )
    assert sent.corrected_at is not None
    # What it replaced is kept.
    assert [h.phone_hours for h in sent.history.order_by("history_id")] == [
        Decimal("3.50"),
        Decimal("5.00"),
    ]

    # The coordinator locks the month: the correction is refused, nothing changes.
    client.force_login(team.coordinator)
    locked = client.post(
        reverse("volunteers:returns-locks"), {"month": month.isoformat(), "action": "lock"}
    )
    assert locked.status_code == 302
    lock = ReturnMonthLock.objects.get()
    assert (lock.service, lock.month, lock.locked_by) == (team.service, month, team.coordinator)

    client.force_login(team.volunteer)
    page = client.get(reverse("volunteers:my-returns")).content.decode()
    assert url not in page
    assert "<td>Locked</td>" in page
    shown = client.get(url)
    assert "Your coordinator has locked" in shown.content.decode()
    assert "<form" not in shown.content.decode().split("<main", 1)[-1].split("</main>")[0]
    refused = client.post(url, _figures(phone_hours="9"))
    assert refused.status_code == 400
    assert refused.context["form"].non_field_errors() == [
        f"Your coordinator has locked {month:%B %Y}: ask them to unlock it to send or "
        "correct a return for it."
    ]
    sent.refresh_from_db()
    assert sent.phone_hours == Decimal("5.00")

    # Unlocked, the volunteer can correct it again.
    client.force_login(team.coordinator)
    client.post(
        reverse("volunteers:returns-locks"), {"month": month.isoformat(), "action": "unlock"}
    )
    assert ReturnMonthLock.objects.count() == 0
    client.force_login(team.volunteer)
    assert client.post(url, _figures(phone_hours="9")).status_code == 302
    sent.refresh_from_db()
    assert sent.phone_hours == Decimal("9.00")


def test_no_return_can_be_sent_for_a_locked_month(client, team):
    month = _last_month()
    client.force_login(team.coordinator)
    client.post(reverse("volunteers:returns-locks"), {"month": month.isoformat(), "action": "lock"})
    client.force_login(team.volunteer)
    refused = _send(client, month)
    assert refused.status_code == 200
    assert refused.context["form"].errors["month"] == [
        f"Your coordinator has locked {month:%B %Y}: ask them to unlock it to send or "
        "correct a return for it."
    ]
    assert MonthlyReturn.objects.count() == 0


def test_the_locks_page_lists_months_with_their_returns_and_locks(
    client, team, django_assert_max_num_queries
):
    month, earlier = recent_months(timezone.localdate(), 2)
    colleague = factories.make_volunteer(team.service)
    for volunteer in (team.volunteer_record, colleague):
        MonthlyReturn.objects.create(service=team.service, volunteer=volunteer, month=month)
    client.force_login(team.coordinator)
    url = reverse("volunteers:returns-locks")
    client.post(url, {"month": earlier.isoformat(), "action": "lock"})
    with django_assert_max_num_queries(12):
        page = client.get(url)
    rows = {row[0]: (row[1], row[2]) for row in page.context["rows"]}
    assert len(rows) == 13
    assert rows[month] == (2, None)
    assert rows[earlier][0] == 0
    assert rows[earlier][1].locked_by == team.coordinator
    html = page.content.decode()
    assert f'<td>{month:%B %Y}</td><td class="text-end">2</td><td>Open</td>' in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"action": "unlock"}, "month", "is not locked."),
        ({"action": "lock", "twice": True}, "month", "is already locked."),
    ],
)
def test_a_lock_that_cannot_be_done_is_refused_beside_the_month(client, team, data, field, message):
    month = _last_month()
    client.force_login(team.coordinator)
    url = reverse("volunteers:returns-locks")
    if data.pop("twice", False):
        client.post(url, {"month": month.isoformat(), "action": "lock"})
    before = ReturnMonthLock.objects.count()
    refused = client.post(url, {"month": month.isoformat(), **data})
    assert refused.status_code == 400
    assert refused.context["form"].errors == {field: [f"{month:%B %Y} {message}"]}
    assert ReturnMonthLock.objects.count() == before


def test_a_volunteer_cannot_correct_anothers_return(client, team, other_team):
    colleague = factories.make_volunteer(team.service)
    theirs = MonthlyReturn.objects.create(
        service=team.service, volunteer=colleague, month=_last_month()
    )
    client.force_login(team.volunteer)
    url = reverse("volunteers:my-return-correct", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _figures()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.phone_hours == Decimal(0)
