"""Evaluation forms sent and their responses, one row per form sent: a row with a
`received_on` was answered, one without was sent and not returned (return rates count
both, docs/domain.md 4.0)."""

import json
import secrets
from collections import defaultdict

from simple_history.utils import bulk_create_with_history

from casework.models import Case
from evaluations import links
from evaluations.enums import (
    NOT_APPLICABLE,
    Channel,
    EmailStatus,
    QuestionKind,
    RecipientKind,
    ResponseSource,
)
from evaluations.models import Answer, EvaluationForm, FormVersion, Question, Response, Sending
from transfers.cells import CellError, Choice, Column, Date, Kind, Text, WholeNumber, cell_text
from transfers.layouts.base import Layout, no_such_case

BATCH = 2000


class Answers(Kind):
    """The answers as a JSON object: question key → answer, or a list of answers for a
    question that takes several."""

    description = 'JSON object of question key → answer, e.g. {"helpfulness": "Good"}'

    def parse(self, raw, context):
        try:
            value = json.loads(cell_text(raw))
        except ValueError:
            raise CellError("Not a JSON object of answers.") from None
        if not isinstance(value, dict) or not all(
            isinstance(v, str) or (isinstance(v, list) and all(isinstance(i, str) for i in v))
            for v in value.values()
        ):
            raise CellError("Not a JSON object of question keys and answers.")
        return {str(k): ([v] if isinstance(v, str) else v) for k, v in value.items()}

    def format(self, value) -> str:
        return json.dumps(value, ensure_ascii=False) if value else ""

    @property
    def empty(self):
        return {}


