"""Forms of the report pages: the periods they show (GET) and the service's targets."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from evaluations.models import EvaluationForm
from pps.days import day_shown
from pps.forms import DateInput
from reports.periods import (
    Period,
    academic_year,
    academic_year_containing,
    latest_complete,
    quarter_containing,
    quarters_up_to,
    term_containing,
)
from reports.targets import Measure, Thresholds


def period_choices(today: dt.date, start_month: int) -> dict[str, Period]:
    """The periods the dashboard offers, by the value its form posts: the last eight
    quarters, six terms and three academic years up to the current one (so far)."""
    choices = {}
    for each in reversed(quarters_up_to(quarter_containing(today), 8)):
        choices[f"quarter-{each.first.year}-{(each.first.month + 2) // 3}"] = each
    each = term_containing(today)
    for _ in range(6):
        name = each.label.split()[0].lower()
        choices[f"term-{each.first.year}-{name}"] = each
        each = term_containing(each.day_before)
    year = academic_year_containing(today, start_month).first.year
    for back in range(3):
        choices[f"year-{year - back}"] = academic_year(year - back, start_month)
    return choices


def default_period(today: dt.date) -> Period:
    """The latest complete quarter: a figure rated against a target is of a period that
    has ended, and it is the trend table's latest row."""
    return latest_complete(today, quarter_containing)


class DashboardPeriodForm(forms.Form):
    period = forms.ChoiceField(label="Period")

    def __init__(self, *args, today: dt.date, start_month: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = period_choices(today, start_month)
        default = default_period(today)
        self.fields["period"].choices = [
            (
                group,
                [(value, p.label) for value, p in self.periods.items() if value.startswith(kind)],
            )
            for group, kind in (
                ("Quarters", "quarter"),
                ("Terms", "term"),
                ("Academic years", "year"),
            )
        ]
        self.fields["period"].initial = next(
            value for value, period in self.periods.items() if period == default
        )
        self.default = default

    def chosen(self) -> Period:
        if self.is_bound:
            return self.periods[self.cleaned_data["period"]]
        return self.default


# A bound for the number of IPS a service could aim for, well inside the column's range.
MOST_IPS = 10_000


class TargetsForm(forms.Form):
    """Every measure's thresholds on one form, each row's version carried along
    (reports.targets.save_targets refuses a stale save)."""

    def __init__(self, *args, targets: dict[str, Thresholds], satisfaction_target: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.satisfaction_target = satisfaction_target
        self.measures = []
        for measure in Measure:
            thresholds = targets[measure]
            top = 100 if thresholds.is_percent else MOST_IPS
            unit = "%" if thresholds.is_percent else "IPS"
            # Satisfaction's green is the service's own target, set with the service.
            colours = ("amber",) if measure == Measure.SATISFACTION else ("green", "amber")
            names = [f"{measure}_{colour}" for colour in colours]
            for name, colour in zip(names, colours, strict=True):
                self.fields[name] = forms.IntegerField(
                    label=f"{colour.capitalize()} from ({unit})",
                    min_value=0,
                    max_value=top,
                    initial=getattr(thresholds, colour),
                    help_text="Below this the figure is red." if colour == "amber" else "",
                )
            self.fields[f"{measure}_version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=thresholds.version, min_value=0
            )
            self.measures.append((measure, names))

    def fieldsets(self):
        """(measure, legend, fields) per measure, for the template."""
        return [
            (measure.value, measure.label, [self[name] for name in names])
            for measure, names in self.measures
        ]

    def clean(self):
        data = super().clean()
        for measure in Measure:
            green = (
                self.satisfaction_target
                if measure == Measure.SATISFACTION
                else data.get(f"{measure}_green")
            )
            amber = data.get(f"{measure}_amber")
            if green is not None and amber is not None and amber > green:
                self.add_error(
                    f"{measure}_amber",
                    f"The amber threshold must not be above the green one ({green}).",
                )
        return data

    def thresholds(self) -> dict[str, tuple[int | None, int]]:
        data = self.cleaned_data
        return {
            measure: (data.get(f"{measure}_green"), data[f"{measure}_amber"]) for measure in Measure
        }

    def versions(self) -> dict[str, int]:
        return {measure: self.cleaned_data[f"{measure}_version"] for measure in Measure}

    def take_versions(self, current: dict[str, Thresholds]) -> None:
        """After a conflict: the stored versions, so that saving again is deliberate."""
        self.data = self.data.copy()
        for measure, thresholds in current.items():
            self.data[f"{measure}_version"] = thresholds.version


class _ListedChoices(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for form in self.field.listed:
            yield self.choice(form)

    def __len__(self):
        return len(self.field.listed) + (self.field.empty_label is not None)


class ListedFormField(forms.ModelChoiceField):
    """A choice among evaluation forms already read (`listed`), so that the list, the
    default and the chosen form cost one query between them."""

    iterator = _ListedChoices

    def __init__(self, *args, **kwargs):
        self.listed: list[EvaluationForm] = []
        super().__init__(EvaluationForm.objects.none(), *args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        for form in self.listed:
            if str(form.pk) == str(value):
                return form
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class PeriodForm(forms.Form):
    """A period typed as its first and last days in a page's query string (?start=&end=):
    both, or neither for the page's own default. The one form, wording and label of a typed
    period wherever a page offers one."""

    start = forms.DateField(label="From", required=False, widget=DateInput())
    end = forms.DateField(label="To", required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if "start" in self.errors or "end" in self.errors:
            return data
        if start and not end:
            self.add_error("end", "Enter the last day of the period too, or neither date.")
        elif end and not start:
            self.add_error("start", "Enter the first day of the period too, or neither date.")
        elif start and end and end < start:
            self.add_error("end", "The last day must be on or after the first day.")
        return data

    def period(self, default: Period) -> Period:
        """The period typed, or `default` when none was typed or what was typed is wrong
        (the errors are then beside the fields)."""
        if not self.is_bound or not self.is_valid() or not self.cleaned_data.get("start"):
            return default
        first, last = self.cleaned_data["start"], self.cleaned_data["end"]
        return Period(first, last, f"{day_shown(first)} to {day_shown(last)}")


class EvaluationPeriodForm(PeriodForm):
    """The period and form of the evaluation results: an academic year by default."""

    form = ListedFormField(label="Form", required=False, empty_label=None)

    def __init__(self, *args, forms_listed, **kwargs):
        super().__init__(*args, **kwargs)
        # Read inside the request's service scope: another service's form is no choice.
        self.fields["form"].listed = forms_listed
