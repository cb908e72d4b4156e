"""Demo evaluations and events: forms sent, answered by a share of parents, events each term.

Every case the main generator marked as having its parent evaluation sent gets the sending
of that day (so "evaluation sent on" and the sendings agree), about a third of them come
back, some professionals are asked too, and each term has a forum meeting, a road show and
a training session whose handed-out forms partly come back. Written with bulk inserts;
the links are real hashes of tokens nobody holds, so no demo link can be answered.
"""

import datetime as dt
import hashlib

from simple_history.utils import bulk_create_with_history

from casework.models import Case
from evaluations.enums import NOT_APPLICABLE, Channel, EventKind, QuestionKind, RecipientKind
from evaluations.models import Answer, EvaluationForm, Event, Response, Sending

COMMENTS = [
    "Fabulous service. Extremely knowledgeable and supportive.",
    "I felt listened to for the first time.",
    "The information about the annual review helped me prepare.",
    "It would have helped to hear back a little sooner.",
    "A lifeline when we did not know where to turn.",
    "Clear, calm advice at a difficult time.",
    "I now feel confident to speak to the school myself.",
]
EVENT_COMMENTS = [
    "Really useful to hear how the process works step by step.",
    "Good to meet other parents in the same position.",
    "More time for questions next time, please.",
    "The speaker was clear and easy to follow.",
    "Could the handouts be sent by email as well?",
    "I came away knowing what to ask at the next review.",
]
# Answer weights for each kind of question, best first (as SCALE_ANSWERS orders them).
RATING_WEIGHTS = {"excellence": [58, 26, 11, 4, 1], "met": [48, 44, 7, 1]}
YES_WEIGHT = 0.93
# Whom each form is sent to, and the share of them that comes back.
RECIPIENTS = {
    "parent": (RecipientKind.PARENT, 0.37),
    "professional": (RecipientKind.PROFESSIONAL, 0.52),
    "event": (RecipientKind.ATTENDEE, 0.6),
}
EVENTS = [
    (EventKind.FORUM, "Parents' forum", "Preparing for annual reviews", (8, 22), (1, 4)),
    (EventKind.ROADSHOW, "Road show", "Understanding EHC plans", (15, 40), (2, 8)),
    (
        EventKind.PROFESSIONAL_TRAINING,
        "Training for SENCos",
        "Working with parents",
        (0, 2),
        (10, 25),
    ),
]


def _token_hash(rng) -> str:
    return hashlib.sha256(rng.randbytes(16)).hexdigest()


def _answer(question, rng, kind) -> list[str]:
    if question.kind == QuestionKind.TEXT:
        said = EVENT_COMMENTS if kind == "event" else COMMENTS
        return [rng.choice(said)] if rng.random() < 0.4 else []
    if not question.required and rng.random() < 0.08:
        return []
    if question.allow_not_applicable and rng.random() < 0.1:
        return [NOT_APPLICABLE]
    answers = [a for a in question.answers() if a != NOT_APPLICABLE]
    if question.kind == QuestionKind.RATING:
        return rng.choices(answers, weights=RATING_WEIGHTS[question.scale])
    if question.kind == QuestionKind.YES_NO:
        return ["Yes" if rng.random() < YES_WEIGHT else "No"]
    if question.kind == QuestionKind.MULTIPLE:
        return rng.sample(answers, rng.randint(1, 2))
    return [rng.choice(answers)]


