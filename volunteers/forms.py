import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django_scopes.forms import SafeModelMultipleChoiceField

from pps.forms import DateInput, ScopedModelForm, VersionedForm
from pps.validators import refuse_future
from volunteers.models import (
    CourseSession,
    MonthlyReturn,
    SupervisionKind,
    TrainingCourse,
    Volunteer,
    VolunteerMeeting,
    VolunteerStatus,
)

_DATES = (
    "dbs_checked_on",
    "dbs_renewal_due_on",
    "references_received_on",
    "confidentiality_signed_on",
    "initial_training_completed_on",
)


class VolunteerForm(VersionedForm):
    class Meta(ScopedModelForm.Meta):
        model = Volunteer
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "role",
            "languages",
            "localities",
            "availability",
            "dbs_checked_on",
            "dbs_reference",
            "dbs_renewal_due_on",
            "references_received_on",
            "confidentiality_signed_on",
            "initial_training_completed_on",
            "accreditation",
        ]
        widgets = {name: DateInput() for name in _DATES} | {
            "localities": forms.CheckboxSelectMultiple
        }

    def clean(self):
        cleaned = super().clean()
        checked, due = cleaned.get("dbs_checked_on"), cleaned.get("dbs_renewal_due_on")
        if checked and due and due <= checked:
            self.add_error("dbs_renewal_due_on", "The renewal must fall after the check.")
        return cleaned


class NewVolunteerForm(VolunteerForm):
    status = forms.ChoiceField(choices=VolunteerStatus.choices, initial=VolunteerStatus.ENQUIRER)
    since = forms.DateField(label="In this status since", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["since"].initial = timezone.localdate()


class StatusChangeForm(forms.Form):
    """Posted from the volunteer's page beside the supervision form: its own element ids
    keep the two forms' date fields apart."""

    status = forms.ChoiceField(label="New status", choices=VolunteerStatus.choices)
    on = forms.DateField(label="From", widget=DateInput())
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, volunteer=None, **kwargs):
        kwargs.setdefault("auto_id", "status_%s")
        super().__init__(*args, **kwargs)
        # Start at the current status, so that a careless click cannot demote anyone.
        if volunteer is not None:
            self.fields["status"].initial = volunteer.status
        self.fields["on"].initial = timezone.localdate()


class SupervisionForm(forms.Form):
    kind = forms.ChoiceField(choices=SupervisionKind.choices)
    on = forms.DateField(label="Date", widget=DateInput())
    topic = forms.CharField(max_length=200, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "supervision_%s")
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


def recent_months(today: dt.date, count: int = 6) -> list[dt.date]:
    """The first days of the last `count` months, most recent (last month) first."""
    months, month = [], today.replace(day=1)
    for _ in range(count):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        months.append(month)
    return months


def _offer_months(field, count: int = 6) -> None:
    """This month and the last `count` months to choose from, last month first chosen."""
    today = timezone.localdate()
    months = [today.replace(day=1), *recent_months(today, count)]
    field.choices = [(m.isoformat(), f"{m:%B %Y}") for m in months]
    field.initial = months[1].isoformat()


class MonthlyReturnCorrectionForm(forms.ModelForm):
    """A return's figures, as the volunteer sends or corrects them."""

    class Meta:
        model = MonthlyReturn
        fields = [*MonthlyReturn.HOURS, "miles", "expenses"]
        widgets = {
            name: forms.NumberInput(attrs={"min": 0, "step": "0.25"})
            for name in MonthlyReturn.HOURS
        } | {
            "miles": forms.NumberInput(attrs={"min": 0, "step": "0.1"}),
            "expenses": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
        }
        help_texts = {
            "phone_hours": "Hours of casework support; not supervision or CPD.",
            "miles": "Miles travelled for casework that you claim for.",
            "expenses": "Other costs you claim, in pounds and pence, such as parking.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Most returns claim nothing: left empty, miles and expenses are none.
        for name in ("miles", "expenses"):
            self.fields[name].required = False

    def clean_miles(self):
        return self.cleaned_data["miles"] or Decimal(0)

    def clean_expenses(self):
        return self.cleaned_data["expenses"] or Decimal(0)


class MonthlyReturnForm(MonthlyReturnCorrectionForm):
    month = forms.TypedChoiceField(coerce=dt.date.fromisoformat)

    class Meta(MonthlyReturnCorrectionForm.Meta):
        fields = ["month", *MonthlyReturnCorrectionForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_months(self.fields["month"])


class ReturnLockForm(forms.Form):
    """A coordinator locks or unlocks one month of returns (the button pressed says which)."""

    MONTHS = 12

    month = forms.TypedChoiceField(coerce=dt.date.fromisoformat)
    action = forms.ChoiceField(
        choices=[("lock", "Lock the month"), ("unlock", "Unlock the month")],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_months(self.fields["month"], self.MONTHS)


class CourseForm(VersionedForm):
    class Meta(VersionedForm.Meta):
        model = TrainingCourse
        fields = [
            "title",
            "initial_ips_course",
            "venue",
            "tutors",
            "moderated_on",
            "moderation_outcome",
        ]
        widgets = {"moderated_on": DateInput()}


class CourseSessionForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = CourseSession
        fields = ["on", "topic", "tutor", "days"]
        widgets = {"on": DateInput()}
        labels = {"on": "Date"}


class EnrolForm(forms.Form):
    volunteer = forms.ModelChoiceField(queryset=Volunteer.objects.none())

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = Volunteer.objects.exclude(
            status=VolunteerStatus.LEFT
        ).exclude(enrolments__course=course)


class AttendanceForm(forms.Form):
    attended_by = SafeModelMultipleChoiceField(
        queryset=Volunteer.objects.none(),
        required=False,
        label="Trainees who came",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended_by"].queryset = Volunteer.objects.filter(
            enrolments__course=session.course_id
        )
        self.initial.setdefault("attended_by", list(session.attended_by.all()))


class CompletionForm(forms.Form):
    on = forms.DateField(label="Completed on", widget=DateInput())
    certificate = forms.CharField(max_length=200, required=False)
    feedback = forms.CharField(
        label="Trainee feedback on the course",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class MeetingForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = VolunteerMeeting
        fields = ["kind", "on", "venue", "attended_by", "other_attendees", "notes"]
        labels = {"on": "Date", "attended_by": "Came from the register"}
        widgets = {
            "on": DateInput(),
            "attended_by": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_on(self):
        on = self.cleaned_data["on"]
        refuse_future(on, message="Record meetings once they have taken place.")
        return on
