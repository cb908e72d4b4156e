import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django_scopes.forms import SafeModelChoiceField

from casework import letters
from casework.actions import ALREADY_THERE, check_appointment
from casework.enums import (
    RETIRED_SEN_STAGES,
    AccessibleFormat,
    ClosureReason,
    ContactMethod,
    ContactShare,
    EnquirerType,
    LetterKind,
    Outcome,
)
from casework.models import (
    Appointment,
    Case,
    Child,
    Contact,
    Enquiry,
    Feedback,
    LetterTemplate,
    NeedArea,
    Parent,
)
from casework.queries import (
    allocatable_volunteers,
    allocation_needs,
    code_list_name_taken,
    need_areas,
)
from casework.rules import OLDEST_AGE, age_on
from pps.forms import (
    ClearingFormMixin,
    DateInput,
    DateTimeInput,
    ScopedModelForm,
    VersionedForm,
)
from pps.mail import subject_line
from pps.roles import Role
from pps.validators import FUTURE_DAY, FUTURE_MOMENT, is_future, refuse_future
from volunteers.models import Volunteer


class _LimitedChoices:
    """A casework form's choices: areas of need grouped by area; only officers and
    coordinators can hold cases."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("primary_need", "secondary_needs"):
            if name in self.fields:
                self.fields[name].queryset = (
                    self.fields[name]
                    .queryset.select_related("area")
                    .order_by("area__position", "position")
                )
        if "officer" in self.fields:
            self.fields["officer"].queryset = self.fields["officer"].queryset.filter(
                role__in=[Role.CASE_OFFICER, Role.COORDINATOR]
            )


# The details taken when a case is opened; the rest are filled in on the parent's page.
NEW_PARENT_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "preferred_contact",
    "address",
    "postcode",
    "locality",
    "ethnicity",
    "first_language",
    "interpreter_needed",
]
NEW_CHILD_FIELDS = [
    "first_name",
    "last_name",
    "date_of_birth",
    "gender",
    "school_name",
    "school_type",
    "sen_status",
    "sen_stage",
    "primary_need",
]


class ParentForm(_LimitedChoices, VersionedForm):
    accessible_formats = forms.MultipleChoiceField(
        choices=AccessibleFormat.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta(ScopedModelForm.Meta):
        model = Parent
        fields = [
            *NEW_PARENT_FIELDS,
            "accessible_formats",
            "consent_recorded_on",
            "consent_details",
            "confidentiality_explained_on",
            "mailing_list",
            "willing_to_be_consulted",
            "notes",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "consent_details": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "consent_recorded_on": DateInput(),
            "confidentiality_explained_on": DateInput(),
        }

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("email") or cleaned.get("phone") or cleaned.get("address")):
            self.add_error("phone", "Give at least one way to reach the parent.")
        return cleaned


class NewParentForm(ParentForm):
    """The parent part of opening a case."""

    class Meta(ParentForm.Meta):
        fields = NEW_PARENT_FIELDS


# Words before a name that are not part of it, and words that belong to the surname after
# them ("Jo van der Berg" is Jo, van der Berg).
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "revd"})
_SURNAME_PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "della", "dos"}
)
_EMAIL = re.compile(r"[^\s@,;/<>()]+@[^\s@,;/<>()]+")
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{5,}[0-9]")


def split_name(name: str) -> tuple[str, str]:
    """A name typed in one box as (first names, surname): "Smith, Jo" and "Mrs Jo Smith"
    both give ("Jo", "Smith"); a title with one word ("Mrs Patel") is a surname, one word
    alone a first name."""
    name = " ".join(name.split())
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip(), last.strip()
    words = name.split()
    titled = False
    while words and words[0].lower().rstrip(".") in _TITLES:
        words.pop(0)
        titled = True
    if len(words) <= 1:
        word = words[0] if words else ""
        return ("", word) if titled else (word, "")
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _SURNAME_PARTICLES:
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:])


@dataclass(frozen=True)
class EnquirerDetails:
    """What an enquiry says about the parent: the starting point of a new parent's record."""

    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""

    @property
    def search(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def initial(self) -> dict:
        return {name: value for name, value in vars(self).items() if value}


def enquirer_details(enquiry) -> EnquirerDetails:
    """The parent's name, phone and email from an enquiry a parent or carer made.

    The enquiry keeps its contact in one "phone or email" box: an email address in it is
    the email, a run of at least seven digits the phone; anything else stays on the
    enquiry, shown beside the form. A professional's or other enquirer's name is theirs,
    not the parent's, so it fills nothing in.
    """
    if enquiry is None or enquiry.enquirer_type != EnquirerType.PARENT:
        return EnquirerDetails()
    first, last = split_name(enquiry.enquirer_name)
    contact = enquiry.enquirer_contact
    email = ""
    for candidate in _EMAIL.findall(contact):
        try:
            validate_email(candidate)
        except ValidationError:
            continue
        email = candidate
        contact = contact.replace(candidate, " ")
        break
    phone = next(
        (
            match.strip()
            for match in _PHONE.findall(contact)
            if sum(c.isdigit() for c in match) >= 7
        ),
        "",
    )
    # Each part must fit its field on the parent's record (100 characters a name).
    return EnquirerDetails(
        first_name=first[:100], last_name=last[:100], phone=phone[:40], email=email
    )


class OpeningConsentForm(forms.Form):
    """Consent and the confidentiality policy, asked when a case is opened (docs/domain.md,
    "Parents and children"): written on the parent's record by the opening.

    The confidentiality policy is explained before casework starts (the service's promise of
    confidentiality, docs/domain.md), so its date is required unless the parent's record
    already has one. Consent to share is asked but may not be given yet: a date goes with
    what may be shared (checked by casework.actions.open_case).
    """

    confidentiality_explained_on = forms.DateField(
        label="Confidentiality policy explained on",
        widget=DateInput(),
        required=False,
        help_text="The date the service's confidentiality policy was explained to the parent.",
    )
    consent_recorded_on = forms.DateField(
        label="Consent recorded on",
        widget=DateInput(),
        required=False,
        help_text="Leave empty if the parent has not given consent to share yet.",
    )
    consent_details = forms.CharField(
        label="What may be shared, and with whom",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, parent=None, **kwargs):
        if parent is not None:
            kwargs["initial"] = {name: getattr(parent, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        self.required_explanation = parent is None or parent.confidentiality_explained_on is None
        if self.required_explanation:
            self.fields["confidentiality_explained_on"].required = True
            self.fields["confidentiality_explained_on"].error_messages["required"] = (
                "Explain the confidentiality policy to the parent and give the date: "
                "casework starts with it."
            )

    def changes(self) -> dict:
        """The values the officer gave or changed, for open_case to write on the parent."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if self.cleaned_data[name] not in (None, "")
        }


class ChildForm(_LimitedChoices, VersionedForm):
    class Meta(ScopedModelForm.Meta):
        model = Child
        fields = [*NEW_CHILD_FIELDS, "secondary_needs", "not_in_full_time_education"]
        widgets = {
            "date_of_birth": DateInput(),
            "secondary_needs": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A retired stage stays on the child who has it, and is offered to no one else.
        stage = self.fields["sen_stage"]
        stage.choices = [
            (value, label)
            for value, label in stage.choices
            if value not in RETIRED_SEN_STAGES or value == self.instance.sen_stage
        ]

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        today = timezone.localdate()
        if born:
            refuse_future(born, message="The date of birth is in the future.")
        # Asked only when the date is entered or changed: a child of an old case has grown
        # up since, and their record must stay editable.
        if born and "date_of_birth" in self.changed_data and age_on(born, today) > OLDEST_AGE:
            raise forms.ValidationError(
                f"This makes the child {age_on(born, today)} today: the service supports "
                f"children and young people up to {OLDEST_AGE}. Check the year."
            )
        return born


class NewChildForm(ChildForm):
    class Meta(ChildForm.Meta):
        fields = NEW_CHILD_FIELDS


# The details of a case taken when it is opened; its edit form has them with the rest.
CASE_OPENING_FIELDS = [
    "officer",
    "locality",
    "received_on",
    "referral_route",
    "primary_reason",
    "secondary_reasons",
]
CASE_FLAG_FIELDS = [
    "bullying",
    "unofficial_exclusion",
    "official_exclusion",
    "tribunal_appeal_on",
    "tribunal_active_involvement",
    "disagreement_resolution_on",
    "disagreement_resolution_active_involvement",
]
_INVOLVEMENT = forms.NullBooleanSelect


class CaseOpenForm(_LimitedChoices, ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = Case
        fields = [*CASE_OPENING_FIELDS, "bullying", "unofficial_exclusion", "official_exclusion"]
        widgets = {
            "received_on": DateInput(),
            "secondary_reasons": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, enquiry=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locality"].help_text = "Left empty, the case takes the parent's locality."
        if enquiry is not None:
            # The case was received when the enquiry was (docs/domain.md, "Cases and case events").
            del self.fields["received_on"]
        else:
            self.fields["received_on"].initial = timezone.localdate()


class CaseForm(_LimitedChoices, VersionedForm):
    class Meta(ScopedModelForm.Meta):
        model = Case
        fields = [*CASE_OPENING_FIELDS, *CASE_FLAG_FIELDS, "tribunal_notes"]
        widgets = {
            **CaseOpenForm.Meta.widgets,
            "tribunal_appeal_on": DateInput(),
            "disagreement_resolution_on": DateInput(),
            "tribunal_active_involvement": _INVOLVEMENT,
            "disagreement_resolution_active_involvement": _INVOLVEMENT,
            "tribunal_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        received = cleaned.get("received_on")
        if received and received > self.instance.opened_on:
            self.add_error("received_on", "A case cannot be received after it was opened.")
        for date_field, flag in (
            ("tribunal_appeal_on", "tribunal_active_involvement"),
            ("disagreement_resolution_on", "disagreement_resolution_active_involvement"),
        ):
            if cleaned.get(flag) is not None and not cleaned.get(date_field):
                self.add_error(date_field, "Give the date this happened.")
        return cleaned


class ContactForm(ScopedModelForm):
    minutes = forms.IntegerField(
        min_value=1, max_value=600, initial=15, help_text="Time spent, including writing up."
    )

    class Meta(ScopedModelForm.Meta):
        model = Contact
        fields = ["at", "method", "minutes", "note", "follow_up", "follow_up_due_on"]
        widgets = {
            "at": DateTimeInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
            "follow_up_due_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        # Most contacts are calls made by the officer: one less choice for the commonest case.
        self.fields["method"].initial = ContactMethod.PHONE_OUT


class CloseCaseForm(forms.Form):
    on = forms.DateField(label="Closed on", widget=DateInput(), initial=timezone.localdate)
    reason = forms.ChoiceField(label="Closure reason", choices=ClosureReason.choices)
    outcome = forms.ChoiceField(label="Outcome at close", choices=Outcome.choices)
    summary = forms.CharField(
        label="Closing summary",
        help_text="What was done with the family and where things were left: a paragraph or "
        "two, shown on the case and in its timeline.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write a closing summary: what was done and the outcome."},
    )


class DateForm(forms.Form):
    on = forms.DateField(widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, label="Date", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = label


class AllocateForm(forms.Form):
    volunteer = SafeModelChoiceField(queryset=Volunteer.objects.none())
    started_on = forms.DateField(label="From", widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the active IPS who may take this case: its locality, and its language.
        self.fields["volunteer"].queryset = allocatable_volunteers(case)
        # crispy-forms prints help text with |safe: the locality and the parent's language are
        # typed by staff, so the words go in as a format_html argument, escaped
        # (docs/architecture.md).
        self.fields["volunteer"].help_text = format_html("{}.", capfirst(allocation_needs(case)))
        self.fields["volunteer"].label_from_instance = lambda v: (
            f"{v}{' (speaks ' + v.languages + ')' if v.languages else ''}"
        )


class EnquiryForm(_LimitedChoices, VersionedForm):
    class Meta(ScopedModelForm.Meta):
        model = Enquiry
        fields = [
            "received_at",
            "enquirer_type",
            "enquirer_name",
            "enquirer_contact",
            "topic",
            "summary",
            "minutes",
            "substantial",
            "first_response_on",
        ]
        widgets = {
            "received_at": DateTimeInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "first_response_on": DateInput(),
            "minutes": forms.NumberInput(attrs={"min": 0, "max": 600}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["received_at"].initial = timezone.localtime().replace(
                second=0, microsecond=0
            )
            self.fields["minutes"].initial = 5

    def clean(self):
        cleaned = super().clean()
        received, responded = cleaned.get("received_at"), cleaned.get("first_response_on")
        if received and is_future(received):
            self.add_error("received_at", FUTURE_MOMENT)
        if received and responded and responded < timezone.localdate(received):
            self.add_error("first_response_on", "The response cannot precede the enquiry.")
        if responded and is_future(responded):
            self.add_error("first_response_on", FUTURE_DAY)
        return cleaned


class FeedbackForm(ClearingFormMixin, VersionedForm):
    # The improvement is the text that is published, once cleared.
    cleared_flag, cleared_text = "publishable", ("improvement",)

    class Meta(ScopedModelForm.Meta):
        model = Feedback
        fields = [
            "kind",
            "received_on",
            "channel",
            "about",
            "from_name",
            "summary",
            "response",
            "responded_on",
            "improvement",
            "publishable",
        ]
        widgets = {
            "received_on": DateInput(),
            "responded_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 3}),
            "improvement": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        cleaned = super().clean()
        received, responded = cleaned.get("received_on"), cleaned.get("responded_on")
        if received and is_future(received):
            self.add_error("received_on", FUTURE_DAY)
        if received and responded and responded < received:
            self.add_error("responded_on", "The response cannot precede what it answers.")
        return cleaned


class CaseSearchForm(forms.Form):
    q = forms.CharField(
        label="Parent's or child's name, or postcode", max_length=100, required=False
    )


BODY_MAX = 20_000


def _refuse_unknown_placeholders(text: str) -> str:
    unknown = letters.unknown_placeholders(text)
    if unknown:
        raise forms.ValidationError(
            "%(unknown)s %(verb)s not a placeholder. The placeholders are: %(allowed)s.",
            params={
                "unknown": ", ".join(unknown),
                "verb": "is" if len(unknown) == 1 else "are",
                "allowed": letters.allowed_placeholders(),
            },
        )
    return text


class LetterTemplateForm(VersionedForm):
    """A coordinator's letter or email template; only the placeholders of
    casework/letters.py may stand in square brackets."""

    body = forms.CharField(
        label="Text",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Placeholders are filled from the case: " + letters.allowed_placeholders(),
    )

    class Meta(VersionedForm.Meta):
        model = LetterTemplate
        fields = ["name", "kind", "subject", "body", "active"]

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_subject(self):
        return _refuse_unknown_placeholders(subject_line(self.cleaned_data["subject"]))

    def clean_body(self):
        return _refuse_unknown_placeholders(self.cleaned_data["body"])

    def clean(self):
        data = super().clean()
        if data.get("kind") == LetterKind.EMAIL and "subject" in data and not data["subject"]:
            self.add_error("subject", "An email needs a subject.")
        return data


class LetterForm(forms.Form):
    """The text of one letter or email from a case, merged from its template and edited by
    the officer before it goes out (what is typed here is sent as it stands)."""

    subject = forms.CharField(max_length=200, required=False)
    body = forms.CharField(
        label="Text", max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 14})
    )
    minutes = forms.IntegerField(
        min_value=1,
        max_value=600,
        initial=10,
        help_text="Time spent, including writing: it is logged as a contact.",
    )

    def clean_subject(self):
        return subject_line(self.cleaned_data["subject"])


class FamilyContactForm(ContactForm):
    """The contact form of a case whose parent has other open cases: the same contact may be
    logged on those too (casework.actions.log_contact_on_cases). Plain checkboxes and
    radio buttons, so it works without JavaScript."""

    also_on = forms.TypedMultipleChoiceField(
        label="Also log this contact on the family's other open cases",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    share = forms.ChoiceField(
        label="Minutes on each case",
        choices=ContactShare.choices,
        initial=ContactShare.REPEAT,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, family_cases, **kwargs):
        super().__init__(*args, **kwargs)
        # The cases come from casework.queries.family_open_cases (the user's visibility):
        # the choices are those cases, and nothing else can be posted.
        self.family_cases = {case.pk: case for case in family_cases}
        self.fields["also_on"].choices = [
            (case.pk, f"{case.reference} about {case.child.first_name}") for case in family_cases
        ]

    def clean(self):
        cleaned = super().clean()
        cleaned["also_on"] = [self.family_cases[pk] for pk in cleaned.get("also_on") or []]
        cleaned["share"] = cleaned.get("share") or ContactShare.REPEAT
        return cleaned


class AppointmentForm(_LimitedChoices, VersionedForm):
    class Meta(ScopedModelForm.Meta):
        model = Appointment
        fields = ["starts_at", "minutes", "kind", "place", "attendees", "officer"]
        labels = {"kind": "Meeting or call"}
        help_texts = {
            "place": "Where it is: the calendar file carries this and the case reference only.",
            "attendees": "Who attends besides the officer (kept in the case record, not in the "
            "calendar file).",
        }
        widgets = {
            "starts_at": DateTimeInput(),
            "minutes": forms.NumberInput(attrs={"min": 1, "max": 600}),
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if self.instance.pk is None:
            self.fields["minutes"].initial = 60
            self.fields["kind"].initial = ContactMethod.HOME_VISIT
            self.fields["officer"].initial = case.officer_id

    def clean(self):
        cleaned = super().clean()
        booking = {name: cleaned.get(name) for name in ("starts_at", "minutes", "officer")}
        try:
            if None not in booking.values():
                check_appointment(case=self.case, **booking)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class AppointmentHeldForm(ContactForm):
    """The contact an appointment became, filled in from the booking; the version is the
    appointment's, so a page opened before a change or cancellation cannot record it."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, appointment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].initial = timezone.localtime(appointment.starts_at)
        self.fields["method"].initial = appointment.kind
        self.fields["minutes"].initial = appointment.minutes
        self.fields["version"].initial = appointment.version


class CancelAppointmentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CodeListItemForm(VersionedForm):
    """A value of one of the service's code lists (code_list_form gives the list's form)."""

    class Meta(VersionedForm.Meta):
        fields = ["name", "position", "active", "is_not_known"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "area" in self.fields:
            self.fields["area"].queryset = need_areas()
            self.fields["area"].help_text = "Leave empty for a top-level area."
            self.fields["area"].label = "Sub-type of"

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        area = self.data.get(self.add_prefix("area"))
        if code_list_name_taken(self._meta.model, name, area=area, other_than=self.instance.pk):
            raise forms.ValidationError(ALREADY_THERE)
        return name


def code_list_form(model):
    """The form of a value of the code list `model` (an area of need may be a sub-type)."""
    fields = ["name", "position", "active", "is_not_known"]
    if model is NeedArea:
        fields.insert(1, "area")
    return forms.modelform_factory(model, form=CodeListItemForm, fields=fields)
