"""Forms of the annual report: its narrative, the month's calls and visits, the year shown."""

import datetime as dt

from django import forms
from django.core.validators import MinValueValidator

from pps.forms import VersionedForm
from reports.models import (
    IssueMonitored,
    LanguageSupport,
    MonthlyActivity,
    NarrativeSection,
    PublicationFormat,
    YearlyDenominators,
)


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


class FinancialYearForm(YearForm):
    """Which financial year the benchmarking return shows (GET): one of the years offered."""

    year = forms.TypedChoiceField(label="Financial year", coerce=int)


def _choices_field(label: str, choices) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class DenominatorsForm(VersionedForm):
    """A financial year's denominators and entered facts of the benchmarking return
    (docs/reporting.md, "The benchmarking return"): a blank number was not recorded, and
    the figures made from it say so."""

    issues_monitored = _choices_field("Issues the service monitors", IssueMonitored.choices)
    formats_offered = _choices_field(
        "Formats information is published in, besides standard print", PublicationFormat.choices
    )
    languages_offered = _choices_field("Help offered in other languages", LanguageSupport.choices)

    class Meta(VersionedForm.Meta):
        model = YearlyDenominators
        fields = [
            "population_0_19",
            "pupils_with_sen",
            "pupils_on_fsm",
            "funding",
            "budget",
            "paid_staff_fte",
            "area_disagreement_referrals",
            "area_tribunal_appeals",
            "issues_monitored",
            "formats_offered",
            "languages_offered",
        ]
        labels = {
            "population_0_19": "Population aged 0-19 in the area",
            "pupils_with_sen": "Pupils with special educational needs in the area",
            "pupils_on_fsm": "Pupils on free school meals in the area",
            "funding": "Funding received for the year (£)",
            "budget": "Budget for the year (£)",
            "paid_staff_fte": "Paid staff at 31 March (full-time equivalent)",
            "area_disagreement_referrals": "All cases referred to disagreement resolution "
            "in the area in the year",
            "area_tribunal_appeals": "All appeals lodged with the SEND tribunal from the area "
            "in the year",
        }
        help_texts = {
            "population_0_19": "The mid-year estimate for the local authority's area.",
            "pupils_with_sen": "From the January school census.",
            "area_disagreement_referrals": "From the local authority: the share the service "
            "was involved in is worked out from it.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Money and staff are never below 0: said beside the field, before the database's
        # own check would refuse the row.
        for name in ("funding", "budget", "paid_staff_fte"):
            self.fields[name].validators.append(MinValueValidator(0))
            self.fields[name].widget.attrs["min"] = 0
        # A list never answered shows unticked; once saved, an empty list means "none".
        for name in ("issues_monitored", "formats_offered", "languages_offered"):
            if not self.is_bound and getattr(self.instance, name) is None:
                self.initial[name] = []

    def choice_labels(self, record: YearlyDenominators) -> dict[str, str]:
        """Each list of the record as a person reads it, under its field's label: the
        choices' labels, "none" for an empty list, "not recorded" for none at all."""
        out = {}
        for name in ("issues_monitored", "formats_offered", "languages_offered"):
            chosen = getattr(record, name)
            names = dict(self.fields[name].choices)
            if chosen is None:
                text = "not recorded"
            else:
                text = ", ".join(str(names.get(value, value)) for value in chosen) or "none"
            out[self.fields[name].label] = text
        return out
