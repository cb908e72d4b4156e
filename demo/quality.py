"""Demo standards work: two self-assessments against the 2012 national service standards
(one finalised a year ago, one draft), a development plan with two updates, two Charter
Mark reviews with an action plan, a finalised Charter Mark self-assessment made before the
latest of them (so that the evidence pack has one to print), and the steering group's seats.

Made through quality.actions, so the records are what a coordinator would leave: history
rows, frozen figures on the finalised assessment, carried-forward action items. Wording
comes from the seeds (banes-pps-annual-report-2012-13, leeds-charter-mark-health-check-2009).
"""

import datetime as dt
import functools

from quality import actions
from quality.enums import ActionStatus, MemberType, ReviewKind
from quality.models import ActionItem, Framework, Level, PlanEntry, SteeringSeat
from reports.periods import academic_year_containing

# The 2012 resume as Bath and North East Somerset rated it (appendix 2): best practice for
# these codes, good practice for the rest; 6e was left unrated there and is good here.
BEST_IN_2012 = {"1d", "1g", "2a", "2b", "2c", "2e", "3a", "3c"}
# This year's draft: what moved since.
MOVED_NOW = {"1a": "Best practice", "2g": "Best practice", "6d": "Non-compliant"}
EVIDENCE = {
    "1a": "IPS on the register; recruitment and induction programme each spring.",
    "1h": "Evaluation forms ask about confidentiality and impartiality.",
    "2e": "Helpline, email and web pages; answer-phone updated during absences.",
    "5d": "Advisory group reviews policies each November.",
    "6c": "Advisory group terms of reference published; two parent places.",
    # The Charter Mark elements of the self-assessment made before the latest health check.
    "1.3.3": "The advisory board receives a termly performance report; the website publishes "
    "response times and parent satisfaction.",
    "1.3.4": "The service standards and how they are monitored are set out in plain English "
    "in the leaflet and on the website.",
    "4.2.3": "Parents helped re-brand the service logo and write the leaflets.",
    "4.3.4": "Complaints, compliments and suggestions are all recorded on the database; the "
    "website page is being revised to include suggestions.",
    "4.3.5": "The summary of complaints, compliments and suggestions is produced from the "
    "records; not yet published with the improvements made.",
    "6.2.4": "Community events are listed, but what is learned from them is not yet evaluated.",
}
FIGURES = {
    "2e": "response-within-standard",
    "5d": "complaints",
    "6c": "steering-group-parents",
    "1.3.3": "parent-satisfaction",
    "4.2.3": "steering-group-parents",
    "4.3.4": "complaints",
    "4.3.5": "suggestions",
}
# Where the Charter Mark self-assessment found itself only partly compliant: the elements
# the latest health check carried forward or raised.
CHARTER_PARTIAL = {"4.3.4", "4.3.5", "6.2.4"}
# Development plan entries (appendix 3): (code, evidence, objectives, timescales,
# monitoring). The evidence is the seed's "Evidence" column, word for word.
PLAN = [
    (
        "1.1.1",
        "PPS policies were updated by the Advisory Group in November 2012. Policies are: "
        "1) Service Description & Arms Length Policy. 2) Confidentiality Policy. "
        "3) Impartiality Policy. Initial information leaflet accurately reflects the service "
        "provided by PPS.",
        "Review leaflets and web information as legislation changes.",
        "Short term",
        "Advisory Group each November",
    ),
    (
        "1.1.7",
        "Monitored through Parent Evaluation Forms. Meets with Council service standards",
        "Respond to all enquiries within 2 working days.",
        "Short term, Medium term",
        "Response times reported termly to the steering group",
    ),
    (
        "3.2.1",
        "1 IPS on Register to support parents. Regular training programmes ensure trained IPS "
        "are available. On going PPS CPD and support through Senior Case Officer",
        "Recruitment and induction programme in the spring.",
        "Medium term",
        "Supervision every 6-8 weeks in term time",
    ),
    (
        "6.2.6",
        "Evaluation Forms.",
        "Work towards at least an 85% satisfaction rate.",
        "Long term",
        "Annual report",
    ),
]
# The seed's "Progress" column as it stood at the second update; the first is earlier.
PROGRESS_FIRST = {
    "1.1.1": "On going",
    "1.1.7": "Met",
    "3.2.1": "Recruitment and Induction Programme planned for April",
}
PROGRESS_SECOND = {
    "1.1.1": "On going review of leaflets and web information as legislative changes impact "
    "on service delivery On going",
    "1.1.7": "Met",
    "3.2.1": "Recruitment and Induction Programme planned for April 2013 - 3 new volunteers "
    "recruited",
    "6.2.6": "Met - see Annual Report",
}
# The Leeds health check's action plan: (code, finding, status at the later review, progress).
ACTIONS = [
    (
        "4.3.4",
        "The website contains the complaints and compliments policy and procedure, and the "
        "database records details of them, but not yet suggestions.",
        ActionStatus.CARRIED_FORWARD,
        "Suggestions are now recorded; the website page is being revised.",
    ),
    (
        "4.3.5",
        "No clear evidence of publishing the number and type of complaints, compliments and "
        "suggestions received, along with any resulting improvements.",
        ActionStatus.CARRIED_FORWARD,
        "The summary of complaints, compliments and suggestions is produced from the records.",
    ),
    (
        "1.3.3",
        "The advisory board is not yet made aware of the service's performance.",
        ActionStatus.CLOSED,
        "The advisory board, with parent and partner representation, is made aware of "
        "performance; the website has much improved information on performance.",
    ),
    (
        "4.2.3",
        "Little evidence that parents are involved in planning.",
        ActionStatus.CLOSED,
        "Parents were involved in re-branding the service logo and producing leaflets, and "
        "are happy with the outcomes.",
    ),
]
RAISED_LATER = (
    "6.2.4",
    "No clear evidence that the service's involvement in wider community activities is "
    "monitored and evaluated in order to incorporate what has been learned into future plans.",
)
SEATS = [
    (MemberType.INDEPENDENT_CHAIR, 800, None),
    (MemberType.PARENT, 800, None),
    (MemberType.PARENT, 700, None),
    (MemberType.PARENT, 900, 400),
    (MemberType.PARENT, 300, None),
    (MemberType.LOCAL_AUTHORITY, 900, None),
    (MemberType.SCHOOL, 600, None),
    (MemberType.HEALTH, 500, None),
    (MemberType.VOLUNTARY, 800, None),
]


