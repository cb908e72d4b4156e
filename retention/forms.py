from django import forms

from pps.forms import VersionedForm
from retention.models import RetentionSetting

NO_NAMES = "Kept with the record of what was done: write no names or contact details."


class RetentionSettingForm(VersionedForm):
    class Meta(VersionedForm.Meta):
        model = RetentionSetting
        fields = ["years_after_closure", "tribunal_child_age"]


class HoldForm(forms.Form):
    reason = forms.CharField(
        label="Why must this family's records be kept?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example a claim, a complaint to the ombudsman or a court order.",
    )


class ReleaseForm(forms.Form):
    release_reason = forms.CharField(
        label="Why is the hold no longer needed?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EraseForm(forms.Form):
    reason = forms.CharField(
        label="Why are this family's records erased now?",
        max_length=300,
        help_text=NO_NAMES,
    )
    confirm = forms.BooleanField(
        label="I understand that the family's personal data cannot be brought back.",
    )


class AnonymiseDueForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that these families' personal data cannot be brought back.",
    )


class FindFamilyForm(forms.Form):
    reference = forms.CharField(label="Case reference", max_length=20)
