"""Forms of the annual report: its narrative, the month's calls and visits, the year shown."""

import datetime as dt

from django import forms

from pps.forms import VersionedForm
from reports.models import MonthlyActivity, NarrativeSection


class YearForm(forms.Form):
    """Which academic year a report shows (GET): one of the years offered."""

    year = forms.TypedChoiceField(label="Academic year", coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(p.first.year, p.label) for p in years]


class NarrativeForm(VersionedForm):
    class Meta(VersionedForm.Meta):
        model = NarrativeSection
        fields = ["text"]
        labels = {"text": "Text"}
        widgets = {"text": forms.Textarea(attrs={"rows": 16})}
        help_texts = {
            "text": "Printed as written, paragraph by paragraph, in the report for the "
            "steering group and the public: no names of families."
        }


FIELDS = ("calls_in", "calls_out", "website_visits")


class MonthlyActivityForm(forms.Form):
    """The calls and website visits of every month of a year on one form.

    Each month carries the version of its row as it was read, so two people entering the
    same year cannot overwrite each other (pps.versioning): a month saved by someone else
    since is refused, whole form and all.
    """

    def __init__(self, *args, months: list[dt.date], rows: dict[dt.date, MonthlyActivity], **kw):
        super().__init__(*args, **kw)
        self.months = months
        self.rows = rows
        for month in months:
            row = rows.get(month)
            for name in FIELDS:
                label = MonthlyActivity._meta.get_field(name).verbose_name
                self.fields[self.key(month, name)] = forms.IntegerField(
                    label=f"{label.capitalize()}, {month:%B %Y}",
                    required=False,
                    min_value=0,
                    max_value=10_000_000,
                    initial=getattr(row, name) if row else None,
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
                )
            self.fields[self.key(month, "version")] = forms.IntegerField(
                required=False, widget=forms.HiddenInput, initial=row.version if row else None
            )

    @staticmethod
    def key(month: dt.date, name: str) -> str:
        return f"{month:%Y-%m}-{name}"

    def grid(self):
        """Rows of the page's table: the month and its bound fields."""
        return [
            (
                month,
                [self[self.key(month, name)] for name in FIELDS],
                self[self.key(month, "version")],
            )
            for month in self.months
        ]

    def changes(self) -> list[tuple[dt.date, dict, int | None]]:
        """(month, values, version read) of every month whose figures differ from the row."""
        out = []
        for month in self.months:
            values = {name: self.cleaned_data[self.key(month, name)] for name in FIELDS}
            row = self.rows.get(month)
            stored = {name: getattr(row, name) for name in FIELDS} if row else dict.fromkeys(FIELDS)
            if values != stored:
                out.append((month, values, self.cleaned_data[self.key(month, "version")]))
        return out
