import datetime as dt

from django import forms
from django.db.models import Max, OuterRef, Subquery
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django_scopes.forms import SafeModelChoiceField

from pps import uploads
from pps.forms import DateInput, ScopedModelForm, VersionedForm, plain_number
from pps.validators import refuse_future
from quality import evidence
from quality.frameworks import parse_scale, scale_problems
from quality.models import (
    ActionItem,
    DevelopmentPlan,
    ExternalReview,
    Framework,
    FrameworkVersion,
    PlanEntry,
    Rating,
    SelfAssessment,
    SteeringSeat,
)
from quality.models.plans import ENTRY_TEXT_FIELDS

# No parent partnership service kept records before this; earlier dates are typing slips.
EARLIEST = dt.date(2000, 1, 1)


def _dated(day: dt.date, what: str) -> dt.date:
    """The day an assessment or review is dated: not in the future, not before EARLIEST (the
    figures' periods are the years around it; year 1 has none before it)."""
    refuse_future(day)
    if day < EARLIEST:
        raise forms.ValidationError(f"Date the {what} on or after {EARLIEST:%-d %B %Y}.")
    return day


def latest_versions():
    """The newest version of each framework of the service: what new work is based on."""
    newest = (
        FrameworkVersion.objects.filter(framework=OuterRef("framework"))
        .values("framework")
        .annotate(top=Max("number"))
        .values("top")
    )
    return (
        FrameworkVersion.objects.filter(number=Subquery(newest))
        .select_related("framework")
        .order_by("framework__name")
    )


class VersionChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.framework.name} (version {obj.number})"


class ImportForm(forms.Form):
    name = forms.CharField(
        label="Name of the framework",
        max_length=200,
        help_text="Importing again under the same name makes a new version if anything changed.",
    )
    scale = forms.CharField(
        label="Rating scale, best level first",
        max_length=500,
        help_text="Separated by commas, e.g. “Best practice, Full compliance, Partial "
        "compliance, Major non-compliance”.",
    )
    file = forms.FileField(label="CSV file")

    def clean_scale(self):
        scale = parse_scale(self.cleaned_data["scale"])
        if problems := scale_problems(scale):
            raise forms.ValidationError(problems)
        return scale

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if getattr(upload, "too_large", False) or upload.size > uploads.max_size():
            raise forms.ValidationError(
                f"The file is larger than {filesizeformat(uploads.max_size())}."
            )
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                "The file is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8”."
            ) from error


