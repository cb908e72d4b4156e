"""The demo's enquiries: about `enquiries_per_year` of them on working days, most answered
within two working days; those the cases began as; a few still awaiting an answer."""

import datetime as dt

from django.utils import timezone

from casework.enums import EnquirerType
from casework.models import Enquiry
from demo.context import weighted
from pps.workingdays import add_working_days, is_working_day

ENQUIRY_SUMMARIES = [
    "Asked for the SEN support leaflet.",
    "Wanted the number for the LA SEN team.",
    "Asked how to request an EHC needs assessment.",
    "Question about the annual review timetable.",
    "Asked about the parents' forum dates.",
    "Professional asking for leaflets for their waiting room.",
    "Asked about school transport eligibility.",
    "Wanted to know whether we can attend a school meeting.",
    "Asked about exclusion rules after a phone call from school.",
    "Request for information about tribunal appeals.",
]
ENQUIRY_DELAYS = [(0, 46), (1, 33), (2, 13), (3, 5), (5, 3)]  # working days to respond


def generate_enquiries(ctx, plans, *, topics, caseworkers, per_year) -> dict[str, int]:
    """`topics` are the weighted contact reasons the cases were drawn from."""
    staff = [(user, 2) for user in caseworkers] + [(ctx.users["support"], 4)]
    return _Enquiries(ctx, topics).run(plans, staff, per_year)


class _Enquiries:
    def __init__(self, ctx, topics):
        self.ctx, self.reasons = ctx, topics
        self.service, self.today, self.start = ctx.service, ctx.today, ctx.start
        self.rng, self.fake, self.users = ctx.rng, ctx.fake, ctx.users

    def run(self, plans, staff, per_year) -> dict[str, int]:
        """About `enquiries_per_year` enquiries on working days, most answered within two
        working days; the cases that began as an enquiry; a few still awaiting an answer."""
        rng = self.rng
        # Faker is slow for thousands of records: enquirers come from a pool (some ring twice).
        self.enquirers = [self.fake.name() for _ in range(600)]
        self.enquirer_contacts = [self.fake.phone_number() for _ in range(400)]
        self.enquirer_contacts += [self.fake.email() for _ in range(200)]
        working = []
        day = self.start
        while day <= self.today:
            if is_working_day(day):
                # Quieter in August, busier as the school year starts.
                working.append((day, {8: 0.4, 9: 1.3, 10: 1.2}.get(day.month, 1.0)))
            day += dt.timedelta(days=1)
        total = round(per_year * ((self.today - self.start).days + 1) / 365)
        days, weights = zip(*working, strict=True)
        steps = []
        for day in sorted(rng.choices(days, weights=weights, k=total)):
            enquiry = self._enquiry(day, weighted(rng, staff))
            steps.append(self._enquiry_steps(enquiry))
        for plan in plans:
            if not plan.from_enquiry:
                continue
            case = plan.case
            enquiry = self._enquiry(case.received_on, case.officer)
            enquiry.substantial = rng.random() < 0.8
            enquiry.enquirer_type = EnquirerType.PARENT
            enquiry.enquirer_name = str(case.parent)
            enquiry.enquirer_contact = case.parent.phone
            enquiry.topic = case.primary_reason
            enquiry.summary = "Asked for help; details taken for casework."
            if enquiry.first_response_on is None or enquiry.first_response_on > case.opened_on:
                enquiry.first_response_on = case.opened_on  # as open_case records it
            enquiry.case = case
            steps.append(self._enquiry_steps(enquiry))
        # A few from this week still wait for a first response.
        day, waiting = self.today, 0
        while waiting < 4 and day >= self.start:
            if is_working_day(day):
                enquiry = self._enquiry(day, self.users["support"])
                enquiry.first_response_on = None
                steps.append(self._enquiry_steps(enquiry))
                waiting += 1
            day -= dt.timedelta(days=1)
        self.ctx.insert_with_history(Enquiry, steps)
        return {"enquiries": len(steps)}

    def _enquiry(self, day, taken_by):
        rng = self.rng
        kind = weighted(
            rng,
            [(EnquirerType.PARENT, 78), (EnquirerType.PROFESSIONAL, 17), (EnquirerType.OTHER, 5)],
        )
        name = rng.choice(self.enquirers)
        if kind == EnquirerType.PROFESSIONAL:
            name += rng.choice([", SENCo", ", health visitor", ", family support worker"])
        substantial = rng.random() < 0.3
        delay = weighted(rng, ENQUIRY_DELAYS)
        responded = add_working_days(day, delay) if delay else day
        return Enquiry(
            service=self.service,
            received_at=self.ctx.at(day),
            enquirer_type=kind,
            enquirer_name=name,
            enquirer_contact=rng.choice(self.enquirer_contacts),
            topic=weighted(rng, self.reasons),
            summary=rng.choice(ENQUIRY_SUMMARIES),
            minutes=rng.choice([20, 30, 45, 60]) if substantial else rng.choice([5, 5, 10, 15]),
            substantial=substantial,
            first_response_on=responded if responded <= self.today else None,
            taken_by=taken_by,
        )

    def _enquiry_steps(self, enquiry):
        """Recorded on receipt (answered then when answered that day), then the answer
        recorded, then the conversion to a case (open_case saves the enquiry)."""
        received = timezone.localdate(enquiry.received_at)
        answered = enquiry.first_response_on
        first = dict(first_response_on=answered if answered == received else None, case_id=None)
        changes = [(enquiry.received_at, enquiry.taken_by, "+", first)]
        converted_on = enquiry.case.opened_on if enquiry.case else None
        if answered and answered != received and answered != converted_on:
            changes.append(
                (self.ctx.at(answered), enquiry.taken_by, "~", {"first_response_on": answered})
            )
        if enquiry.case:
            state = {"case_id": enquiry.case.pk, "first_response_on": answered}
            changes.append((self.ctx.at(converted_on), enquiry.case.officer, "~", state))
        return enquiry, changes
