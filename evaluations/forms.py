from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from evaluations.enums import Channel, QuestionKind, RecipientKind
from evaluations.models import EvaluationForm, Event, Question
from pps.forms import ClearingFormMixin, DateInput, VersionedForm


class AnswersForm(forms.Form):
    """The questions of one form version, as a person answers them (online or keyed in).

    Fields are named q<question id>; every question is a fieldset with its legend, so that a
    screen reader announces the question before its answers. Whether a question must be
    answered is checked by the action (record_response), so the errors are the same for
    answers online and from paper.
    """

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for number, question in enumerate(self.questions, start=1):
            label = question.text + ("" if question.required else " (optional)")
            choices = [(answer, answer) for answer in question.answers()]
            if question.kind == QuestionKind.TEXT:
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=3000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label,
                    required=False,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                )
            else:
                field = forms.ChoiceField(
                    label=label, required=False, choices=choices, widget=forms.RadioSelect
                )
            field.question = question
            field.number = number
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict[int, list[str]]:
        given = {}
        for name, field in self.fields.items():
            if not hasattr(field, "question"):
                continue
            value = self.cleaned_data.get(name)
            if isinstance(value, list):
                given[field.question.pk] = value
            else:
                given[field.question.pk] = [value] if value else []
        return given


class PaperEntryForm(AnswersForm):
    received_on = forms.DateField(label="Form received on", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The date first: it is the one field every form has.
        self.order_fields(["received_on"])


class ReferenceForm(forms.Form):
    reference = forms.CharField(
        label="Reference on the returned form",
        max_length=12,
        help_text="As printed at the top of the form, for example E00042.",
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )

    def clean_reference(self):
        text = self.cleaned_data["reference"].strip().upper().removeprefix("E")
        # Plain digits only: "²" is a digit to Python but no number to int().
        if not (text.isascii() and text.isdigit()):
            raise ValidationError("A reference is the letter E and a number, such as E00042.")
        return int(text)


SEND_CHOICES = [(Channel.EMAIL, "By email, with a one-time link"), (Channel.LETTER, "As a letter")]


class EmailWhenEmailed(forms.Form):
    """A sending form: the email address is needed only to send by email."""

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.EMAIL and not data.get("email"):
            self.add_error("email", "Enter the email address to send the link to.")
        return data


class SendToParentForm(EmailWhenEmailed):
    channel = forms.ChoiceField(
        label="How to send it",
        choices=SEND_CHOICES,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(label="Parent's email address", required=False)


class SendToProfessionalForm(EmailWhenEmailed):
    name = forms.CharField(label="Professional's name", max_length=200)
    organisation = forms.CharField(label="School or organisation", max_length=200, required=False)
    channel = forms.ChoiceField(
        label="How to send it",
        choices=SEND_CHOICES,
        widget=forms.RadioSelect,
        initial=Channel.EMAIL,
    )
    email = forms.EmailField(label="Email address", required=False)


class ChooseForm(forms.Form):
    """Starts with the evaluation form to use, one of `forms_queryset`."""

    form = forms.ModelChoiceField(
        label="Form", queryset=EvaluationForm.objects.none(), empty_label=None
    )

    def __init__(self, *args, forms_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = forms_queryset


class SendAnyForm(ChooseForm, EmailWhenEmailed):
    """Any form in use to anyone: a school's survey, a volunteer's questionnaire..."""

    recipient_kind = forms.ChoiceField(label="Sent to", choices=RecipientKind.choices)
    name = forms.CharField(label="Name", max_length=200)
    organisation = forms.CharField(label="School or organisation", max_length=200, required=False)
    channel = forms.ChoiceField(
        label="How to send it", choices=SEND_CHOICES, widget=forms.RadioSelect
    )
    email = forms.EmailField(label="Email address", required=False)


class HandOutForm(ChooseForm):
    count = forms.IntegerField(label="How many to print", min_value=1, max_value=500)


class FormDetailsForm(forms.ModelForm):
    class Meta:
        model = EvaluationForm
        fields = ["kind", "title", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}


class CopyForm(forms.Form):
    title = forms.CharField(label="Title of the new form", max_length=200)


class QuestionForm(forms.ModelForm):
    options_text = forms.CharField(
        label="Answers to choose from",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or several choice questions only: one answer a line.",
    )

    class Meta:
        model = Question
        fields = [
            "position",
            "text",
            "kind",
            "scale",
            "required",
            "allow_not_applicable",
            "measure",
            "key",
        ]
        labels = {"text": "Question", "position": "Order"}
        help_texts = {"key": "Leave blank for a new question: it is made from the wording."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].required = False
        self.fields["scale"].required = False
        if self.instance.pk:
            self.initial["options_text"] = "\n".join(self.instance.options)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        options = [line.strip() for line in data.get("options_text", "").splitlines()]
        options = [option for option in options if option]
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if len(options) < 2:
                self.add_error("options_text", "Give at least two answers, one a line.")
            elif len(set(options)) != len(options):
                self.add_error("options_text", "Each answer must be different.")
        if kind == QuestionKind.RATING and not data.get("scale"):
            self.add_error("scale", "Choose the rating scale.")
        if kind != QuestionKind.RATING:
            data["scale"] = ""
        self.instance.options = (
            options if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else []
        )
        if not data.get("key") and data.get("text"):
            data["key"] = slugify(data["text"])[:40].replace("-", "_") or "question"
        return data


class BaseQuestionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # A question without a usable key (refused beside it, or with no wording to make
        # one from) has nothing to compare.
        keys = [
            form.cleaned_data["key"]
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("key")
        ]
        duplicates = {key for key in keys if keys.count(key) > 1}
        if duplicates:
            raise ValidationError(
                "Two questions share the key " + ", ".join(sorted(duplicates)) + ": change one."
            )


QuestionFormSet = forms.inlineformset_factory(
    parent_model=Question.version.field.related_model,
    model=Question,
    form=QuestionForm,
    formset=BaseQuestionFormSet,
    extra=2,
    can_delete=True,
)


class EventForm(ClearingFormMixin, VersionedForm):
    # The steering group reads these words once cleared.
    cleared_flag = "cleared_for_steering"
    cleared_text = ("title", "topic", "venue", "evaluation_summary")

    class Meta(VersionedForm.Meta):
        model = Event
        fields = [
            "kind",
            "title",
            "topic",
            "on",
            "venue",
            "speaker",
            "parents_attending",
            "professionals_attending",
            "volunteers_attending",
            "evaluation_summary",
            "cleared_for_steering",
        ]
        widgets = {"on": DateInput(), "evaluation_summary": forms.Textarea(attrs={"rows": 3})}
