"""Forms of the report pages: the dashboard's period (GET) and the service's targets."""

import datetime as dt

from django import forms

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
            unit = "%" if thresholds.is_percent else " IPS"
            names = []
            if measure != Measure.SATISFACTION:
                self.fields[f"{measure}_green"] = forms.IntegerField(
                    label=f"Green from ({unit.strip()})",
                    min_value=0,
                    max_value=top,
                    initial=thresholds.green,
                )
                names.append(f"{measure}_green")
            self.fields[f"{measure}_amber"] = forms.IntegerField(
                label=f"Amber from ({unit.strip()})",
                min_value=0,
                max_value=top,
                initial=thresholds.amber,
                help_text="Below this the figure is red.",
            )
            names.append(f"{measure}_amber")
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
