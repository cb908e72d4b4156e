"""The disclosure layer (reports/presenters.py, docs/reporting.md "Who sees what"): counts
from 1 to 4 are "fewer than 5", and a count that would give one away by subtraction is
hidden too, in every row and column, until no sum has a single unknown."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pps.disclosure import FEWER_THAN_5, HIDDEN, Line, hidden_cells, sees_exact_figures
from pps.roles import Role
from reports.presenters import Disclosure, suppress_counts

F5 = FEWER_THAN_5


class _Reader:
    def __init__(self, role):
        self.role = role


@pytest.mark.parametrize(
    ("role", "exact"),
    [
        (Role.COORDINATOR, True),
        (Role.CASE_OFFICER, True),
        (Role.ADMIN_SUPPORT, True),
        (Role.STEERING, False),
        (Role.NETWORK_ANALYST, False),
        (Role.VOLUNTEER, False),
        (None, False),
    ],
)
def test_only_paid_staff_see_exact_figures(role, exact):
    assert sees_exact_figures(_Reader(role)) is exact
    assert Disclosure.for_user(_Reader(role)).exact is exact


def test_anonymous_readers_never_see_exact_figures():
    assert sees_exact_figures(object()) is False


def test_eight_answered_six_yes_no_longer_gives_the_two_no_away():
    # Yes 6 + No 2 = 8 answered. No (2) is fewer than 5; with 8 and 6 shown it would be
    # 8 - 6 = 2, so Yes is hidden too; the base stays.
    shown = suppress_counts([[6], [2]], total_row=[8])
    assert shown.rows == ((HIDDEN,), (F5,))
    assert shown.total_row == (8,)
    # 6 of 8 is 75%: with 8 shown it would give the 6, and then the 2, back.
    assert shown.percent(75.0, (0, 0), (2, 0)) == HIDDEN
    assert shown.percent(25.0, (1, 0), (2, 0)) == Disclosure.HIDDEN


def test_coordinators_see_the_same_table_exactly():
    shown = Disclosure(exact=True).counts([[6], [2]], total_row=[8])
    assert shown.rows == ((6,), (2,))
    assert shown.total_row == (8,)
    assert shown.percent(75.0, (0, 0), (2, 0)) == "75%"
    assert not shown.hides_anything


def test_a_grid_is_suppressed_in_rows_and_columns_until_stable():
    # By hand (rows r0-r2, columns A-C, totals):
    #        A   B   C | T
    #  r0    9   3  10 | 22     3 is small: hide it; r0 then hides its next smallest, 9
    #  r1    7   8   6 | 21     column A (9 hidden) hides 7; column B (3) hides 5
    #  r2   12   5  11 | 28     r1 (7 hidden) hides 6; r2 (5 hidden) hides 11
    #  T    28  16  27 | 71     every row and column now has two hidden or none.
    shown = suppress_counts(
        [[9, 3, 10], [7, 8, 6], [12, 5, 11]],
        row_totals=[22, 21, 28],
        total_row=[28, 16, 27],
        grand_total=71,
    )
    assert shown.rows == (
        (HIDDEN, F5, 10),
        (HIDDEN, 8, HIDDEN),
        (12, HIDDEN, HIDDEN),
    )
    assert shown.row_totals == (22, 21, 28)
    assert shown.total_row == (28, 16, 27)
    assert shown.grand_total == 71
    assert shown.row(0) == (HIDDEN, F5, 10, 22)
    assert shown.row(3) == (28, 16, 27, 71)


def test_the_total_is_hidden_first_when_asked():
    # An event: 9 parents, 1 professional, 0 volunteers, 10 in all (and the same in the
    # total row). 10 - 9 - 0 would give the 1 away: the total goes, in both rows.
    shown = suppress_counts(
        [[9, 1, 0]],
        row_totals=[10],
        total_row=[9, 1, 0],
        grand_total=10,
        total_first=True,
    )
    assert shown.row(0) == (9, F5, 0, HIDDEN)
    assert shown.row(1) == (9, F5, 0, HIDDEN)


def test_without_a_total_a_lone_small_count_gives_nothing_away():
    shown = suppress_counts([[9, 1, 0]])
    assert shown.rows == ((9, F5, 0),)


def test_nought_is_shown_and_a_total_made_of_small_counts_is_small_itself():
    # 3 + 0 = 3: both 3s are fewer than 5, so the column already has two unknowns.
    shown = suppress_counts([[3], [0]], total_row=[3])
    assert shown.rows == ((F5,), (0,))
    assert shown.total_row == (F5,)


def test_when_no_part_is_left_the_total_goes():
    # Several-choice answers need not add up: 2 and 0 of 7 who answered. The only other
    # part is 0, so the 7 is hidden.
    shown = suppress_counts([[2], [0]], total_row=[7])
    assert shown.rows == ((F5,), (0,))
    assert shown.total_row == (HIDDEN,)


def test_a_nought_is_hidden_last_of_all():
    # Two cells that must show the same number (a year's carried forward, the next year's
    # brought forward) with 0 beside: the nought goes only when nothing else can.
    assert hidden_cells({"a": 2, "b": 0}, [Line(("a", "b"))]) == {"a", "b"}


def test_not_recorded_takes_no_part():
    # None (not recorded) is no count: 3 hidden, then 9 (the only other count) hidden.
    shown = suppress_counts([[None], [3], [9]], total_row=[12])
    assert shown.rows == (("not recorded",), (F5,), (HIDDEN,))
    assert shown.total_row == (12,)


def test_a_difference_is_a_line_too():
    # 20 brought forward + 6 new + 0 re-opened - 2 closed = 24 carried forward: the 2
    # would be 20 + 6 + 0 - 24. Hide the next smallest above 0, the 6.
    counts = {"forward": 20, "new": 6, "reopened": 0, "closed": 2, "carried": 24}
    line = Line(("forward", "new", "reopened", "closed", "carried"))
    shown = Disclosure(exact=False).cells(counts, [line])
    assert [shown[key] for key in counts] == [20, HIDDEN, 0, F5, 24]


def test_the_same_table_always_loses_the_same_cells():
    # Ties are broken by position: 6 and 6 beside a 2; the first 6 goes.
    shown = suppress_counts([[6], [6], [2]], total_row=[14])
    assert shown.rows == ((HIDDEN,), (6,), (F5,))


def test_rows_of_unequal_length_are_refused():
    with pytest.raises(ValueError, match="same number of cells"):
        suppress_counts([[1, 2], [3]])


def test_the_old_single_figure_rules_still_hold():
    steering = Disclosure(exact=False)
    assert steering.count(3) == F5
    assert steering.count(0) == 0
    assert steering.count(None) == "not recorded"
    assert steering.total(10, 9, 1) == Disclosure.HIDDEN
    assert steering.percent(50.0, 2, 4) == Disclosure.HIDDEN
    assert steering.percent(50.0, 6, 12) == "50%"


@st.composite
def grids(draw):
    height = draw(st.integers(1, 4))
    width = draw(st.integers(1, 4))
    rows = draw(
        st.lists(
            st.lists(st.integers(0, 12), min_size=width, max_size=width),
            min_size=height,
            max_size=height,
        )
    )
    return rows


@settings(max_examples=200, deadline=None)
@given(grids())
def test_no_sum_is_left_with_a_single_unknown(rows):
    totals = [sum(row) for row in rows]
    columns = [sum(column) for column in zip(*rows, strict=True)]
    shown = suppress_counts(rows, row_totals=totals, total_row=columns, grand_total=sum(totals))
    for line in shown.lines:
        cells = [*line.parts, *([line.total] if line.total is not None else [])]
        assert sum(cell in shown.hidden for cell in cells) != 1, (rows, line)
    # Every small count is hidden, and every hidden cell that is not small was needed.
    for key, count in shown.counts.items():
        if 0 < count < 5:
            assert key in shown.hidden


def test_every_hidden_count_can_take_several_values():
    # 2 x 2 with its sums shown: 2 is small; row 0 then hides 7, column 0 hides 6,
    # column 1 (7 hidden) hides 9. Every table of counts 0-20 with the same sums and a
    # first count from 1 to 4 fits: each hidden count could be any of several.
    rows = [[2, 7], [6, 9]]
    shown = suppress_counts(rows, row_totals=[9, 15], total_row=[8, 16], grand_total=24)
    assert shown.rows == ((F5, HIDDEN), (HIDDEN, HIDDEN))
    fits = [
        (a, b, c, d)
        for a, b, c, d in itertools.product(range(21), repeat=4)
        if 1 <= a <= 4 and a + b == 9 and c + d == 15 and a + c == 8 and b + d == 16
    ]
    for position in range(4):
        assert len({fit[position] for fit in fits}) == 4  # a = 1, 2, 3 or 4


# Through the pages: the event page and the steering group's event list.


def _event_answered(team, *, yes, no):
    """An event (9 parents, 1 professional, 0 volunteers: 10 in all) with yes + no forms
    handed out and all returned: every one "Met", `yes` would come again, `no` would not."""
    from django.utils import timezone

    from evaluations import actions
    from tests import factories
    from tests.evaluations import records

    event = factories.make_event(
        team.service,
        team.officer,
        parents_attending=9,
        professionals_attending=1,
        volunteers_attending=0,
        cleared_for_steering=True,
    )
    form = records.form_of(team.service, "event")
    printed = actions.hand_out_forms(event=event, form=form, count=yes + no, by=team.officer)
    today = timezone.localdate()
    for n, (sending, _link) in enumerate(printed):
        records.answer(
            sending, team.officer, today, needs_met="Met", attend_again="Yes" if n < yes else "No"
        )
    return event


AGAIN = "Would you come to another of our events?"


@pytest.mark.django_db
def test_the_event_page_no_longer_gives_the_two_away(client, team):
    import re

    event = _event_answered(team, yes=6, no=2)
    client.force_login(team.steering)
    page = client.get(event.get_absolute_url()).content.decode()
    # 8 handed out, 8 returned; 8 answered: Yes 6 (hidden: 8 - 6 would be the 2), No
    # fewer than 5; both percentages hidden.
    assert "Forms handed out or sent: 8; returned: 8 (return rate 100%)." in page
    table = re.search(rf"<caption>{re.escape(AGAIN)}</caption>.*?</table>", page, re.S).group(0)
    assert '<th scope="col" class="text-end">% of 8 who answered</th>' in table
    assert (
        '<th scope="row">Yes</th><td class="text-end">hidden</td>'
        '<td class="text-end">hidden</td>' in table
    )
    assert (
        '<th scope="row">No</th><td class="text-end">fewer than 5</td>'
        '<td class="text-end">hidden (fewer than 5)</td>' in table
    )
    assert "75%" not in table and "25%" not in table
    # The table says why, under it.
    assert "a count shown as “hidden” would give such a count away by subtraction" in page
    # 9 + fewer than 5 + 0 would give the professional away if 10 were shown.
    assert "parents: 9, professionals: fewer than 5, volunteers: 0 (hidden in all)" in page

    client.force_login(team.officer)
    page = client.get(event.get_absolute_url()).content.decode()
    table = re.search(rf"<caption>{re.escape(AGAIN)}</caption>.*?</table>", page, re.S).group(0)
    assert '<th scope="row">Yes</th><td class="text-end">6</td><td class="text-end">75%</td>' in (
        table
    )
    assert "9 parents, 1 professional, 0 volunteers (10 in all)" in page
    assert "by subtraction" not in page


@pytest.mark.django_db
def test_the_steering_event_list_hides_the_total_beside_a_small_count(client, team):
    import re

    from django.urls import reverse

    _event_answered(team, yes=5, no=0)
    client.force_login(team.steering)
    listing = client.get(reverse("evaluations:event-list")).content.decode()
    cells = re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", listing)
    # Parents 9, professionals fewer than 5, volunteers 0, total hidden (not 10).
    assert "fewer than 5" in cells and "hidden" in cells
    assert "10" not in cells


def test_feedback_by_topic_and_by_type_are_suppressed_as_one_table():
    from reports.presenters import feedback_tables
    from reports.queries.feedback import FeedbackSummary, TopicRow

    # By hand: access 2 complaints (total 2); staff 7 complaints, 6 compliments (13);
    # received by type 9, 6, 0. The 2s are small. The complaints column then hides 7,
    # the staff row hides 6, and the compliments column (6 beside a 0) its total:
    # 6 received would be the staff's 6, 13 - 6 the 7, and 9 - 7 the 2.
    summary = FeedbackSummary(
        kinds=("Complaint", "Compliment", "Suggestion"),
        by_kind=(9, 6, 0),
        with_improvement=(3, 0, 0),
        by_topic=(TopicRow("Access", (2, 0, 0), 2), TopicRow("Staff", (7, 6, 0), 13)),
        improvements=(),
        total=15,
    )
    by_kind, by_topic = feedback_tables(summary, Disclosure(exact=False))
    assert by_topic.rows == (
        ("Access", F5, 0, 0, F5),
        ("Staff", HIDDEN, HIDDEN, 0, 13),
    )
    assert by_kind.rows == (
        ("Complaint", 9, F5),
        ("Compliment", HIDDEN, 0),
        ("Suggestion", 0, 0),
    )
    exact_kind, exact_topic = feedback_tables(summary, Disclosure(exact=True))
    assert exact_topic.rows[1] == ("Staff", 7, 6, 0, 13)
    assert exact_kind.rows[1] == ("Compliment", 6, 0)


def test_the_overview_hides_what_the_movements_would_give_away():
    from decimal import Decimal

    from reports.periods import academic_year
    from reports.queries.casework import CaseMovements, ContactFigures
    from reports.queries.volunteers import IpsActivity
    from reports.views import _casework_table

    first, second = academic_year(2023, 9), academic_year(2024, 9)
    rows = [
        # 20 + 6 + 0 - 2 = 24: the 2 closed is small, so the 6 new goes too.
        (
            first,
            CaseMovements(20, 6, 0, 2, 24, 26),
            ContactFigures(45, 5, 12.5),
            IpsActivity(3, Decimal("7.25")),
        ),
        # 24 + 10 + 1 - 12 = 23: the 1 re-opened is small, so the 10 new (the smallest
        # above 0 left) goes; 24 brought forward is the year before's 24 carried forward.
        (
            second,
            CaseMovements(24, 10, 1, 12, 23, 35),
            ContactFigures(3, 0, 1.0),
            IpsActivity(6, Decimal(20)),
        ),
    ]
    table = _casework_table(rows, second, Disclosure(exact=False))
    assert table.header == ("Figure", first.label, second.label)
    assert table.rows == (
        ("Cases brought forward", 20, 24),
        ("New cases", HIDDEN, HIDDEN),
        ("Re-opened cases", 0, F5),
        ("Cases closed", F5, 12),
        ("Cases carried forward", 24, 23),
        ("Casework total (cases open during the year)", 26, 35),
        ("Contacts (casework and substantial enquiries)", 50, F5),
        # Hours beside a count of 1 to 4 would be one or two people's.
        ("Office hours (staff casework)", 12.5, HIDDEN),
        ("IPS volunteers active during the year", F5, 6),
        ("IPS casework hours (monthly returns)", HIDDEN, Decimal(20)),
    )
    exact = _casework_table(rows, second, Disclosure(exact=True))
    assert exact.rows[1] == ("New cases", 6, 10)
    assert exact.rows[7] == ("Office hours (staff casework)", 12.5, 1.0)