class ReviseForm(forms.Form):
    """Every theme title and standard wording of a version, to save as the next version."""

    note = forms.CharField(
        label="What changed", max_length=300, required=False, help_text="Shown in the versions."
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.rows = []
        for theme in version.themes.prefetch_related("standards"):
            theme_field = f"theme_{theme.pk}"
            self.fields[theme_field] = forms.CharField(
                label=f"Theme {theme.code}: title",
                initial=theme.title,
                required=False,
                max_length=300,
            )
            standard_fields = []
            for standard in theme.standards.all():
                name = f"standard_{standard.pk}"
                self.fields[name] = forms.CharField(
                    label=f"Standard {standard.code}",
                    initial=standard.text,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
                standard_fields.append((standard, name))
            self.rows.append((theme, theme_field, standard_fields))

    def layout(self):
        """Each theme with its title field and its standards' fields, for the template."""
        return [
            (theme, self[theme_field], [self[name] for _, name in standards])
            for theme, theme_field, standards in self.rows
        ]

    def theme_titles(self):
        return {theme.code: self.cleaned_data[field] for theme, field, _ in self.rows}

    def standard_texts(self):
        return {
            standard.code: self.cleaned_data[name]
            for _, _, standards in self.rows
            for standard, name in standards
        }


class AssessmentForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = SelfAssessment
        fields = ["version", "title", "assessed_on"]
        widgets = {"assessed_on": DateInput()}
        field_classes = {"version": VersionChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = latest_versions()
        self.fields["assessed_on"].initial = timezone.localdate()

    def clean_assessed_on(self):
        return _dated(self.cleaned_data["assessed_on"], "assessment")


class RatingForm(VersionedForm):
    class Meta(VersionedForm.Meta):
        model = Rating
        fields = ["level", "evidence"]
        widgets = {"level": forms.RadioSelect, "evidence": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        level = self.fields["level"]
        level.queryset = self.instance.assessment.version.levels.order_by("-rank")
        level.empty_label = None
        level.required = True


class FigureForm(forms.Form):
    key = forms.ChoiceField(label="Live figure from the records")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [("", "Choose a figure"), *evidence.choices()]


class CompareForm(forms.Form):
    other = SafeModelChoiceField(
        queryset=SelfAssessment.objects.none(),
        label="Compare with",
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = choices


class PlanForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = DevelopmentPlan
        fields = ["version", "start_year", "title"]
        field_classes = {"version": VersionChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = latest_versions()


class CopyPlanForm(forms.Form):
    start_year = forms.IntegerField(label="Academic year starting", min_value=2000, max_value=2100)
    title = forms.CharField(max_length=200)


TIMESCALES = [("short", "Short term"), ("medium", "Medium term"), ("long", "Long term")]


class PlanEntryForm(VersionedForm):
    timescales = forms.MultipleChoiceField(
        label="Timescale",
        choices=TIMESCALES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta(VersionedForm.Meta):
        model = PlanEntry
        fields = list(ENTRY_TEXT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "activities",
                "objectives",
                "comments",
                "monitoring",
                "evidence",
                "progress",
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            chosen = self.instance.timescales.split(", ") if self.instance.timescales else []
            labels = dict((label, value) for value, label in TIMESCALES)
            self.initial["timescales"] = [labels[c] for c in chosen if c in labels]

    def clean_timescales(self):
        labels = dict(TIMESCALES)
        return ", ".join(
            labels[value] for value, _ in TIMESCALES if value in self.cleaned_data["timescales"]
        )


class PlanUpdateForm(forms.Form):
    made_on = forms.DateField(label="Update of", widget=DateInput())
    note = forms.CharField(max_length=300, required=False, label="Note for readers")


class ReviewDetailsForm(ScopedModelForm):
    """What is recorded of a review, as it is recorded and as it is corrected."""

    class Meta(ScopedModelForm.Meta):
        model = ExternalReview
        fields = ["kind", "reviewed_on", "assessor", "assessing_body", "result"]
        widgets = {"reviewed_on": DateInput(), "result": forms.Textarea(attrs={"rows": 3})}

    def clean_reviewed_on(self):
        return _dated(self.cleaned_data["reviewed_on"], "review")


class ReviewForm(ReviewDetailsForm):
    class Meta(ReviewDetailsForm.Meta):
        fields = ["version", *ReviewDetailsForm.Meta.fields, "previous"]
        field_classes = {"version": VersionChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = latest_versions()
        self.fields["previous"].queryset = ExternalReview.objects.select_related(
            "version__framework"
        )
        self.fields[
            "previous"
        ].help_text = "Its open action items come into this review as carried forward."


class ReviewEditForm(ReviewDetailsForm):
    """Correct what was recorded of a review; carries the revision it was opened at."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, instance=review, **kwargs)
        if not self.is_bound:
            self.initial["revision"] = self.instance.revision

    def take_current(self, revision: int) -> None:
        """After a conflict: saving again is a deliberate choice to keep this person's values."""
        self.data = self.data.copy()
        self.data["revision"] = revision


class BandsForm(forms.Form):
    """The band the assessor gave each element of the review."""

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        levels = list(review.version.levels.order_by("-rank"))
        choices = [("", "Not assessed")] + [(str(level.pk), level.label) for level in levels]
        self.bands = list(review.bands.select_related("standard"))
        self.by_pk = {level.pk: level for level in levels}
        for band in self.bands:
            self.fields[f"band_{band.pk}"] = forms.ChoiceField(
                label=f"{band.standard.code} {band.standard.text}",
                choices=choices,
                required=False,
                initial=str(band.level_id or ""),
            )
            # The band as it stood when the form was opened: a save is refused if anyone
            # changed it since (pps.versioning's rule, per element).
            self.fields[f"was_{band.pk}"] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=str(band.level_id or "")
            )

    def chosen(self):
        return [
            (band, self.by_pk.get(int(value)) if value else None)
            for band in self.bands
            for value in [self.cleaned_data[f"band_{band.pk}"]]
        ]

    def opened_with(self) -> dict[int, int | None]:
        """Each band's level id when the form was opened."""
        return {band.pk: plain_number(self.cleaned_data[f"was_{band.pk}"]) for band in self.bands}

    def take_current(self, current: dict[int, int | None]) -> None:
        """After a conflict: the form now counts as opened at the bands saved meanwhile, so
        saving again is a deliberate choice to keep this person's bands."""
        self.data = self.data.copy()
        for pk, level_id in current.items():
            self.data[f"was_{pk}"] = str(level_id or "")


class ActionItemForm(VersionedForm):
    class Meta(VersionedForm.Meta):
        model = ActionItem
        fields = ["standard", "status", "finding", "progress"]
        widgets = {
            "finding": forms.Textarea(attrs={"rows": 3}),
            "progress": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = review.version.standards.all()
        self.fields["standard"].label_from_instance = lambda s: f"{s.code} {s.text[:80]}"


class SeatForm(VersionedForm):
    class Meta(VersionedForm.Meta):
        model = SteeringSeat
        fields = ["member_type", "joined_on", "left_on"]
        widgets = {"joined_on": DateInput(), "left_on": DateInput()}

    def clean(self):
        data = super().clean()
        if data.get("left_on") and data.get("joined_on") and data["left_on"] < data["joined_on"]:
            self.add_error("left_on", "A member leaves after joining.")
        return data


class EvidencePackForm(forms.Form):
    """Which framework and academic year an evidence pack is made for."""

    framework = SafeModelChoiceField(
        queryset=Framework.objects.none(),
        label="Framework",
        empty_label=None,
        help_text="The pack holds the latest finalised self-assessment against it.",
    )
    year = forms.TypedChoiceField(
        label="Academic year of the figures",
        coerce=int,
        help_text="A year not yet over is counted up to today.",
    )

    def __init__(self, *args, frameworks, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks
        self.fields["year"].choices = [(p.first.year, p.label) for p in years]