def shipped_version(service, key):
    """The latest version of the shipped framework `key` (a Framework's shipped_key)."""
    return actions.latest_version(Framework.objects.get(service=service, shipped_key=key))


def _rate(assessment, labels: dict[str, str], coordinator) -> None:
    levels = {level.label: level for level in Level.objects.filter(version=assessment.version)}
    for rating in assessment.ratings.select_related("standard"):
        code = rating.standard.code
        rating.level = levels[labels[code]]
        rating.evidence = EVIDENCE.get(code, "")
        rating.rated_by = coordinator
        rating._history_user = coordinator
        rating.save()
        if code in FIGURES:
            actions.link_figure(rating=rating, key=FIGURES[code])


def _assess(service, version, title, assessed_on, labels, coordinator, *, final=True) -> None:
    """A self-assessment against `version`, rated with `labels` and finalised unless it is
    still a draft (`final=False`)."""
    assessment = actions.start_assessment(
        service=service, version=version, title=title, assessed_on=assessed_on, by=coordinator
    )
    _rate(assessment, labels, coordinator)
    if final:
        actions.finalise_assessment(assessment=assessment, by=coordinator)


def _raise_action(review, standard, finding) -> None:
    ActionItem.objects.create(
        service_id=review.service_id,
        review=review,
        standard=standard,
        status=ActionStatus.RAISED,
        finding=finding,
    )


