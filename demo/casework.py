"""The demo's casework: cases, their events, contacts and volunteers' allocations.

The records obey the invariants the actions leave behind (casework/actions.py), so that
every page and report reads them as it would read records typed in:
- every case has an "opened" event on its opening day; closings and re-openings are
  dated events in order, and the case's status, closed_on, closure reason and outcome
  are those of its latest event;
- contacts fall inside an open period (docs/domain.md, "Open cases and case movements"): on or after
  the (re)opening and on or before the closing; last_contact_on is the latest contact's day and
  last_activity_on the later of that and the latest (re)opening;
- references are numbered per opening year in opening order, as open_case numbers them;
- a volunteer logs contacts only while allocated, is allocated only while an active IPS
  who covers the case's locality (and speaks the parent's language when an interpreter
  is needed), and an allocation starts while the case is open;
- every audited record has its history: a creation row when it was made and a change row
  for each later save an action would have made (a closing, a follow-up done...), with
  the version number of versioned records counting those saves.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from casework.actions import book_appointment, cancel_appointment
from casework.enums import (
    CaseEventKind,
    CaseStatus,
    ClosureReason,
    ContactMethod,
    Mention,
    OfficialExclusion,
    Outcome,
)
from casework.models import (
    Allocation,
    Case,
    CaseEvent,
    Child,
    Contact,
    ContactReason,
    Parent,
    ReferralRoute,
)
from casework.rules import closure_cutoff, closure_due_on, evaluation_cutoff, evaluation_due_on
from demo.context import by_name, weighted
from pps.models import User
from pps.workingdays import is_working_day

# How a case ends, with the outcome parents most often report for it.
CLOSINGS = [
    (ClosureReason.RESOLVED, Outcome.RESOLVED, 36),
    (ClosureReason.RESOLVED, Outcome.LOT_OF_IMPROVEMENT, 14),
    (ClosureReason.NO_CONTACT, Outcome.SOME_IMPROVEMENT, 22),
    (ClosureReason.NO_CONTACT, Outcome.ONGOING, 10),
    (ClosureReason.REFERRED_ON, Outcome.ONGOING, 8),
    (ClosureReason.WITHDREW, Outcome.NO_CHANGE, 6),
    (ClosureReason.OTHER, Outcome.NO_CHANGE, 4),
]
REFERRAL_ROUTES = {
    "Used the service before": 8,
    "School or pre-school": 26,
    "LA education service": 14,
    "Family Information Service": 4,
    "Other parent or friend": 12,
    "Voluntary sector": 5,
    "Health": 8,
    "Other council service": 3,
    "Website": 11,
    "Advert or publicity": 3,
    "Other": 2,
    "Not known": 4,
}
REASONS = {
    "EHC needs assessment request or process": 15,
    "Provision in an EHC plan": 11,
    "Provision at SEN support": 14,
    "EHC needs assessment queries": 5,
    "Annual review": 6,
    "Proposed (draft) EHC plan": 5,
    "School placement or admissions": 8,
    "Transition": 7,
    "Relationship with school": 8,
    "Fixed-term exclusion": 3,
    "Permanent exclusion": 1,
    "Unofficial exclusion": 2,
    "Bullying": 6,
    "SEND Tribunal appeal": 3,
    "Disagreement resolution": 2,
    "Transport": 2,
    "Not in full-time education": 1,
    "Other": 1,
}
# The flags a reason of contact may be the main issue of, else mentioned now and then:
# (the case's field, how often each Mention is recorded when the reason is another).
MENTIONS = {
    "Bullying": ("bullying", [(Mention.NONE, 88), (Mention.MAIN, 2), (Mention.MENTIONED, 10)]),
    "Unofficial exclusion": (
        "unofficial_exclusion",
        [(Mention.NONE, 96), (Mention.MAIN, 1), (Mention.MENTIONED, 3)],
    ),
}
# An official exclusion that is the reason of contact, and how often one is recorded else.
EXCLUSION_REASONS = {
    "Fixed-term exclusion": OfficialExclusion.FIXED_TERM,
    "Permanent exclusion": OfficialExclusion.PERMANENT,
}
OFFICIAL_EXCLUSIONS = [
    (OfficialExclusion.NONE, 97),
    (OfficialExclusion.FIXED_TERM, 2.5),
    (OfficialExclusion.PERMANENT, 0.3),
]
INTAKE_METHODS = [
    (ContactMethod.PHONE_IN, 70),
    (ContactMethod.EMAIL_IN, 20),
    (ContactMethod.OFFICE, 10),
]
STAFF_METHODS = [
    (ContactMethod.PHONE_IN, 24),
    (ContactMethod.PHONE_OUT, 30),
    (ContactMethod.EMAIL_IN, 12),
    (ContactMethod.EMAIL_OUT, 14),
    (ContactMethod.LETTER, 4),
    (ContactMethod.TEXT, 3),
    (ContactMethod.OFFICE, 2),
    (ContactMethod.HOME_VISIT, 3),
    (ContactMethod.SCHOOL_MEETING, 6),
    (ContactMethod.MULTI_AGENCY, 1),
    (ContactMethod.TRIBUNAL, 1),
]
VOLUNTEER_METHODS = [
    (ContactMethod.PHONE_OUT, 35),
    (ContactMethod.HOME_VISIT, 25),
    (ContactMethod.SCHOOL_MEETING, 30),
    (ContactMethod.MULTI_AGENCY, 6),
    (ContactMethod.TRIBUNAL, 4),
]
MINUTES = {
    ContactMethod.PHONE_IN: [5, 10, 15, 15, 20, 30, 45],
    ContactMethod.PHONE_OUT: [5, 10, 10, 15, 20, 30],
    ContactMethod.EMAIL_IN: [5, 10, 15],
    ContactMethod.EMAIL_OUT: [10, 15, 20, 30],
    ContactMethod.LETTER: [15, 20, 30],
    ContactMethod.TEXT: [5],
    ContactMethod.OFFICE: [45, 60, 90],
    ContactMethod.HOME_VISIT: [60, 90, 120],
    ContactMethod.SCHOOL_MEETING: [60, 90, 120],
    ContactMethod.MULTI_AGENCY: [90, 120],
    ContactMethod.TRIBUNAL: [120],
}
INTAKE_NOTES = [
    "First call: parent worried about {child}'s progress at {school}. Explained what we "
    "offer and our confidentiality policy; consent recorded.",
    "Details taken. Parent would like help to ask {school} for more support for {child}.",
    "Parent rang after a difficult meeting at {school}; talked through the options.",
    "First contact by email; rang back to take details and explain impartiality.",
]
NOTES = [
    "Talked through the EHC needs assessment process and the six-week decision deadline.",
    "Parent worried about {child}'s move to secondary; agreed to go to the transition review.",
    "Explained the SEN support {school} should provide; sent the SEN support leaflet.",
    "Helped parent prepare questions for the meeting with the SENCo.",
    "Went through the draft plan section by section; parent to send comments to the LA.",
    "Parent reports {child} is bullied at lunchtimes; talked about raising it with the head.",
    "Rang {school} to arrange a meeting, with the parent's consent.",
    "Explained the right of appeal and the tribunal timescales; sent the appeal guide.",
    "Parent unhappy with the LA's decision; explained disagreement resolution and mediation.",
    "Follow-up call: parent feels more confident about the next steps.",
    "{child} sent home early twice this week; explained the rules on exclusion.",
    "Parent asked about school transport; gave the LA transport team's details.",
    "Annual review next week: went through what to ask for in the report.",
    "Email from parent with the school's reply; advised on the next step.",
    "Left a voicemail; will try again next week.",
    "Sent the information pack and the dates of the parents' forum.",
    "Parent says things have settled at {school}; will close if no further concerns.",
    "Checked with the LA SEN team that the request was received.",
]
VOLUNTEER_NOTES = [
    "Visited parent at home to go through the paperwork for the assessment request.",
    "Went with parent to the review at {school}; parent put the points across well.",
    "Helped parent write the parental views for {child}'s plan.",
    "Phoned parent after the meeting to go over the actions agreed.",
    "Met parent before the meeting at {school} to agree what to raise.",
]
FOLLOW_UPS = [
    "Send the information pack",
    "Ring the SENCo",
    "Check the LA has replied",
    "Post the meeting notes",
    "Call parent after the review",
    "Send the appeal guide",
    "Chase the draft plan",
]
TRIBUNAL_NOTES = [
    "Appeal against the refusal to assess.",
    "Appeal against sections B, F and I of the plan.",
    "Appeal against the named school.",
]


def _contact(day, method, minutes, note, **more) -> dict:
    """A planned contact: Contact's fields, and its `day` (and `intake` for the contact
    that took the details)."""
    blank = dict(follow_up="", follow_up_due_on=None, follow_up_done_on=None)
    return dict(day=day, method=method, minutes=minutes, note=note, **blank) | more


@dataclass(eq=False)  # plans are compared by identity
class Plan:
    """One case's life, worked out in Python before anything is written.

    `events` are (kind, day, closure reason, outcome) in the order they happened;
    `contacts` are dicts of Contact fields with "day" for the date; `intake` marks the
    contact that took the details.
    """

    case: Case
    events: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    allocations: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    from_enquiry: bool = False
    quiet: bool = False  # kept quiet for "My work": due for closure

    @property
    def open_now(self) -> bool:
        return self.events[-1][0] != CaseEventKind.CLOSED

    def periods(self):
        """Each open period as (first day, last day or None while still open)."""
        spans, start = [], None
        for kind, day, _, _ in self.events:
            if kind == CaseEventKind.CLOSED:
                spans.append((start, day))
            else:
                start = day
        if self.open_now:
            spans.append((start, None))
        return spans


class Casework:
    def __init__(
        self, ctx, *, families, register, officer_weights, cases_per_year, contacts_per_case
    ):
        self.ctx, self.families, self.register = ctx, families, register
        self.service, self.today, self.start = ctx.service, ctx.today, ctx.start
        self.rng, self.users, self.counts = ctx.rng, ctx.users, ctx.counts
        self.officer_weights = officer_weights
        self.cases_per_year, self.contacts_per_case = cases_per_year, contacts_per_case
        self.routes = by_name(ReferralRoute.objects.filter(service=self.service), REFERRAL_ROUTES)
        # Cases are drawn from today's vocabulary; the retired values stay unused.
        reasons = list(ContactReason.objects.filter(service=self.service, active=True))
        self.reason_named = {reason.name: reason for reason in reasons}
        self.reasons = by_name(reasons, REASONS)
        # The demo officer's open cases that may be left with an evaluation due, and those left.
        self.evaluations_due = set()
        self.allocations = []

    def run(self) -> list[Plan]:
        """Plan every case, its allocations and the demo accounts' work, then write them."""
        plans = self._cases()
        self._allocate(plans)
        self._ensure_my_work(plans)
        self._ensure_volunteer_work(plans)
        self._write_people(plans)
        self._write_cases(plans)
        return plans

    def _officer_for(self, locality) -> User:
        """Mostly a caseworker who covers the locality; sometimes whoever has room."""
        candidates = [
            (user, share)
            for user, share, covered in self.officer_weights
            if locality.pk in covered or self.rng.random() < 0.1
        ]
        return weighted(self.rng, candidates or [(u, s) for u, s, _ in self.officer_weights])

    def _opening_days(self):
        """Working days, fewer in August when schools are closed; sorted."""
        days = (self.today - self.start).days + 1
        count = round(self.cases_per_year * days / 365)
        opened = []
        while len(opened) < count:
            day = self.start + dt.timedelta(days=self.rng.randrange(days))
            if not is_working_day(day) or (day.month == 8 and self.rng.random() < 0.6):
                continue
            opened.append(day)
        return sorted(opened)

    def _cases(self):
        plans = []
        for opened_on in self._opening_days():
            # A third of cases began as an enquiry a few working days before.
            from_enquiry = self.rng.random() < 0.3
            received_on = opened_on
            if from_enquiry:
                back = weighted(self.rng, [(0, 30), (1, 25), (2, 20), (3, 10), (5, 10), (8, 5)])
                while back and received_on > self.start:
                    received_on -= dt.timedelta(days=1)
                    back -= is_working_day(received_on)
            roll = self.rng.random()
            recent = [p for p in plans[-60:] if p.case.opened_on < opened_on]
            if roll < 0.07 and recent:
                # A family with another child: the same parent, a second case.
                parent = self.rng.choice(recent).case.parent
                child = self.families.child(parent.last_name, opened_on)
            elif roll < 0.09 and recent:
                # Parents who live apart, each served about the same child.
                earlier = self.rng.choice(recent)
                child = earlier.case.child
                parent = self.families.parent(received_on)
                if self.rng.random() < 0.5:
                    parent.last_name = child.last_name
            else:
                parent = self.families.parent(received_on)
                child = self.families.child(parent.last_name, opened_on)
            plan = Plan(case=self._case(parent, child, received_on, opened_on))
            plan.from_enquiry = from_enquiry
            self._lifecycle(plan)
            self._flags(plan)
            plans.append(plan)
        return plans

    def _case(self, parent, child, received_on, opened_on):
        return Case(
            service=self.service,
            parent=parent,
            child=child,
            officer=self._officer_for(parent.locality),
            locality=parent.locality,
            received_on=received_on,
            opened_on=opened_on,
            referral_route=weighted(self.rng, self.routes),
            primary_reason=weighted(self.rng, self.reasons),
        )

    def _flags(self, plan):
        """Bullying, exclusions, tribunal and disagreement resolution, in line with the
        primary reason, at the rates services report; secondary reasons to match."""
        rng, case = self.rng, plan.case
        reason = case.primary_reason.name
        named = self.reason_named
        for name, (flag, weights) in MENTIONS.items():
            setattr(case, flag, Mention.MAIN if reason == name else weighted(rng, weights))
        exclusion = EXCLUSION_REASONS.get(reason)
        case.official_exclusion = exclusion or weighted(rng, OFFICIAL_EXCLUSIONS)
        secondary = [
            named[name]
            for name, (flag, _) in MENTIONS.items()
            if getattr(case, flag) == Mention.MENTIONED and name in named
        ]
        for _ in range(weighted(rng, [(0, 40), (1, 40), (2, 20)])):
            other = weighted(rng, self.reasons)
            if other != case.primary_reason and other not in secondary:
                secondary.append(other)
        plan.reasons = secondary

        # Appeals and referrals are dated while the case is open, and not in the future.
        start, end = plan.periods()[0]
        end = min(end or self.today, self.today)

        def during_case(earliest, latest):
            first, last = start + dt.timedelta(days=earliest), start + dt.timedelta(days=latest)
            return first + dt.timedelta(days=rng.randint(0, (last - first).days))

        tribunal = reason == "SEND Tribunal appeal" or rng.random() < 0.03
        if tribunal and (end - start).days >= 20:
            case.tribunal_appeal_on = min(during_case(14, 120), end)
            case.tribunal_active_involvement = rng.random() < 0.75
            case.tribunal_notes = rng.choice(TRIBUNAL_NOTES)
        resolution = reason == "Disagreement resolution" or rng.random() < 0.04
        if resolution and (end - start).days >= 14:
            case.disagreement_resolution_on = min(during_case(7, 90), end)
            case.disagreement_resolution_active_involvement = rng.random() < 0.8

    def _span(self) -> int:
        """How long a case stays busy: a few weeks for most, a year for the hardest."""
        roll = self.rng.random()
        if roll < 0.35:
            return self.rng.randint(3, 40)
        if roll < 0.85:
            return self.rng.randint(40, 150)
        return self.rng.randint(150, 380)

    def _episode(self, plan, first: dt.date, span: int, count: int) -> dt.date:
        """Contacts of one open period: the details taken on `first`, then `count` more
        over `span` days, mostly on working days. Returns the last planned day; contacts
        planned after today are not made."""
        days = [first]
        for _ in range(count):
            # Office days, but for an email now and then at the weekend.
            for _ in range(10):
                day = first + dt.timedelta(days=self.rng.randint(0, span))
                if is_working_day(day) or self.rng.random() < 0.1:
                    break
            days.append(day)
        days.sort()
        for n, day in enumerate(days):
            if day > self.today:
                break
            if n == 0:
                method = weighted(self.rng, INTAKE_METHODS)
                note = self._note(INTAKE_NOTES, plan.case)
                minutes = self.rng.choice([20, 30, 30, 45, 60])
            else:
                method = weighted(self.rng, STAFF_METHODS)
                note = self._note(NOTES, plan.case)
                minutes = self.rng.choice(MINUTES[method])
            contact = _contact(day, method, minutes, note, intake=n == 0)
            if self.rng.random() < 0.15:
                self._follow_up(contact, due=day + dt.timedelta(days=self.rng.randint(1, 14)))
            plan.contacts.append(contact)
        return days[-1]

    def _follow_up(self, contact, due):
        """A follow-up done by its due date, unless that date is still close."""
        contact["follow_up"] = self.rng.choice(FOLLOW_UPS)
        contact["follow_up_due_on"] = due
        if due < self.today - dt.timedelta(days=2):
            done = max(contact["day"], due - dt.timedelta(days=self.rng.randint(0, 3)))
            contact["follow_up_done_on"] = done

    def _contact_count(self, span: int) -> int:
        # Busier cases last longer: contacts grow with the span, about one a fortnight.
        mean = (self.contacts_per_case - 1) * span / 90
        return max(0, min(60, round(mean * self.rng.uniform(0.4, 1.6))))

    def _closing(self, last: dt.date, reasons=CLOSINGS):
        """When and why the case closes after its last contact: 3 months on for "no
        contact", else within a few weeks."""
        reason, outcome = weighted(self.rng, [((r, o), w) for r, o, w in reasons])
        if reason == ClosureReason.NO_CONTACT:
            day = closure_due_on(last) + dt.timedelta(days=self.rng.randint(0, 25))
        else:
            day = last + dt.timedelta(days=self.rng.randint(0, 21))
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day, reason, outcome

    def _lifecycle(self, plan):
        """Opened, contacts, closed (unless the closing is still to come), and now and
        then re-opened when the parent comes back, and closed again."""
        rng, opened = self.rng, plan.case.opened_on
        plan.events.append((CaseEventKind.OPENED, opened, "", ""))
        span = self._span()
        last = self._episode(plan, opened, span, self._contact_count(span))
        closed_on, reason, outcome = self._closing(last)
        if closed_on > self.today:
            return
        plan.events.append((CaseEventKind.CLOSED, closed_on, reason, outcome))
        if rng.random() < 0.075:
            reopened = closed_on + dt.timedelta(days=rng.randint(20, 300))
            while not is_working_day(reopened):
                reopened += dt.timedelta(days=1)
            if reopened > self.today:
                return
            plan.events.append((CaseEventKind.REOPENED, reopened, "", ""))
            span = rng.randint(7, 90)
            last = self._episode(plan, reopened, span, rng.randint(1, 6))
            closed_again, reason, outcome = self._closing(last, CLOSINGS[:4])
            if closed_again <= self.today:
                plan.events.append((CaseEventKind.CLOSED, closed_again, reason, outcome))

    # Volunteers on cases ----------------------------------------------------------------

    def _allocate(self, plans):
        """About one case in seven has an IPS: from a week or three after opening until the
        case closes, or sooner when the support ends. The demo volunteer's current
        allocations are chosen by _ensure_volunteer_work."""
        for plan in plans:
            reason = plan.case.primary_reason.name
            wanted = 0.3 if reason in ("SEND Tribunal appeal", "Disagreement resolution") else 0.13
            if self.rng.random() >= wanted:
                continue
            first, closed = plan.periods()[0]
            start = first + dt.timedelta(days=self.rng.randint(7, 21))
            if start > self.today or (closed is not None and start >= closed):
                continue
            end = closed
            if self.rng.random() < 0.2:
                earlier = start + dt.timedelta(days=self.rng.randint(21, 90))
                if earlier <= self.today and (closed is None or earlier < closed):
                    end = earlier
            able = [
                v
                for v in self.register.volunteers
                if self.register.may_support(v, plan.case, start, end)
                and not (v is self.register.demo_volunteer and end is None)
            ]
            if able:
                # The coordinator spreads the work: the least busy volunteer that day.
                load = {v.pk: self._allocated_on(v, start) for v in able}
                fewest = min(load.values())
                chosen = self.rng.choice([v for v in able if load[v.pk] == fewest])
                self._add_allocation(plan, chosen, start, end)

    def _allocated_on(self, volunteer, day) -> int:
        return sum(a.volunteer is volunteer and _current(a, day) for a in self.allocations)

    def _add_allocation(self, plan, volunteer, start, end):
        allocation = Allocation(
            service=self.service,
            case=plan.case,
            volunteer=volunteer,
            started_on=start,
            ended_on=end,
            allocated_by=plan.case.officer,
        )
        plan.allocations.append(allocation)
        self.allocations.append(allocation)

    def _ensure_volunteer_work(self, plans):
        """The demo volunteer supports three open cases now, with contacts of their own,
        and has supported at least one case that has closed."""
        volunteer, user = self.register.demo_volunteer, self.users["volunteer"]
        ended = any(a.volunteer is volunteer for p in plans for a in p.allocations)
        if not ended:
            for plan in reversed([p for p in plans if not p.open_now and not p.allocations]):
                first, closed = plan.periods()[0]
                start = first + dt.timedelta(days=min(7, (closed - first).days))
                if start < closed and self.register.may_support(
                    volunteer, plan.case, start, closed
                ):
                    self._add_allocation(plan, volunteer, start, closed)
                    break
        week_ago = self.today - dt.timedelta(days=7)
        candidates = [
            p
            for p in plans
            if p.open_now
            and not p.allocations
            and not p.quiet
            and id(p) not in self.evaluations_due
            and p.periods()[-1][0] < week_ago - dt.timedelta(days=14)
        ]
        chosen = []
        for plan in reversed(candidates):
            if len(chosen) == 3:
                break
            if not self.register.may_support(volunteer, plan.case, week_ago, None):
                if plan.case.parent.interpreter_needed or plan.case.locality is None:
                    continue
                # Asked to cover one more area for this family, as coordinators do.
                if len(self.register.covers[volunteer.pk]) >= 3:
                    continue
                self.register.covers[volunteer.pk].add(plan.case.locality.pk)
            chosen.append(plan)
        for plan in chosen:
            opened = plan.periods()[-1][0]
            start = opened + dt.timedelta(days=self.rng.randint(5, 12))
            self._add_allocation(plan, volunteer, start, None)
            # The volunteer's own contacts: one a while ago, one in the last fortnight.
            for lo, hi in (((start - self.today).days, -15), (-14, -1)):
                day = self.today + dt.timedelta(days=self.rng.randint(min(lo, hi), hi))
                if day < start:
                    continue
                method = weighted(self.rng, VOLUNTEER_METHODS)
                minutes = self.rng.choice(MINUTES[method])
                note = self._note(VOLUNTEER_NOTES, plan.case)
                plan.contacts.append(
                    _contact(day, method, minutes, note, by=user, volunteer=volunteer)
                )

    # "My work" --------------------------------------------------------------------------

    def _ensure_my_work(self, plans):
        """Give the demo officer's open cases something in every section of "My work":
        cases due for closure, evaluations due, recent contacts with follow-ups due."""
        officer = self.users["officer"]
        open_plans = [p for p in plans if p.open_now]
        mine = [p for p in open_plans if p.case.officer == officer]
        # A small demo may leave the officer few cases: take over some from colleagues.
        for plan in reversed(open_plans):
            if len(mine) >= 8:
                break
            if plan not in mine:
                plan.case.officer = officer
                mine.append(plan)
        # Due for closure: quiet for more than three months (a few, not a backlog), taken
        # over from a colleague if the officer has none old enough.
        cutoff = closure_cutoff(self.today) - dt.timedelta(days=3)
        quiet = [p for p in mine if self._last_activity(p) <= cutoff]
        never_closed = [p for p in mine + open_plans if len(p.events) == 1]
        for plan in never_closed:
            if len(quiet) >= 3:
                break
            if plan not in quiet and plan.case.opened_on <= cutoff:
                plan.contacts = [c for c in plan.contacts if c["day"] <= cutoff]
                plan.case.officer = officer
                quiet.append(plan)
                if plan not in mine:
                    mine.append(plan)
        for plan in quiet:
            plan.quiet = True
        # Recent work, with follow-ups due this week (two overdue, the rest to come).
        busy = [p for p in mine if p not in quiet and p.periods()[-1][0] <= self.today]
        for n, plan in enumerate(busy[-5:]):
            opened = plan.periods()[-1][0]
            day = self.today - dt.timedelta(days=(1, 2, 4, 6, 8)[n])
            while not is_working_day(day) and day > opened:
                day -= dt.timedelta(days=1)
            day = max(day, opened)
            minutes = self.rng.choice([10, 15, 20, 30])
            note = self._note(NOTES, plan.case)
            due = max(self.today + dt.timedelta(days=(-2, -1, 1, 3, 6)[n]), day)
            contact = _contact(day, ContactMethod.PHONE_OUT, minutes, note, by=officer)
            contact.update(follow_up=self.rng.choice(FOLLOW_UPS), follow_up_due_on=due)
            plan.contacts.append(contact)
        # Evaluations due: a few cases quiet for a month or more and no evaluation sent yet.
        # The rest of the service's are sent a month or so after the last contact, so
        # that the list stays short (see _evaluation_sent).
        cutoff = evaluation_cutoff(self.today)
        last_contact = {id(p): max((c["day"] for c in p.contacts), default=None) for p in plans}
        waiting = [
            p
            for p in plans
            if p.case.officer == officer
            and not p.quiet
            and p not in busy[-5:]
            and last_contact[id(p)]
            and last_contact[id(p)] <= cutoff
        ]
        # Open cases first, then the latest.
        waiting.sort(key=lambda p: (not p.open_now, -last_contact[id(p)].toordinal()))
        self.evaluations_due = {id(p) for p in waiting[:3]}

    def _note(self, notes, case) -> str:
        child = case.child
        return self.rng.choice(notes).format(
            child=child.first_name, school=child.school_name or "school"
        )

    @staticmethod
    def _last_activity(plan) -> dt.date:
        openings = [day for kind, day, _, _ in plan.events if kind != CaseEventKind.CLOSED]
        return max([c["day"] for c in plan.contacts] + openings)

    # Writing ----------------------------------------------------------------------------

    def _write_people(self, plans):
        cases = [p.case for p in plans]
        parents = list({id(c.parent): c.parent for c in cases}.values())
        children = list({id(c.child): c.child for c in cases}.values())
        first_case = {}
        for case in cases:
            first_case.setdefault(id(case.parent), case)
            first_case.setdefault(id(case.child), case)

        def created(record):
            case = first_case[id(record)]
            return [(self.ctx.at(case.received_on), case.officer, "+", {})]

        self.ctx.insert_with_history(Parent, [(p, created(p)) for p in parents])
        child_rows = self.ctx.insert_with_history(Child, [(c, created(c)) for c in children])
        needs = [(child, need) for child in children for need in child.demo_secondary_needs]
        self.ctx.link_with_history(Child, "secondary_needs", child_rows, needs)
        self.register.write_covers()

    def _write_cases(self, plans):
        numbers, steps = {}, []
        for plan in sorted(plans, key=lambda p: p.case.opened_on):
            case = plan.case
            case.parent_id, case.child_id = case.parent.pk, case.child.pk
            year = case.opened_on.year
            numbers[year] = numbers.get(year, 0) + 1
            case.reference = f"{self.service.reference_prefix}-{year}-{numbers[year]:04d}"
            contact_days = [c["day"] for c in plan.contacts]
            case.last_contact_on = max(contact_days, default=None)
            case.last_activity_on = self._last_activity(plan)
            for name, value in _state(*plan.events[-1]).items():
                setattr(case, name, value)
            case.evaluation_sent_on = self._evaluation_sent(plan)
            steps.append((case, self._case_changes(plan)))
        rows = self.ctx.insert_with_history(Case, steps, batch_size=500)
        reasons = [(plan.case, reason) for plan in plans for reason in plan.reasons]
        self.ctx.link_with_history(Case, "secondary_reasons", rows, reasons)

        events, contact_steps, allocation_steps = [], [], []
        support = self.users["support"]
        for plan in plans:
            case = plan.case
            opening = None
            for kind, day, reason, outcome in plan.events:
                event = CaseEvent(
                    service=self.service,
                    case=case,
                    kind=kind,
                    on=day,
                    by=case.officer,
                    closure_reason=reason,
                    outcome=outcome,
                )
                if kind == CaseEventKind.CLOSED:
                    opening.ended_on = day  # as casework.actions.close_case keeps it
                else:
                    opening = event
                events.append(event)
            for allocation in plan.allocations:
                created_at = self.ctx.at(allocation.started_on)
                allocation_steps.append(
                    self.ctx.saved_once(
                        allocation,
                        case.officer,
                        created_at,
                        {"ended_on": None},
                        allocation.ended_on,
                    )
                )
            for planned in sorted(plan.contacts, key=lambda c: c["day"]):
                c = {k: v for k, v in planned.items() if k not in ("day", "intake")}
                if "by" not in c:
                    c["by"] = case.officer
                    helper = self._volunteer_on(plan, planned["day"])
                    if helper and not planned.get("intake") and self.rng.random() < 0.5:
                        c["by"], c["volunteer"] = self.register.users[helper.pk], helper
                        c["method"] = weighted(self.rng, VOLUNTEER_METHODS)
                        c["minutes"] = self.rng.choice(MINUTES[c["method"]])
                    elif self.rng.random() < 0.04:
                        c["by"] = support  # admin support keys in a letter or a message
                at = self.ctx.at(planned["day"])
                contact = Contact(service=self.service, case=case, at=at, **c)
                done, blank = contact.follow_up_done_on, {"follow_up_done_on": None}
                contact_steps.append(self.ctx.saved_once(contact, contact.by, at, blank, done))
        CaseEvent.objects.bulk_create(events, batch_size=1000)
        self.ctx.insert_with_history(Allocation, allocation_steps)
        self.ctx.insert_with_history(Contact, contact_steps)
        self.counts.update(
            cases=len(plans),
            open_cases=sum(p.open_now for p in plans),
            contacts=len(contact_steps),
            allocations=len(allocation_steps),
        )

    def _volunteer_on(self, plan, day):
        """The signed-in volunteer allocated to the case on `day`, if any."""
        for allocation in plan.allocations:
            if _current(allocation, day) and allocation.volunteer.pk in self.register.users:
                return allocation.volunteer
        return None

    def _evaluation_sent(self, plan):
        """Sent a month or so after the last contact, as the service does; on the demo
        officer's cases a few are left due, and so are some of the latest elsewhere."""
        last = max((c["day"] for c in plan.contacts), default=None)
        if last is None:
            return None
        sent = evaluation_due_on(last) + dt.timedelta(days=self.rng.randint(0, 10))
        if id(plan) in self.evaluations_due or sent > self.today:
            return None
        if (self.today - last).days < 70 and self.rng.random() < 0.4:
            return None
        return sent

    def _case_changes(self, plan):
        """The case's saves: opened, then each closing, re-opening and evaluation sent."""
        case = plan.case
        opened = {**_state(*plan.events[0]), "evaluation_sent_on": None}
        changes = [(self.ctx.at(case.opened_on), case.officer, "+", opened)]
        later = [(event[1], n, _state(*event)) for n, event in enumerate(plan.events[1:])]
        sent = case.evaluation_sent_on
        if sent:
            later.append((sent, len(later), {"evaluation_sent_on": sent}))
        for day, _, state in sorted(later, key=lambda change: change[:2]):
            changes.append((self.ctx.at(day), case.officer, "~", state))
        return changes


