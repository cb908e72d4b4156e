"""The national benchmarking return of a financial year (docs/reporting.md, "The
benchmarking return"; docs/domain.md, "Benchmarking return").

As the annual report (publications.annual), two steps, so that one set of figures feeds
the page, the PDF, the CSVs, the workbook and the JSON document:
- `gather` reads the year's figures in a fixed number of queries: service users,
  volunteers, response times and the casework of exclusions, disagreement resolution and
  the tribunal in one round trip of the report functions that count them everywhere else
  (reports.queries), then the entered denominators and facts, and the steering group's
  seats at 31 March;
- `present` lays them out as presenters.Tables for one reader, each figure beside its
  counting rule and the 2009 national mean and median (reports.reference), small numbers
  shown as that reader may see them (reports.presenters.Disclosure).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils import timezone

from pps.disclosure import Line
from pps.figures import percent
from pps.models import Service
from publications.annual import Report
from quality.enums import MemberType
from quality.models import SteeringSeat
from reports.models import IssueMonitored, LanguageSupport, PublicationFormat, YearlyDenominators
from reports.periods import Period, financial_year, financial_year_of, year_slug
from reports.presenters import NOT_RECORDED, SUPPRESSION_NOTE, Disclosure, Table
from reports.queries.benchmarking import (
    BenchmarkingCasework,
    Referrals,
    pending_benchmarking_casework,
)
from reports.queries.casework import pending_service_users
from reports.queries.grouping import together
from reports.queries.response_times import ResponseTimes, pending_response_times
from reports.queries.volunteers import VolunteerFigures, pending_volunteer_counts, users_per_ips
from reports.reference import national_2009

# The return asks for the share of enquiries answered within 2 working days, whatever the
# service's own response standard (seed chart 29).
RESPONSE_DAYS = 2

# Steering group seats (quality.SteeringSeat) and the national table H column each is read
# beside; a seat the survey had no column for has no national figure.
STEERING_REFERENCE = {
    MemberType.PARENT: "steering_parent",
    MemberType.SCHOOL: "steering_school",
    MemberType.HEALTH: "steering_health",
    MemberType.VOLUNTARY: "steering_voluntary",
    MemberType.OTHER: "steering_other",
}

# Each figure's counting rule, printed beside it (docs/reporting.md, "The benchmarking
# return", says the same at more length).
RULES = {
    "service_users": "Cases with at least one contact, by staff or a volunteer, in the year: "
    "one per child served, so a family with two children with SEN is two, and parents "
    "living apart who each have their own case are two. An enquiry alone is not a service "
    "user, and neither is a professional.",
    "paid_staff_fte": "Entered by the coordinator: paid staff in post at 31 March, in "
    "full-time equivalent.",
    "active_ips": "IPS volunteers whose status was active on 31 March (their latest change "
    "of status on or before that day).",
    "ips_newly_trained": "IPS volunteers who completed the initial course in the year.",
    "other_volunteers": "Volunteers other than IPS whose status was active on 31 March.",
    "funding": "Entered by the coordinator: the core funding received for the year.",
    "budget": "Entered by the coordinator: the service's budget for the year.",
    "funding_per_head": "Funding divided by the area's population aged 0-19 (entered), to "
    "the penny.",
    "funding_per_user": "Funding divided by the service users of the year, to the penny.",
    "funding_per_sen_pupil": "Funding divided by the area's pupils with SEN (entered), to "
    "the penny.",
    "funding_per_fsm_pupil": "Funding divided by the area's pupils on free school meals "
    "(entered), to the penny.",
    "users_per_fte": "Service users divided by paid staff FTE at 31 March, to one decimal.",
    "users_per_ips": "Service users divided by the IPS active at 31 March, to one decimal.",
    "users_per_1000": "Service users per 1,000 of the area's population aged 0-19, to one decimal.",
    "received": "Approaches received in the year: enquiries, and cases opened without an "
    "enquiry (an enquiry that became a case is one approach).",
    "within": "Answered within 2 working days of receipt, the day of receipt not counted.",
    "later": "Answered after 3 or more working days.",
    "overdue": "Not answered, and 2 working days have passed: counted as 3 or more.",
    "not_yet_due": "Not answered, received less than 2 working days before today.",
    "excluded_pupils": "Service users (as above) whose case records an official exclusion, "
    "fixed-term or permanent.",
    "resolution": "Cases whose referral to disagreement resolution or mediation is dated "
    "in the year.",
    "tribunal": "Cases whose appeal to the SEND tribunal was lodged in the year.",
    "involved": "Of those, the cases recording that the service was actively involved in "
    "the 6 months before.",
    "not_involved": "Of those, the cases recording that it was not.",
    "involvement_unknown": "Of those, the cases where involvement was not recorded.",
    "area_share": "Cases with the service's active involvement as a share of all the "
    "area's (the area's total entered by the coordinator).",
    "steering": "Seats on the steering group held on 31 March (quality records, by kind "
    "of member; no names).",
    "entered": "Entered by the coordinator for the year.",
}


def year_of(start_year: int) -> Period:
    return financial_year(start_year)


def latest_ended_year(today: dt.date | None = None) -> int:
    """The start year of the last financial year that has ended (1 April to 31 March)."""
    return financial_year_of(today or timezone.localdate()) - 1


@dataclass(frozen=True)
class BenchmarkingFigures:
    """Everything the return shows, as read: no presentation yet."""

    service: Service
    year: Period
    denominators: YearlyDenominators | None
    service_users: int
    volunteers: VolunteerFigures
    responses: ResponseTimes
    casework: BenchmarkingCasework
    steering_seats: dict[str, int]

    def entered(self, name: str):
        """An entered figure of the year (YearlyDenominators); None when not entered."""
        return getattr(self.denominators, name) if self.denominators else None


def gather(service: Service, year: Period, today: dt.date | None = None) -> BenchmarkingFigures:
    """Every figure of the year's return, inside the service's scope: three queries."""
    today = today or timezone.localdate()
    users, volunteers, responses, casework = together(
        pending_service_users([year]),
        pending_volunteer_counts(years=[year]),
        pending_response_times([year], RESPONSE_DAYS, today),
        pending_benchmarking_casework([year]),
    )
    key = (service.pk, year)
    seats = (
        SteeringSeat.objects.held_on(year.last)
        .order_by()
        .values("member_type")
        .annotate(seats=Count("id"))
        .values_list("member_type", "seats")
    )
    return BenchmarkingFigures(
        service=service,
        year=year,
        denominators=YearlyDenominators.objects.filter(year=year.first.year).first(),
        service_users=users.get(key, 0),
        volunteers=volunteers.figures.get(key, VolunteerFigures(0, 0, 0)),
        responses=responses.get(key, ResponseTimes(RESPONSE_DAYS, 0, 0, 0, 0, 0)),
        casework=casework.get(key, BenchmarkingCasework(0, Referrals(0, 0, 0), Referrals(0, 0, 0))),
        steering_seats=dict(seats),
    )


# Presentation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchmarkingReturn(Report):
    name = "benchmarking return"
    tables: tuple[Table, ...]
    # Which entered figures are missing, for the sentence above the tables.
    not_recorded: tuple[str, ...]

    @property
    def sections(self) -> tuple[tuple[str, Table], ...]:
        """Each table under its heading, in the order printed."""
        return tuple(zip(HEADINGS, self.tables, strict=True))


# The headings of the return's tables, in the order `present` makes them.
HEADINGS = (
    "Service users",
    "Staff and volunteers",
    "Funding",
    "Service users against staff, volunteers and population",
    "Response times",
    "Excluded pupils, disagreement resolution and the tribunal",
    "Steering group",
    "Issues monitored",
    "Formats and languages",
)

PENNY, TENTH = Decimal("0.01"), Decimal("0.1")


def ratio(part, whole, places: Decimal = TENTH, scale: int = 1) -> Decimal | None:
    """`part` * `scale` / `whole`, rounded half up to `places`; None when either is not
    recorded or the whole is 0 (a figure is never divided by nothing)."""
    if part is None or whole is None or whole == 0:
        return None
    value = Decimal(part) * scale / Decimal(whole)
    return value.quantize(places, rounding=ROUND_HALF_UP)


def _money(value) -> str:
    return f"£{value:,.2f}"


def _reference(measure: str, money: bool = False) -> tuple[str, str]:
    """The 2009 national mean and median of a measure, as printed; a measure published
    only as a range or a sentence shows that instead."""
    figure = national_2009().get(measure)
    if figure is None:
        return ("", "")
    if figure.mean is None:
        return (figure.note, "")

    def shown(value: Decimal) -> str:
        return f"£{value:,.0f}" if money else f"{value:f}"

    return (shown(figure.mean), shown(figure.median))


def _share(measure: str) -> str:
    figure = national_2009().get(measure)
    if figure is None or figure.services_percent is None:
        return ""
    return f"{figure.services_percent}%"


HEADER_NATIONAL = ("National mean, 2009", "National median, 2009", "How it is counted")


def _figure(label: str, value, measure: str, money: bool = False) -> tuple:
    """A figure's row: its label and value, the 2009 national mean and median of `measure`
    and its counting rule."""
    return (label, value, *_reference(measure, money), RULES[measure])


def _value(value, *, money: bool = False, none: str = NOT_RECORDED, hidden: bool = False):
    if hidden:
        return Disclosure.HIDDEN
    if value is None:
        return none
    return _money(value) if money else value


def _staffing_and_users(figures: BenchmarkingFigures, shown: Disclosure) -> tuple[Table, Table]:
    v, year = figures.volunteers, figures.year
    users = Table(
        slug=year_slug(year, "service-users"),
        caption=f"Parent/carer service users, {year.label}",
        header=("Figure", year.label, *HEADER_NATIONAL),
        rows=(
            _figure(
                "Parent/carer service users", shown.count(figures.service_users), "service_users"
            ),
        ),
    )
    at_end = f"{year.last:%-d %B %Y}"
    staffing = Table(
        slug=year_slug(year, "staffing"),
        caption=f"Staff and volunteers, {year.label}",
        header=("Figure", year.label, *HEADER_NATIONAL),
        rows=(
            _figure(
                f"Paid staff at {at_end} (full-time equivalent)",
                _value(figures.entered("paid_staff_fte")),
                "paid_staff_fte",
            ),
            _figure(f"Active IPS at {at_end}", shown.count(v.active_ips_at_end), "active_ips"),
            _figure(
                "IPS newly trained in the year",
                shown.count(v.ips_newly_trained),
                "ips_newly_trained",
            ),
            _figure(
                f"Other active volunteers at {at_end}",
                shown.count(v.other_volunteers_at_end),
                "other_volunteers",
            ),
        ),
    )
    return users, staffing


def _funding(figures: BenchmarkingFigures, shown: Disclosure) -> Table:
    year, funding, users = figures.year, figures.entered("funding"), figures.service_users
    # A sum of money over one to four families would be theirs (decision 0006).
    per_user_hidden = shown.hides_beside(users)

    def per(denominator: str) -> str:
        return _value(ratio(funding, figures.entered(denominator), PENNY), money=True)

    return Table(
        slug=year_slug(year, "funding"),
        caption=f"Funding and budget, {year.label}",
        header=("Figure", year.label, *HEADER_NATIONAL),
        rows=(
            _figure("Funding in the year", _value(funding, money=True), "funding", money=True),
            _figure(
                "Budget for the year",
                _value(figures.entered("budget"), money=True),
                "budget",
                money=True,
            ),
            _figure(
                "Funding per head of the population aged 0-19",
                per("population_0_19"),
                "funding_per_head",
            ),
            _figure(
                "Funding per service user",
                _value(
                    ratio(funding, users, PENNY),
                    money=True,
                    none=NOT_RECORDED if funding is None else "no service users",
                    hidden=per_user_hidden,
                ),
                "funding_per_user",
            ),
            _figure("Funding per pupil with SEN", per("pupils_with_sen"), "funding_per_sen_pupil"),
            _figure(
                "Funding per pupil on free school meals",
                per("pupils_on_fsm"),
                "funding_per_fsm_pupil",
            ),
        ),
        note="Funding per service user is hidden where the service users are fewer than 5."
        if per_user_hidden
        else "",
    )


def _casework_ratios(figures: BenchmarkingFigures, shown: Disclosure) -> Table:
    year, users = figures.year, figures.service_users
    ips = figures.volunteers.active_ips_at_end
    hidden = shown.hides_beside(users)
    fte = figures.entered("paid_staff_fte")
    per_ips = users_per_ips(users, ips)
    rows = (
        _figure(
            "Service users per paid staff FTE",
            _value(
                ratio(users, fte),
                none="no paid staff" if fte == 0 else NOT_RECORDED,
                hidden=hidden,
            ),
            "users_per_fte",
        ),
        _figure(
            "Service users per active IPS",
            _value(
                None if per_ips is None else Decimal(str(per_ips)),
                none="no active IPS",
                # The ratio would point at the one to four IPS, or families.
                hidden=hidden or shown.hides_beside(ips),
            ),
            "users_per_ips",
        ),
        _figure(
            "Service users per 1,000 population aged 0-19",
            _value(ratio(users, figures.entered("population_0_19"), scale=1000), hidden=hidden),
            "users_per_1000",
        ),
    )
    return Table(
        slug=year_slug(year, "casework-ratios"),
        caption=f"Service users against staff, volunteers and population, {year.label}",
        header=("Figure", year.label, *HEADER_NATIONAL),
        rows=rows,
    )


# The four ways an approach was answered, or not, by ResponseTimes attribute.
ANSWERED = (
    ("within", "Answered within 2 working days"),
    ("later", "Answered in 3 or more working days"),
    ("overdue", "Not answered after 2 working days"),
    ("not_yet_due", "Not answered, not yet due"),
)


def _responses(figures: BenchmarkingFigures, shown: Disclosure) -> Table:
    r, year = figures.responses, figures.year
    names = tuple(name for name, _ in ANSWERED)
    counts = {"received": r.received, **{name: getattr(r, name) for name in names}}
    # The four add up to the approaches received: a hidden one takes another with it.
    cells = shown.cells(counts, [Line(names, "received")])

    def percent_cell(name):
        if not r.received:
            return ""
        return cells.percent(percent(counts[name], r.received), name, "received")

    national = f"{_share('response_within_2_days')} of services answered 90% or more within 2 days"
    rows = (
        ("Approaches received", cells["received"], "", "", RULES["received"]),
        *(
            (
                label,
                cells[name],
                percent_cell(name),
                national if name == "within" else "",
                RULES[name],
            )
            for name, label in ANSWERED
        ),
    )
    return Table(
        slug=year_slug(year, "response-times"),
        caption=f"Response time to approaches, {year.label}",
        header=(
            "Figure",
            year.label,
            "Percent of those received",
            "Nationally, 2009",
            "How it is counted",
        ),
        rows=rows,
        foot=(
            (
                "Took 3 or more working days (answered late, or overdue)",
                Disclosure.HIDDEN if cells.is_hidden("later", "overdue") else r.outside,
                ""
                if not r.received or cells.is_hidden("later", "overdue")
                else percent_of(r.outside, r.received),
                f"{100 - (national_2009()['response_within_2_days'].services_percent or 0)}% of "
                "services took 3 days or more",
                "Answered late, or not answered after 2 working days.",
            ),
        ),
        note=cells.note(),
    )


def percent_of(part: int, whole: int) -> str:
    return f"{percent(part, whole):g}%"


def _referral_rows(label, referrals: Referrals, area_total, shown: Disclosure, rule: str):
    names = ("involved", "not_involved", "unknown")
    counts = {
        "cases": referrals.cases,
        "involved": referrals.involved,
        "not_involved": referrals.not_involved,
        "unknown": referrals.involvement_not_recorded,
    }
    cells = shown.cells(counts, [Line(names, "cases")])
    if area_total is None:
        share = NOT_RECORDED
    elif area_total == 0:
        share = "no cases in the area"
    elif cells.is_hidden("involved"):
        share = Disclosure.HIDDEN
    else:
        share = percent_of(referrals.involved, area_total)
    rows = (
        (label, cells["cases"], RULES[rule]),
        ("  with the service actively involved", cells["involved"], RULES["involved"]),
        ("  without", cells["not_involved"], RULES["not_involved"]),
        ("  involvement not recorded", cells["unknown"], RULES["involvement_unknown"]),
        ("  involved cases as a share of the area's", share, RULES["area_share"]),
        (
            "  the area's total in the year",
            # The area's families too: 1 to 4 of them is "fewer than 5" like any count.
            shown.count(area_total),
            RULES["entered"],
        ),
    )
    return rows, cells.hides_anything


def _casework(figures: BenchmarkingFigures, shown: Disclosure) -> Table:
    c, year = figures.casework, figures.year
    resolution, hid_r = _referral_rows(
        "Cases referred to disagreement resolution",
        c.disagreement_resolution,
        figures.entered("area_disagreement_referrals"),
        shown,
        "resolution",
    )
    tribunal, hid_t = _referral_rows(
        "Appeals lodged with the SEND tribunal",
        c.tribunal_appeals,
        figures.entered("area_tribunal_appeals"),
        shown,
        "tribunal",
    )
    rows = (
        (
            "Families of excluded pupils served (cases)",
            shown.count(c.excluded_pupils),
            RULES["excluded_pupils"],
        ),
        *resolution,
        *tribunal,
    )
    return Table(
        slug=year_slug(year, "exclusion-and-disagreement"),
        caption=f"Excluded pupils, disagreement resolution and the tribunal, {year.label}",
        header=("Figure", year.label, "How it is counted"),
        rows=rows,
        note=SUPPRESSION_NOTE if hid_r or hid_t else "",
    )


def _yes_no(chosen: list | None, value: str) -> str:
    if chosen is None:
        return NOT_RECORDED
    return "Yes" if value in chosen else "No"


def _steering(figures: BenchmarkingFigures) -> Table:
    year, seats = figures.year, figures.steering_seats
    rows = tuple(
        (
            label,
            seats.get(value, 0),
            "Yes" if seats.get(value) else "No",
            _share(STEERING_REFERENCE[value]) if value in STEERING_REFERENCE else "",
        )
        for value, label in MemberType.choices
    )
    return Table(
        slug=year_slug(year, "steering-group"),
        caption=f"Steering group membership at {year.last:%-d %B %Y}",
        header=("Member", "Seats", "Represented", "Steering groups with such members, 2009"),
        rows=rows,
        foot=(("All seats", sum(seats.values()), "", ""),),
        note=RULES["steering"],
    )


def _facts(figures: BenchmarkingFigures) -> tuple[Table, Table]:
    year = figures.year
    issues = figures.entered("issues_monitored")
    formats = figures.entered("formats_offered")
    languages = figures.entered("languages_offered")
    header = ("Figure", year.label, "Services nationally, 2009")
    monitored = Table(
        slug=year_slug(year, "issues-monitored"),
        caption=f"Issues the service monitors, {year.label}",
        header=header,
        rows=tuple(
            (label, _yes_no(issues, value), _share(f"issue_{value}"))
            for value, label in IssueMonitored.choices
        ),
        note=RULES["entered"],
    )
    offered = Table(
        slug=year_slug(year, "formats-and-languages"),
        caption=f"Formats and languages offered, {year.label}",
        header=header,
        rows=tuple(
            (f"Format: {label}", _yes_no(formats, value), _share(f"format_{value}"))
            for value, label in PublicationFormat.choices
        )
        + tuple(
            (f"Other languages: {label}", _yes_no(languages, value), _share(f"languages_{value}"))
            for value, label in LanguageSupport.choices
        ),
        note=RULES["entered"],
    )
    return monitored, offered


# The entered figures a return divides by, named as the page says what is missing.
DENOMINATORS = (
    ("population_0_19", "the population aged 0-19"),
    ("pupils_with_sen", "pupils with SEN"),
    ("pupils_on_fsm", "pupils on free school meals"),
    ("funding", "funding"),
    ("budget", "budget"),
    ("paid_staff_fte", "paid staff FTE"),
)


def present(figures: BenchmarkingFigures, shown: Disclosure) -> BenchmarkingReturn:
    users, staffing = _staffing_and_users(figures, shown)
    monitored, offered = _facts(figures)
    return BenchmarkingReturn(
        service=figures.service.name,
        year=figures.year,
        exact=shown.exact,
        made_at=timezone.localtime(),
        tables=(
            users,
            staffing,
            _funding(figures, shown),
            _casework_ratios(figures, shown),
            _responses(figures, shown),
            _casework(figures, shown),
            _steering(figures),
            monitored,
            offered,
        ),
        not_recorded=tuple(label for name, label in DENOMINATORS if figures.entered(name) is None),
    )


def benchmarking_return(service: Service, start_year: int, shown: Disclosure) -> BenchmarkingReturn:
    return present(gather(service, year_of(start_year)), shown)
