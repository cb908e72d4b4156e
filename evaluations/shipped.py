"""The forms every service starts with (docs/domain.md, "Evaluation forms"), from the forms the
seed services used (banes-pps-annual-report-2012-13 section 6; cambridgeshire-pps-annual-
report-2009-10 appendices 2, 4 and 5). A coordinator copies or edits them as data.
"""

from dataclasses import dataclass, field

from evaluations.enums import FormKind, Measure, QuestionKind, Scale


@dataclass(frozen=True)
class Q:
    key: str
    text: str
    kind: QuestionKind
    scale: str = ""
    options: list = field(default_factory=list)
    required: bool = False
    allow_not_applicable: bool = False
    measure: str = Measure.NONE


def rating(key, text, scale=Scale.EXCELLENCE, **kw) -> Q:
    return Q(key, text, QuestionKind.RATING, scale=scale, **kw)


def yes_no(key, text, **kw) -> Q:
    return Q(key, text, QuestionKind.YES_NO, **kw)


def text(key, text, **kw) -> Q:
    return Q(key, text, QuestionKind.TEXT, **kw)


SHIPPED_FORMS = [
    (
        FormKind.PARENT,
        "Parent evaluation",
        "We would like to know how we did. Your answers are confidential and help us to "
        "improve the service for other families.",
        [
            rating(
                "helpfulness",
                "How helpful was the support you received?",
                required=True,
                measure=Measure.SATISFACTION,
            ),
            rating("sensitivity", "How would you rate the sensitivity and understanding of staff?"),
            rating(
                "information",
                "How would you rate the quality of the information you were given?",
                allow_not_applicable=True,
            ),
            yes_no("impartial", "Was the service impartial?", measure=Measure.IMPARTIALITY),
            yes_no("confidence", "Do you feel more confident to deal with the issues?"),
            Q(
                "situation",
                "How is the situation now?",
                QuestionKind.SINGLE,
                options=[
                    "Resolved",
                    "Some improvement",
                    "A lot of improvement",
                    "Ongoing",
                    "No change",
                ],
            ),
            yes_no("contact_again", "Would you contact us again?"),
            yes_no("recommend", "Would you recommend us to others?"),
            text("comments", "Any comments"),
        ],
    ),
    (
        FormKind.PROFESSIONAL,
        "Professional evaluation",
        "You worked with us while we supported a parent or carer. Please tell us how we did.",
        [
            rating(
                "friendliness",
                "How would you rate the friendliness and approachability of our staff?",
                required=True,
                measure=Measure.SATISFACTION,
            ),
            rating(
                "sen_knowledge",
                "How would you rate our representative's knowledge of SEN procedure?",
                allow_not_applicable=True,
            ),
            yes_no("impartial", "Was the service impartial?", measure=Measure.IMPARTIALITY),
            yes_no("difference", "Did our involvement make a difference?"),
            text("comments", "Any comments"),
        ],
    ),
    (
        FormKind.EVENT,
        "Event and training evaluation",
        "Thank you for coming. Please tell us what you thought of the session.",
        [
            rating(
                "needs_met",
                "Did the session meet your needs?",
                scale=Scale.MET,
                required=True,
                measure=Measure.SATISFACTION,
            ),
            yes_no("attended_before", "Have you been to one of our events before?"),
            yes_no("attend_again", "Would you come to another of our events?"),
            Q(
                "reasons",
                "Why did you come? (choose any)",
                QuestionKind.MULTIPLE,
                options=[
                    "Information or training",
                    "Obtaining advice",
                    "General interest",
                    "Meeting other parents",
                    "Being consulted on your views",
                ],
            ),
            text("improve", "What could we do better?"),
            text("comments", "Any other comments"),
        ],
    ),
    (
        FormKind.SCHOOLS,
        "Schools' satisfaction survey",
        "Please help us to improve the information and support we give schools and parents.",
        [
            yes_no(
                "contacted",
                "Have you contacted the service this academic year for advice or information?",
                required=True,
            ),
            yes_no(
                "useful",
                "Was the advice or information given useful and appropriate?",
                allow_not_applicable=True,
                measure=Measure.SATISFACTION,
            ),
            yes_no(
                "course_information",
                "Is the information we send about courses and conferences of use to you?",
            ),
            yes_no(
                "circulate",
                "Do you pass course and event information on to parents in a bulletin or "
                "newsletter?",
            ),
            yes_no("newsletter", "Do you find our newsletter useful for school staff and parents?"),
            yes_no(
                "newsletter_copies",
                "Would you like copies of the newsletter for every parent of a child with SEN?",
            ),
            Q(
                "awareness",
                "How do you make parents aware of our contact details? (choose any)",
                QuestionKind.MULTIPLE,
                options=[
                    "We give them to every parent of a child with SEN",
                    "We choose which parents to tell",
                    "Only when there is a problem",
                    "School prospectus or website",
                    "Other",
                ],
            ),
            text("comments", "Any comments"),
        ],
    ),
    (
        FormKind.VOLUNTEER,
        "Volunteer questionnaire",
        "As one of our volunteers, your view of how we support you matters to us.",
        [
            rating(
                "supported",
                "How well supported by the service do you feel?",
                required=True,
                measure=Measure.SATISFACTION,
            ),
            rating("training_met", "Did your training prepare you for the role?", scale=Scale.MET),
            yes_no("supervision_enough", "Is your supervision frequent enough?"),
            text("further_training", "What further training would help you?"),
            text("comments", "Any comments"),
        ],
    ),
]


def create_shipped_forms(service, *, form_model, version_model, question_model, published_at):
    """Write the shipped forms for `service`, each with a published version 1.

    The models are passed in so that the data migration (with its historical models) and
    the action for new services write the very same rows.
    """
    for kind, title, introduction, questions in SHIPPED_FORMS:
        form = form_model.objects.create(
            service=service, kind=kind, title=title, introduction=introduction
        )
        version = version_model.objects.create(
            service=service, form=form, number=1, published_at=published_at
        )
        question_model.objects.bulk_create(
            question_model(
                service=service,
                version=version,
                position=position,
                key=q.key,
                text=q.text,
                kind=q.kind,
                scale=q.scale,
                options=list(q.options),
                required=q.required,
                allow_not_applicable=q.allow_not_applicable,
                measure=q.measure,
            )
            for position, q in enumerate(questions, start=1)
        )