def _current(allocation, day) -> bool:
    return allocation.started_on <= day and (
        allocation.ended_on is None or day < allocation.ended_on
    )


def _state(kind, day, reason, outcome) -> dict:
    """The case's fields as an event leaves them: closed, with its reason and outcome, or open."""
    if kind == CaseEventKind.CLOSED:
        return dict(status=CaseStatus.CLOSED, closed_on=day, closure_reason=reason, outcome=outcome)
    return dict(status=CaseStatus.OPEN, closed_on=None, closure_reason="", outcome="")


def generate_appointments(ctx, plans) -> dict[str, int]:
    """A week of the demo officer's diary on their open cases (My work's appointments),
    one of them cancelled. Drawn without the random generator, so that everything made
    after it is as before."""
    officer = ctx.users["officer"]
    cases = [p.case for p in plans if p.open_now and p.case.officer == officer][:5]
    diary = [
        (0, dt.time(9, 30), 60, ContactMethod.OFFICE, "Our office, meeting room 2"),
        (0, dt.time(14, 0), 90, ContactMethod.SCHOOL_MEETING, "The child's school"),
        (1, dt.time(11, 0), 30, ContactMethod.PHONE_OUT, ""),
        (3, dt.time(10, 0), 60, ContactMethod.HOME_VISIT, "The family's home"),
        (9, dt.time(13, 30), 120, ContactMethod.MULTI_AGENCY, "County Hall, room 4"),
    ]
    made = []
    for case, (days, time, minutes, kind, place) in zip(cases, diary, strict=False):
        day = ctx.today + dt.timedelta(days=days)
        starts_at = timezone.make_aware(dt.datetime.combine(day, time))
        made.append(
            book_appointment(
                case=case,
                officer=officer,
                starts_at=starts_at,
                minutes=minutes,
                kind=kind,
                place=place,
            )
        )
    if made:
        cancel_appointment(appointment=made[-1])
    return {"appointments": len(made)}