def generate_quality(*, service, coordinator, today: dt.date, fake) -> dict:
    """The demo service's standards work, dated up to `today`."""
    for member_type, joined_days_ago, left_days_ago in SEATS:
        SteeringSeat.objects.create(
            service=service,
            member_type=member_type,
            joined_on=today - dt.timedelta(days=joined_days_ago),
            left_on=today - dt.timedelta(days=left_days_ago) if left_days_ago else None,
        )

    national = shipped_version(service, "national-service-standards-2012")
    codes = list(national.standards.values_list("code", flat=True))
    last_year = {
        code: "Best practice" if code in BEST_IN_2012 else "Good practice" for code in codes
    }
    title = "Self-assessment against the national service standards"
    _assess(service, national, title, today - dt.timedelta(days=365), last_year, coordinator)
    _assess(service, national, title, today, {**last_year, **MOVED_NOW}, coordinator, final=False)

    first_update = today - dt.timedelta(days=120)
    year = academic_year_containing(first_update, service.academic_year_start_month)
    plan = actions.start_plan(
        service=service,
        version=shipped_version(service, "regional-benchmarking-standards"),
        start_year=year.first.year,
        title=f"Service development plan {year.label}",
        by=coordinator,
    )
    for progress, made_on in (
        (PROGRESS_FIRST, first_update),
        (PROGRESS_SECOND, today - dt.timedelta(days=10)),
    ):
        for code, evidence, objectives, timescales, monitoring in PLAN:
            entry = PlanEntry.objects.get(plan=plan, standard__code=code)
            entry.evidence, entry.objectives = evidence, objectives
            entry.timescales, entry.monitoring = timescales, monitoring
            entry.progress = progress.get(code, entry.progress)
            entry._history_user = coordinator
            entry.save()
        actions.record_plan_update(plan=plan, made_on=made_on, note="", by=coordinator)

    charter = shipped_version(service, "charter-mark")
    review = functools.partial(
        actions.start_review,
        service=service,
        version=charter,
        by=coordinator,
        assessor=fake.name(),
        assessing_body="Certification body (demo)",
    )
    first = review(
        kind=ReviewKind.CHARTER_MARK,
        reviewed_on=today - dt.timedelta(days=400),
        result="The Charter Mark standard was met, with partial compliances to address.",
    )
    elements = {s.code: s for s in charter.standards.all()}
    for code, finding, _, _ in ACTIONS:
        _raise_action(first, elements[code], finding)
    later = review(
        kind=ReviewKind.HEALTH_CHECK,
        reviewed_on=today - dt.timedelta(days=35),
        result="Ongoing compliance with the Charter Mark standard was demonstrated.",
        previous=first,
    )
    outcomes = {code: (status, progress) for code, _, status, progress in ACTIONS}
    for item in later.actions.select_related("standard"):
        item.status, item.progress = outcomes[item.standard.code]
        item._history_user = coordinator
        item.save()
    _raise_action(later, elements[RAISED_LATER[0]], RAISED_LATER[1])
    full = charter.levels.get(label="Full compliance")
    partial = charter.levels.get(label="Partial compliance")
    for band in later.bands.select_related("standard"):
        band.level = partial if band.standard.code in CHARTER_PARTIAL else full
        band.save()
    # The service's own Charter Mark self-assessment, made to prepare for the health check:
    # what the evidence pack for an assessor starts from.
    labels = {
        code: "Partial compliance" if code in CHARTER_PARTIAL else "Full compliance"
        for code in charter.standards.values_list("code", flat=True)
    }
    title = "Self-assessment against the Charter Mark standard"
    _assess(service, charter, title, today - dt.timedelta(days=50), labels, coordinator)
    return {"self_assessments": 3, "plan_updates": 2, "reviews": 2}