class EvaluationLayout(Layout):
    key = "evaluation-responses"
    title = "Evaluation forms sent and their responses"
    creates = ("forms sent", "responses", "answers")
    preview_columns = ("reference", "form", "recipient_kind", "sent_on", "received_on")
    columns = (
        Column("reference", "The sending's reference in the old system (unique in the file).",
               Text(100), required=True),
        Column("form", "The title of one of the service's evaluation forms.", Text(200),
               required=True),
        Column("version", "The form's version answered (its latest published one when "
               "empty).", WholeNumber(minimum=1)),
        Column("recipient_kind", "Who it was sent to.", Choice(choices=RecipientKind),
               required=True),
        Column("recipient_name", "Their name.", Text(200)),
        Column("recipient_email", "Their email address.", Text(254)),
        Column("recipient_organisation", "Their organisation.", Text(200)),
        Column("case_reference", "The case it was about (a case already in the service).",
               Text(20)),
        Column("channel", "How it was sent.", Choice(choices=Channel), required=True),
        Column("sent_on", "When it was sent.", Date(), required=True),
        Column("received_on", "When the answers came back (empty: not returned).", Date()),
        Column("source", "How the answers came (paper when empty).",
               Choice(choices=ResponseSource)),
        Column("answers", "The answers, by the form's question keys.", Answers()),
    )  # fmt: skip
    example = {
        "reference": "EV-301",
        "form": "Parent evaluation",
        "version": "",
        "recipient_kind": "parent",
        "recipient_name": "Sam Example",
        "recipient_email": "",
        "recipient_organisation": "",
        "case_reference": "OLD-2019-0042",
        "channel": "letter",
        "sent_on": "2019-06-20",
        "received_on": "2019-07-01",
        "source": "paper",
        "answers": '{"helpfulness": "Excellent", "comments": "Thank you"}',
    }

    def _forms(self, context):
        """Forms by title, each version's questions by key: three queries for the service."""
        if "_forms" not in context.__dict__:
            forms = {
                form.title.lower(): form
                for form in EvaluationForm.objects.filter(service=context.service)
            }
            versions = defaultdict(dict)
            for version in FormVersion.objects.filter(
                service=context.service, published_at__isnull=False
            ):
                versions[version.form_id][version.number] = version
            questions = defaultdict(dict)
            for question in Question.objects.filter(service=context.service):
                questions[question.version_id][question.key] = question
            context.__dict__["_forms"] = (forms, versions, questions)
        return context.__dict__["_forms"]

    def check_row(self, values, context):
        forms, versions, questions = self._forms(context)
        form = forms.get(values["form"].lower())
        if form is None:
            yield "form", f"The service has no evaluation form called “{values['form']}”."
            return
        published = versions.get(form.pk, {})
        number = values["version"] or max(published, default=None)
        version = published.get(number)
        if version is None:
            yield "version", "This form has no such published version."
            return
        values["_version"] = version
        if values["case_reference"] and values["case_reference"] not in context.cases:
            yield no_such_case(values["case_reference"])
        received = values["received_on"]
        if received and received < values["sent_on"]:
            yield "received_on", "A form cannot come back before it was sent."
        if values["answers"] and not received:
            yield "received_on", "Answers need the day they came back."
        asked = questions.get(version.pk, {})
        for key, given in values["answers"].items():
            question = asked.get(key)
            if question is None:
                yield "answers", f"The form has no question “{key}”."
                continue
            allowed = question.answers()
            if allowed and any(answer not in allowed for answer in given):
                yield "answers", f"“{key}”: answer with one of: {', '.join(allowed)}."
            elif question.kind != QuestionKind.MULTIPLE and len(given) > 1:
                yield "answers", f"“{key}”: one answer only."
            elif NOT_APPLICABLE in given and len(given) > 1:
                yield "answers", f"“{key}”: “Not applicable” cannot go with another answer."
        if received:
            missing = [
                key for key, q in asked.items() if q.required and not values["answers"].get(key)
            ]
            if missing:
                yield "answers", "Required question(s) not answered: " + ", ".join(missing) + "."

    def counts(self, rows, context):
        return {
            "forms sent": len(rows),
            "responses": sum(1 for row in rows if row["received_on"]),
            "answers": sum(len(set(v)) for row in rows for v in row["answers"].values()),
        }

    def load(self, rows, context, *, by, run):
        service = context.service
        _, _, questions = self._forms(context)
        sendings = [
            Sending(
                service=service,
                version=row["_version"],
                case_id=context.cases[row["case_reference"]][0] if row["case_reference"] else None,
                recipient_kind=row["recipient_kind"],
                recipient_name=row["recipient_name"],
                recipient_email=row["recipient_email"],
                recipient_organisation=row["recipient_organisation"],
                channel=row["channel"],
                sent_on=row["sent_on"],
                sent_by=by,
                # A link nobody was given: an imported form is never answered online here.
                token_hash=links.token_hash(secrets.token_hex(16)),
                expires_on=row["sent_on"],
                email_status=EmailStatus.SENT if row["channel"] == Channel.EMAIL else "",
            )
            for row in rows
        ]
        sendings = bulk_create_with_history(sendings, Sending, batch_size=BATCH, default_user=by)
        answered = [(s, row) for s, row in zip(sendings, rows, strict=True) if row["received_on"]]
        responses = Response.objects.bulk_create(
            (
                Response(
                    service=service,
                    sending=sending,
                    version=row["_version"],
                    sent_on=row["sent_on"],
                    received_on=row["received_on"],
                    source=row["source"] or ResponseSource.PAPER,
                    entered_by=by,
                )
                for sending, row in answered
            ),
            batch_size=BATCH,
        )
        answers = [
            Answer(
                service=service,
                response=response,
                question=questions[row["_version"].pk][key],
                value=value,
            )
            for response, (_sending, row) in zip(responses, answered, strict=True)
            for key, given in row["answers"].items()
            for value in dict.fromkeys(given)
        ]
        Answer.objects.bulk_create(answers, batch_size=BATCH)
        _mark_evaluations_sent(sendings, rows)
        self.remember_rows(context, rows, sendings, run)
        return {"forms sent": len(sendings), "responses": len(responses), "answers": len(answers)}

    def export(self, service):
        yield self.header
        given = defaultdict(lambda: defaultdict(list))
        for sending_id, key, value in (
            Answer.objects.filter(service=service)
            .order_by("response__sending_id", "question__position", "id")
            .values_list("response__sending_id", "question__key", "value")
        ):
            given[sending_id][key].append(value)
        date, answers = Date().format, Answers().format
        sendings = (
            Sending.objects.filter(service=service)
            .select_related("version__form", "case", "response")
            .order_by("sent_on", "id")
        )
        for s in sendings.iterator(chunk_size=2000):
            response = getattr(s, "response", None)
            replies = {
                key: values[0] if len(values) == 1 else values
                for key, values in given[s.pk].items()
            }
            yield [
                s.reference, s.version.form.title, s.version.number, s.recipient_kind,
                s.recipient_name, s.recipient_email, s.recipient_organisation,
                s.case.reference if s.case else "", s.channel, date(s.sent_on),
                date(response.received_on) if response else "",
                response.source if response else "", answers(replies),
            ]  # fmt: skip


def _mark_evaluations_sent(sendings, rows) -> None:
    """A parent form sent about a case takes it off the "evaluations due" list, as
    evaluations.actions.send_form does: the latest day per case, in one bulk update."""
    latest = {}
    for sending, row in zip(sendings, rows, strict=True):
        if sending.case_id and row["_version"].form.kind == "parent":
            latest[sending.case_id] = max(
                latest.get(sending.case_id, row["sent_on"]), row["sent_on"]
            )
    cases = list(Case.objects.filter(pk__in=latest).only("pk", "evaluation_sent_on"))
    for case in cases:
        case.evaluation_sent_on = max(case.evaluation_sent_on or latest[case.pk], latest[case.pk])
    Case.objects.bulk_update(cases, ["evaluation_sent_on"], batch_size=BATCH)