class _Writer:
    def __init__(self, service, rng, today):
        self.service, self.rng, self.today = service, rng, today
        self.sendings: list[Sending] = []
        self.forms = {
            form.kind: form.versions.filter(published_at__isnull=False).order_by("-number")[0]
            for form in EvaluationForm.objects.filter(service=service)
        }
        self.questions = {
            kind: list(version.questions.all()) for kind, version in self.forms.items()
        }

    def send(self, kind, on, by, channel, **fields):
        recipient_kind, return_rate = RECIPIENTS[kind]
        sending = Sending(
            service=self.service,
            version=self.forms[kind],
            sent_on=on,
            sent_by=by,
            channel=channel,
            recipient_kind=recipient_kind,
            token_hash=_token_hash(self.rng),
            expires_on=on + dt.timedelta(days=self.service.evaluation_link_days),
            email_status="sent" if channel == Channel.EMAIL else "",
            email_attempts=1 if channel == Channel.EMAIL else 0,
            **fields,
        )
        sending.demo_kind = kind
        sending.demo_returns = self.rng.random() < return_rate
        self.sendings.append(sending)

    def write(self, staff) -> dict:
        # Two recent emails that never arrived, so that "Emails that failed" has something
        # to retry.
        emailed = [s for s in self.sendings if s.channel == Channel.EMAIL and not s.demo_returns]
        for sending in sorted(emailed, key=lambda s: s.sent_on)[-2:]:
            sending.email_status = "failed"
            sending.email_error = "The mail server refused the connection."
        bulk_create_with_history(self.sendings, Sending)
        responses, pending = [], []
        for sending in self.sendings:
            received = sending.sent_on + dt.timedelta(days=self.rng.randint(2, 35))
            if not sending.demo_returns or received > self.today:
                continue
            online = sending.channel == Channel.EMAIL or self.rng.random() < 0.2
            responses.append(
                Response(
                    service=self.service,
                    sending=sending,
                    version=sending.version,
                    sent_on=sending.sent_on,
                    received_on=received,
                    source="online" if online else "paper",
                    entered_by=None if online else self.rng.choice(staff),
                )
            )
            pending.append(sending.demo_kind)
        Response.objects.bulk_create(responses)
        answers = [
            Answer(
                service=self.service,
                response=response,
                question=question,
                value=value,
                publishable=question.kind == QuestionKind.TEXT and self.rng.random() < 0.6,
            )
            for response, kind in zip(responses, pending, strict=True)
            for question in self.questions[kind]
            for value in _answer(question, self.rng, kind)
        ]
        Answer.objects.bulk_create(answers)
        return {
            "evaluation_sendings": len(self.sendings),
            "evaluation_responses": len(responses),
        }


def generate_evaluations(*, service, staff, start: dt.date, today: dt.date, rng, fake) -> dict:
    """Sendings, responses and events of the demo service from `start` to `today`."""
    writer = _Writer(service, rng, today)
    sent_cases = (
        Case.objects.filter(service=service, evaluation_sent_on__isnull=False)
        .select_related("parent", "officer")
        .order_by("id")
    )
    for case in sent_cases:
        email, on, by = case.parent.email, case.evaluation_sent_on, case.officer
        channel = Channel.EMAIL if email else Channel.LETTER
        writer.send(
            "parent",
            on,
            by,
            channel,
            case=case,
            recipient_name=str(case.parent),
            recipient_email=email,
        )
        if rng.random() < 0.15:
            writer.send(
                "professional",
                on,
                by,
                Channel.EMAIL,
                case=case,
                recipient_name=fake.name(),
                recipient_email=fake.company_email(),
                recipient_organisation=f"{fake.last_name()} Primary School",
            )
    events = []
    term_starts = [(9, 20), (1, 25), (4, 25)]
    for year in range(start.year, today.year + 1):
        for month, day in term_starts:
            held = dt.date(year if month >= 9 else year + 1, month, day)
            if not start <= held <= today:
                continue
            for kind, title, topic, parents, professionals in EVENTS:
                events.append(
                    Event(
                        service=service,
                        kind=kind,
                        title=title,
                        topic=topic,
                        on=held + dt.timedelta(days=rng.randint(0, 20)),
                        venue=f"{fake.city()} Children's Centre",
                        speaker=fake.name(),
                        parents_attending=rng.randint(*parents),
                        professionals_attending=rng.randint(*professionals),
                        volunteers_attending=rng.randint(0, 3),
                        recorded_by=rng.choice(staff),
                        # The demo's coordinator has cleared the (generic) titles and
                        # topics for the steering group; the speaker is never shown to it.
                        cleared_for_steering=True,
                    )
                )
    events = [event for event in events if event.on <= today]
    Event.objects.bulk_create(events)
    for event in events:
        for _ in range(event.parents_attending + event.professionals_attending):
            writer.send("event", event.on, event.recorded_by, Channel.HANDED_OUT, event=event)
    counts = writer.write(staff)
    counts["events"] = len(events)
    return counts
