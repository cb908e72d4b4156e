"""Evaluation records for the results tests: forms sent by letter and keyed in from paper,
through the same actions the pages use."""

from evaluations import actions
from evaluations.enums import Channel, RecipientKind, ResponseSource
from evaluations.models import Answer, EvaluationForm


def form_of(service, kind):
    return EvaluationForm.objects.get(service=service, kind=kind)


def send(form, by, on):
    sending, _token = actions.send_form(
        form=form, by=by, channel=Channel.LETTER, recipient_kind=RecipientKind.PARENT, on=on
    )
    return sending


def answer(sending, by, received_on, *, publish=False, **given):
    """Key a paper form in: `given` maps question keys to an answer or a list of answers;
    `publish` clears its comment for publishing."""
    ids = {q.key: q.pk for q in sending.version.questions.all()}
    response = actions.record_response(
        sending=sending,
        answers={
            ids[key]: value if isinstance(value, list) else [value] for key, value in given.items()
        },
        source=ResponseSource.PAPER,
        entered_by=by,
        received_on=received_on,
    )
    if publish:
        publish_comment(response)
    return response


def publish_comment(response):
    comment = Answer.objects.get(response=response, question__key="comments")
    actions.set_comment_publishable(answer=comment, publishable=True, by=response.entered_by)
