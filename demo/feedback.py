"""The demo's complaints, compliments and suggestions: about thirty a year, most answered
within a few working days, some with the improvement they led to."""

import datetime as dt

from casework.enums import FeedbackAbout, FeedbackChannel, FeedbackKind
from casework.models import Feedback
from demo.context import weighted
from pps.workingdays import add_working_days

# How often each kind of feedback comes, by which channel and about what.
KINDS = {FeedbackKind.COMPLIMENT: 72, FeedbackKind.COMPLAINT: 10, FeedbackKind.SUGGESTION: 18}
CHANNELS = {
    FeedbackChannel.EVALUATION_FORM: 35,
    FeedbackChannel.EMAIL: 25,
    FeedbackChannel.PHONE: 15,
    FeedbackChannel.LETTER: 10,
    FeedbackChannel.IN_PERSON: 12,
    FeedbackChannel.OTHER: 3,
}
ABOUT = {
    FeedbackAbout.STAFF: 35,
    FeedbackAbout.SERVICE: 30,
    FeedbackAbout.INFORMATION: 15,
    FeedbackAbout.ACCESS: 8,
    FeedbackAbout.VOLUNTEERS: 10,
    FeedbackAbout.OTHER: 2,
}
FEEDBACK = {
    FeedbackKind.COMPLIMENT: [
        (
            "Thank you for coming to the review with me; I felt listened to for once.",
            "Thanked the parent and passed the comments to the officer.",
            "",
        ),
        (
            "The information pack explained the assessment process really clearly.",
            "Thanked and acknowledged.",
            "",
        ),
        (
            "Our volunteer was calm and kind at a very stressful meeting.",
            "Thanked; passed on to the volunteer at supervision.",
            "",
        ),
        (
            "Quick call back and practical advice; the school is now putting support in.",
            "Thanked and acknowledged.",
            "",
        ),
        (
            "A SENCo thanked us for helping the family and school work together.",
            "Thanked and acknowledged.",
            "",
        ),
    ],
    FeedbackKind.COMPLAINT: [
        (
            "Waited over a week for a call back after leaving a message.",
            "Apologised; the message had been taken during a staff absence.",
            "Voicemail now checked twice a day and call-backs logged the same day.",
        ),
        (
            "Felt the officer sided with the school at the meeting.",
            "Met the parent, explained our impartiality and agreed a change of officer.",
            "Impartiality statement now read out at the start of every meeting.",
        ),
        (
            "The leaflet on exclusions was out of date.",
            "Apologised and sent the current guidance.",
            "All leaflets reviewed each September against current guidance.",
        ),
    ],
    FeedbackKind.SUGGESTION: [
        (
            "Could the leaflets be available in Polish?",
            "Agreed; translations arranged through the LA.",
            "Key leaflets now available in Polish and Urdu.",
        ),
        (
            "Evening drop-in sessions for working parents, please.",
            "Piloting one evening session a month at the library.",
            "Monthly evening drop-in started.",
        ),
        (
            "A checklist of what to bring to an annual review would help.",
            "Thanked; a checklist is being written with the parents' forum.",
            "Annual review checklist added to the website.",
        ),
    ],
}


def generate_feedback(ctx) -> dict[str, int]:
    rng, steps = ctx.rng, []
    coordinator = ctx.users["coordinator"]
    days = (ctx.today - ctx.start).days
    for _ in range(round(30 * days / 365)):
        day = ctx.start + dt.timedelta(days=rng.randrange(days + 1))
        kind = weighted(rng, KINDS.items())
        summary, response, improvement = rng.choice(FEEDBACK[kind])
        responded = add_working_days(day, rng.randint(1, 8))
        answered = responded <= ctx.today
        item = Feedback(
            service=ctx.service,
            kind=kind,
            received_on=day,
            channel=weighted(rng, CHANNELS.items()),
            about=weighted(rng, ABOUT.items()),
            from_name=ctx.fake.name() if rng.random() < 0.5 else "",
            summary=summary,
            response=response if answered else "",
            responded_on=responded if answered else None,
            improvement=improvement if answered and rng.random() < 0.8 else "",
            publishable=rng.random() < (0.7 if kind == FeedbackKind.COMPLIMENT else 0.3),
            recorded_by=coordinator,
        )
        blank = dict(response="", responded_on=None, improvement="")
        saved_on = responded if answered else None
        steps.append(ctx.saved_once(item, coordinator, ctx.at(day), blank, saved_on))
    steps.sort(key=lambda step: step[0].received_on)
    ctx.insert_with_history(Feedback, steps)
    return {"feedback": len(steps)}
