from django import forms

from transfers.actions import validate_upload
from transfers.layouts import LAYOUTS


class UploadForm(forms.Form):
    layout = forms.ChoiceField(
        label="What the file holds",
        choices=[("", "Choose…")] + [(key, layout.title) for key, layout in LAYOUTS.items()],
    )
    file = forms.FileField(
        label="CSV or Excel file",
        help_text="A CSV file saved as “CSV UTF-8”, or an Excel workbook (.xlsx), in the "
        "layout described below. Nothing is imported until you have seen the preview.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload)
        return upload
