from django import forms
from django.utils import timezone

from access_requests.actions import clean_names
from access_requests.models import SubjectAccessRequest
from pps.forms import DateInput


class RequestForm(forms.ModelForm):
    class Meta:
        model = SubjectAccessRequest
        fields = ["received_on", "requester"]
        widgets = {"received_on": DateInput()}
        labels = {"received_on": "Received on"}
        help_texts = {
            "received_on": "The answer is due one calendar month after this day.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


class BundleForm(forms.Form):
    redacted_names = forms.CharField(
        label="Other people's names to redact",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One name a line. Each is replaced by “[redacted]” wherever it appears "
        "as a whole word in the bundle, in any case. Leave empty to redact nothing.",
    )

    def clean_redacted_names(self) -> list[str]:
        return clean_names(self.cleaned_data["redacted_names"])


class CompleteForm(forms.Form):
    on = forms.DateField(label="Completed on", widget=DateInput(), initial=timezone.localdate)
