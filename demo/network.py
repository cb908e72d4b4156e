"""Neighbouring services for the network report (docs/reporting.md, "The network report").

Four small services beside the demo service, with the last financial year and the current
one so far of cases, contacts, enquiries and IPS, written through the actions (so the
summaries follow them as they would follow records typed in), and each year's entered
funding, population, pupils and staff, and a finalised self-assessment against the shipped
national service standards early in the last financial year, so that the report's levels
compare the demo service with its neighbours. Three take part with the demo service;
Westmere does not, so the report shows it is left out. Kept small (about 70 cases in all, a
second or two of loading): Eastmoor's handful of cases shows the suppression of small numbers.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from casework.actions import log_contact, open_case, record_enquiry
from casework.enums import ContactMethod, EnquirerType
from casework.models import Child, Parent
from demo.quality import shipped_version
from pps.models import Service, User
from pps.roles import Role
from pps.services import create_service
from pps.workingdays import add_working_days
from quality import actions as quality_actions
from quality.models import Level
from reports.models import YearlyDenominators
from reports.periods import financial_year, financial_year_of
from volunteers.actions import create_volunteer
from volunteers.models import VolunteerStatus

LONDON = ZoneInfo("Europe/London")
# name, takes part, new cases a year, active IPS, (population 0-19, pupils with SEN, pupils
# on free school meals, funding £, paid staff FTE)
NEIGHBOURS = [
    ("Northvale Parent Partnership Service", True, 12, 6, (52_000, 2_600, 5_100, 88_000, 2.2)),
    ("Eastmoor Parent Partnership Service", True, 6, 2, (31_000, 1_500, 2_900, 61_000, 1.5)),
    ("Southwick Parent Partnership Service", True, 16, 9, (95_000, 4_800, 9_900, 143_000, 3.6)),
    ("Westmere Parent Partnership Service", False, 8, 3, (40_000, 2_000, 3_800, 70_000, 1.8)),
]
# The shipped framework the neighbours assess themselves against, as the demo service does
# (demo/quality.py), and how likely each of its levels is, best first.
FRAMEWORK = "national-service-standards-2012"
LEVEL_WEIGHTS = (2, 5, 2)


def _denominators(service: Service, year: int, figures, by) -> None:
    population, sen, fsm, funding, fte = figures
    YearlyDenominators.objects.create(
        service=service,
        year=year,
        population_0_19=population,
        pupils_with_sen=sen,
        pupils_on_fsm=fsm,
        funding=funding,
        budget=funding,
        paid_staff_fte=fte,
        updated_by=by,
    )


def _self_assessment(service: Service, on: dt.date, by, rng) -> None:
    """A finalised self-assessment of `service` dated `on`, every standard rated, the
    levels drawn at random (best practice less often than good)."""
    version = shipped_version(service, FRAMEWORK)
    levels = list(Level.objects.filter(version=version).order_by("-rank"))
    weights = LEVEL_WEIGHTS[: len(levels)] + (1,) * (len(levels) - len(LEVEL_WEIGHTS))
    assessment = quality_actions.start_assessment(
        service=service,
        version=version,
        title="Self-assessment against the national service standards",
        assessed_on=on,
        by=by,
    )
    for rating in assessment.ratings.all():
        rating.level = rng.choices(levels, weights=weights)[0]
        rating.rated_by = by
        rating._history_user = by
        rating.save()
    quality_actions.finalise_assessment(assessment=assessment, by=by)


def generate_network(*, demo_service: Service, today: dt.date, rng, fake) -> dict:
    """The neighbours and their records; the demo service joins the network. Returns
    counts for the loading summary."""
    current = financial_year_of(today)
    years = [current - 1, current]
    counts = {"network_services": 0, "network_cases": 0}
    for name, takes_part, cases_a_year, ips, figures in NEIGHBOURS:
        slug = name.split()[0].lower()
        service = create_service(
            name=name, local_authority=f"{name.split()[0]} Council", localities=["Town"]
        )
        officer = User.objects.create_user(
            username=f"{slug}-coordinator",
            password=None,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            service=service,
            role=Role.COORDINATOR,
        )
        for _ in range(ips):
            create_volunteer(
                service=service,
                by=None,
                status=VolunteerStatus.ACTIVE,
                since=financial_year(years[0]).first - dt.timedelta(days=rng.randint(30, 900)),
                first_name=fake.first_name(),
                last_name=fake.last_name(),
            )
        for year in years:
            period = financial_year(year)
            # Nothing dated today: an action refuses a time later than now.
            last = min(period.last, today - dt.timedelta(days=1))
            days = (last - period.first).days
            share = (days + 1) / 365
            for _ in range(round(cases_a_year * share)):
                opened = period.first + dt.timedelta(days=rng.randint(0, days))
                parent = Parent.objects.create(
                    service=service, first_name=fake.first_name(), last_name=fake.last_name()
                )
                child = Child.objects.create(
                    service=service, first_name=fake.first_name(), last_name=parent.last_name
                )
                case = open_case(
                    service=service,
                    by=officer,
                    parent=parent,
                    child=child,
                    officer=officer,
                    received_on=opened,
                    opened_on=opened,
                )
                contact_day = opened
                for _ in range(rng.randint(1, 3)):
                    contact_day = add_working_days(contact_day, rng.randint(1, 6))
                    if contact_day >= today:
                        break
                    log_contact(
                        case=case,
                        by=officer,
                        at=dt.datetime.combine(contact_day, dt.time(10), tzinfo=LONDON),
                        method=ContactMethod.PHONE_OUT,
                        minutes=rng.choice([20, 30, 45]),
                    )
                counts["network_cases"] += 1
            for _ in range(round(cases_a_year * share / 2)):
                received = period.first + dt.timedelta(days=rng.randint(0, days))
                answered = add_working_days(received, rng.choice([0, 1, 1, 2, 3, 5]))
                record_enquiry(
                    service=service,
                    by=officer,
                    received_at=dt.datetime.combine(received, dt.time(9), tzinfo=LONDON),
                    enquirer_type=EnquirerType.PARENT,
                    enquirer_name=fake.name(),
                    first_response_on=answered if answered <= today else None,
                )
            _denominators(service, year, figures, officer)
        _self_assessment(
            service,
            financial_year(years[0]).first + dt.timedelta(days=rng.randint(30, 200)),
            officer,
            rng,
        )
        if takes_part:
            Service.objects.filter(pk=service.pk).update(network_member=True)
        counts["network_services"] += 1
    # The demo service's own denominators are entered with its other inputs
    # (demo/publications.py), for every financial year of its records.
    Service.objects.filter(pk=demo_service.pk).update(network_member=True)
    return counts
