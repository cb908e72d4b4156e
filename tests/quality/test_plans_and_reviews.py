"""Development plans (updates kept, changes highlighted, next year's copy) and external
reviews (bands, action plan carried forward and closed)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from quality import actions
from quality.enums import ActionStatus
from quality.models import ActionItem, ExternalReview, PlanEntry, SteeringSeat
from quality.queries import plan_update_rows
from quality.textdiff import word_diff
from tests.quality.factories import make_framework, make_plan, make_review

pytestmark = pytest.mark.django_db


def test_word_diff_marks_inserted_and_removed_words_readably():
    assert word_diff("Termly report to PPSG", "Termly report to PPSG") == "Termly report to PPSG"
    assert word_diff("Lottery bid in progress.", "Lottery bid submitted <soon>.") == (
        'Lottery bid <del><span class="visually-hidden">removed: </span>in progress.</del>'
        '<ins><span class="visually-hidden">added: </span>submitted &lt;soon&gt;.</ins>'
    )
    assert word_diff("", "New text") == (
        '<ins><span class="visually-hidden">added: </span>New text</ins>'
    )


def edit(plan, code, **words):
    entry = PlanEntry.objects.get(plan=plan, standard__code=code)
    for name, value in words.items():
        setattr(entry, name, value)
    entry.save()


def test_every_update_is_kept_and_the_changes_since_the_last_are_marked(client, team):
    plan = make_plan(team)
    edit(plan, "1.1", activities="Continue to look at ways to fund area workers.", progress="")
    first = actions.record_plan_update(
        plan=plan, made_on=dt.date(2025, 10, 1), note="", by=team.coordinator
    )
    edit(plan, "1.1", progress="Lottery bid submission in progress.")
    edit(plan, "2.1", current_level="good practice")
    second = actions.record_plan_update(
        plan=plan, made_on=dt.date(2026, 2, 1), note="Spring", by=team.coordinator
    )
    assert [u.number for u in plan.updates.all()] == [1, 2]
    assert first.entries.get(standard__code="1.1").progress == ""
    assert second.entries.get(standard__code="1.1").progress == (
        "Lottery bid submission in progress."
    )
    rows = plan_update_rows(second, first, show_changes=True)
    assert [row.standard.code for row in rows if row.changed] == ["1.1", "2.1"]
    progress = dict(next(r for r in rows if r.standard.code == "1.1").fields)["Progress"]
    assert progress == (
        '<ins><span class="visually-hidden">added: </span>Lottery bid submission in progress.</ins>'
    )

    client.force_login(team.steering)
    url = reverse("quality:plan-detail", args=[plan.pk])
    page = client.get(url, {"update": "2", "changes": "1"}).content.decode()
    assert "Changes since Update 1 of 1 October 2025: 2 standards changed." in page
    assert '<ins><span class="visually-hidden">added: </span>good practice</ins>' in page
    plain = client.get(url).content.decode()
    assert "<ins>" not in plain and "Lottery bid submission in progress." in plain
    assert client.get(url, {"update": "working"}).context["show_working"] is False
    assert client.get(url, {"update": "9"}).status_code == 404
    # Not a number (a superscript two is a digit int() refuses): the latest update, no error.
    assert client.get(url, {"update": "²"}).context["chosen"] == second


def test_steering_never_sees_a_plan_without_an_update(client, team):
    plan = make_plan(team)
    client.force_login(team.steering)
    assert client.get(reverse("quality:plan-detail", args=[plan.pk])).status_code == 404
    client.force_login(team.coordinator)
    assert client.get(reverse("quality:plan-detail", args=[plan.pk])).context["show_working"]


def test_an_update_cannot_be_dated_before_the_last_one(client, team):
    plan = make_plan(team, updates=1)
    client.force_login(team.coordinator)
    response = client.post(
        reverse("quality:plan-update", args=[plan.pk]), {"made_on": "2025-09-01", "note": ""}
    )
    assert response.status_code == 400
    assert response.context["update_form"].errors == {
        "made_on": ["The last update was of 1 October 2025: date this one after it."]
    }
    assert plan.updates.count() == 1


def test_editing_an_entry_keeps_its_history_and_refuses_a_stale_save(client, team):
    plan = make_plan(team)
    entry = PlanEntry.objects.get(plan=plan, standard__code="3.2")
    client.force_login(team.coordinator)
    url = reverse("quality:plan-entry-edit", args=[entry.pk])
    data = {
        "current_level": "best practice as regards quality",
        "activities": "Plan & deliver 2 x 5.5 day IPS training courses",
        "objectives": "Recruit, plan and run IPS course in spring and autumn",
        "timescales": ["medium", "long"],
        "comments": "",
        "monitoring": "External OCN moderator",
        "evidence": "IPS on the register",
        "progress": "",
        "version": entry.version,
    }
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert entry.timescales == "Medium term, Long term"
    assert entry.evidence == "IPS on the register"
    assert entry.history.count() == 2
    stale = client.post(url, {**data, "progress": "Mine"})
    assert "Saved by someone else meanwhile" in stale.content.decode()
    entry.refresh_from_db()
    assert entry.progress == ""


def test_next_years_plan_starts_as_a_copy(client, team):
    plan = make_plan(team)
    edit(plan, "3.2", activities="IPS courses", objectives="Recruit", timescales="Short term")
    client.force_login(team.coordinator)
    response = client.post(
        reverse("quality:plan-copy", args=[plan.pk]),
        {"start_year": "2026", "title": "Development plan 2026/27"},
    )
    assert response.status_code == 302
    copy = type(plan).objects.get(title="Development plan 2026/27")
    assert (copy.start_year, copy.copied_from) == (2026, plan)
    entry = copy.entries.get(standard__code="3.2")
    assert (entry.activities, entry.objectives, entry.timescales) == (
        "IPS courses",
        "Recruit",
        "Short term",
    )
    assert copy.entries.count() == 17
    assert copy.updates.count() == 0


def test_a_review_carries_open_items_forward_and_records_bands(client, team):
    earlier = make_review(team, reviewed_on=dt.date(2008, 4, 1))
    for code, status in [("4.3.4", "raised"), ("1.3.3", "raised"), ("4.2.3", "closed")]:
        ActionItem.objects.create(
            service=team.service,
            review=earlier,
            standard=earlier.version.standards.get(code=code),
            status=status,
            finding=f"Finding on {code}",
        )
    review = make_review(team, reviewed_on=dt.date(2009, 4, 1), previous=earlier)
    carried = list(
        review.actions.order_by("standard__position").values_list("standard__code", "status")
    )
    assert carried == [
        ("1.3.3", ActionStatus.CARRIED_FORWARD),
        ("4.3.4", ActionStatus.CARRIED_FORWARD),
    ]
    assert review.bands.count() == 6
    with pytest.raises(ValidationError) as caught:
        make_review(team, reviewed_on=dt.date(2007, 4, 1), previous=earlier)
    assert caught.value.message_dict == {
        "reviewed_on": ["Date this review after the previous one."]
    }

    client.force_login(team.coordinator)
    item = review.actions.get(standard__code="1.3.3")
    response = client.post(
        reverse("quality:action-edit", args=[item.pk]),
        {
            "standard": item.standard_id,
            "status": "closed",
            "finding": item.finding,
            "progress": "The website is now completely revamped.",
            "version": item.version,
        },
    )
    assert response.status_code == 302
    bands = {band.standard.code: band for band in review.bands.select_related("standard")}
    full = review.version.levels.get(label="Full compliance")
    partial = review.version.levels.get(label="Partial compliance")
    data = {f"band_{band.pk}": str(full.pk) for band in bands.values()}
    data[f"band_{bands['4.3.5'].pk}"] = str(partial.pk)
    assert client.post(reverse("quality:review-bands", args=[review.pk]), data).status_code == 302
    client.force_login(team.steering)
    page = client.get(reverse("quality:review-detail", args=[review.pk]))
    groups = dict(page.context["action_groups"])
    assert [i.standard.code for i in groups["Closed at this review"]] == ["1.3.3"]
    assert [i.standard.code for i in groups["Carried forward from the previous review"]] == [
        "4.3.4"
    ]
    assert [(b.standard.code, b.level.label) for b in page.context["bands"]][-2:] == [
        ("4.3.5", "Partial compliance"),
        ("6.2.4", "Full compliance"),
    ]
    assert "The website is now completely revamped." in page.content.decode()


def test_next_years_copy_leaves_last_years_progress_behind(team):
    plan = make_plan(team)
    edit(
        plan,
        "3.2",
        activities="IPS courses",
        evidence="IPS on the register",
        progress="Met: 3 new volunteers recruited",
    )
    copy = actions.start_plan(
        service=team.service,
        version=plan.version,
        start_year=2026,
        title="Development plan 2026/27",
        by=team.coordinator,
        copy_of=plan,
    )
    entry = copy.entries.get(standard__code="3.2")
    assert (entry.activities, entry.evidence, entry.progress) == (
        "IPS courses",
        "IPS on the register",
        "",
    )


def test_a_review_refuses_to_drop_open_items_the_new_version_has_no_element_for(team):
    first = make_framework(team.service, count=3, name="Health check")
    earlier = actions.start_review(
        service=team.service,
        version=first,
        by=team.coordinator,
        kind="health_check",
        reviewed_on=dt.date(2008, 4, 1),
        assessor="Martin Brewis",
        result="Partial compliances",
    )
    for code in ("1.3", "1.1"):
        ActionItem.objects.create(
            service=team.service,
            review=earlier,
            standard=first.standards.get(code=code),
            status="raised",
            finding=f"Finding on {code}",
        )
    second = make_framework(team.service, count=2, name="Health check")  # no 1.3
    assert second.number == 2
    with pytest.raises(ValidationError) as caught:
        actions.start_review(
            service=team.service,
            version=second,
            by=team.coordinator,
            kind="health_check",
            reviewed_on=dt.date(2009, 4, 1),
            assessor="Martin Brewis",
            result="Ongoing compliance",
            previous=earlier,
        )
    assert caught.value.message_dict == {
        "version": [
            "The previous review has open action items on elements this version does not "
            "have: 1.3. Close them on the previous review, or choose a version that has these "
            "elements."
        ]
    }
    assert ExternalReview.objects.count() == 1


def test_bands_saved_by_someone_else_meanwhile_are_not_overwritten(client, team):
    review = make_review(team)
    bands = {band.standard.code: band for band in review.bands.select_related("standard")}
    full = review.version.levels.get(label="Full compliance")
    partial = review.version.levels.get(label="Partial compliance")
    client.force_login(team.coordinator)
    url = reverse("quality:review-bands", args=[review.pk])
    form = client.get(url).context["form"]
    opened = {name: form[name].value() for name in form.fields}
    # A colleague bands 4.3.5 after this form was opened.
    colleague = bands["4.3.5"]
    colleague.level = partial
    colleague.save()
    mine = {**opened, **{f"band_{band.pk}": str(full.pk) for band in bands.values()}}
    response = client.post(url, mine)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Someone else changed bands of this review after you opened it: 4.3.5 is now "
        "Partial compliance. Nothing of yours has been saved yet: check their bands, then "
        "save again to keep yours."
    ]
    assert list(review.bands.exclude(level=None).values_list("standard__code", "level")) == [
        ("4.3.5", partial.pk)
    ]
    # Saving again from the refreshed form is a deliberate choice, and is kept.
    again = {name: response.context["form"][name].value() for name in form.fields}
    assert client.post(url, {**again, **mine_bands(mine)}).status_code == 302
    assert review.bands.filter(level=full).count() == 6


def mine_bands(data):
    return {name: value for name, value in data.items() if name.startswith("band_")}


def test_a_seat_edit_is_versioned_and_refuses_a_stale_save(client, team):
    seat = SteeringSeat.objects.create(
        service=team.service, member_type="parent", joined_on=dt.date(2024, 9, 1)
    )
    client.force_login(team.coordinator)
    url = reverse("quality:seat-edit", args=[seat.pk])
    data = {"member_type": "parent", "joined_on": "2024-09-01", "left_on": "2025-07-31"}
    assert client.post(url, {**data, "version": seat.version}).status_code == 302
    seat.refresh_from_db()
    assert (seat.left_on, seat.version, seat.history.count()) == (dt.date(2025, 7, 31), 2, 2)
    stale = client.post(url, {**data, "left_on": "", "version": 1})
    assert "Someone else saved this record after you opened it" in stale.content.decode()
    seat.refresh_from_db()
    assert seat.left_on == dt.date(2025, 7, 31)


def test_plans_have_an_evidence_column_beside_progress_with_its_changes_marked(client, team):
    plan = make_plan(team)
    edit(plan, "1.1", progress="On going")
    first = actions.record_plan_update(
        plan=plan, made_on=dt.date(2025, 10, 1), note="", by=team.coordinator
    )
    edit(plan, "1.1", evidence="Leaflets distributed at events")
    edit(plan, "1.2", evidence="Not yet shared")
    second = actions.record_plan_update(
        plan=plan, made_on=dt.date(2026, 2, 1), note="", by=team.coordinator
    )
    rows = plan_update_rows(second, first, show_changes=True)
    fields = dict(next(r for r in rows if r.standard.code == "1.1").fields)
    assert list(fields)[-2:] == ["Evidence", "Progress"]
    assert fields["Evidence"] == (
        '<ins><span class="visually-hidden">added: </span>Leaflets distributed at events</ins>'
    )
    client.force_login(team.coordinator)
    working = client.get(reverse("quality:plan-detail", args=[plan.pk]), {"update": "working"})
    assert '<dt class="col-sm-3">Evidence</dt>' in working.content.decode()
    assert "Not yet shared" in working.content.decode()
    client.force_login(team.steering)
    page = client.get(reverse("quality:plan-detail", args=[plan.pk])).content.decode()
    assert '<th scope="col">Evidence</th><th scope="col">Progress</th>' in page


def test_a_coordinator_corrects_a_review_and_a_stale_correction_is_refused(client, team):
    review = make_review(team)
    client.force_login(team.coordinator)
    url = reverse("quality:review-edit", args=[review.pk])
    opened = client.get(url).context["form"]
    data = {name: opened[name].value() for name in opened.fields}
    assert data["revision"] == 1
    mine = {
        **data,
        "reviewed_on": "2009-04-02",
        "assessor": "Martin Brewis",
        "assessing_body": "SGS",
        "result": "Ongoing compliance with the Charter Mark Standard.",
    }
    assert client.post(url, mine).status_code == 302
    review.refresh_from_db()
    assert (review.reviewed_on, review.assessing_body, review.revision) == (
        dt.date(2009, 4, 2),
        "SGS",
        2,
    )
    assert review.history.first().history_user == team.coordinator
    # A colleague who opened the page at revision 1 saves afterwards: refused, nothing saved.
    stale = client.post(url, {**data, "assessor": "Someone else"})
    assert stale.status_code == 200
    assert stale.context["form"].non_field_errors() == [
        "Someone else saved this review after you opened it (date of review: 2 April 2009; "
        "assessor: Martin Brewis; assessing body: SGS). Nothing of yours has been saved yet: "
        "your changes are still in the form. Check their values, then save again to keep yours."
    ]
    review.refresh_from_db()
    assert (review.assessor, review.revision) == ("Martin Brewis", 2)
    again = {name: stale.context["form"][name].value() for name in opened.fields}
    assert again["revision"] == 2
    assert client.post(url, again).status_code == 302
    review.refresh_from_db()
    assert (review.assessor, review.revision) == ("Someone else", 3)


@pytest.mark.parametrize(
    ("day", "message"),
    [("0001-01-01", "Date the review on or after 1 January 2000."), ("2999-01-01", "future")],
)
def test_a_new_review_with_an_impossible_date_is_refused_beside_it(client, team, day, message):
    from quality.models import FrameworkVersion

    version = FrameworkVersion.objects.filter(service=team.service).order_by("id").first()
    client.force_login(team.coordinator)
    page = client.post(
        reverse("quality:review-create"),
        {"version": version.pk, "kind": "health_check", "reviewed_on": day, "assessor": "A"},
    )
    assert page.status_code == 200
    assert message in page.content.decode()
    assert ExternalReview.objects.count() == 0
