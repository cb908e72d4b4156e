"""Writes on frameworks, self-assessments, plans and reviews that carry a rule.

Keyword-only, one transaction each, ValidationError naming the field and nothing changed
when one refuses (docs/architecture.md, "Layers inside an app").
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from pps import uploads
from pps.audit import value_shown
from pps.models import Service
from pps.validators import refuse_future
from pps.versioning import EditConflict, bump, locked_at, save_versioned
from quality import evidence
from quality.enums import ActionStatus, AssessmentStatus
from quality.frameworks import (
    SHIPPED,
    LayoutError,
    ParsedFramework,
    ParsedTheme,
    parse_framework_csv,
    scale_problems,
)
from quality.models import (
    ActionItem,
    DevelopmentPlan,
    Document,
    ElementBand,
    EvidenceFigure,
    ExternalReview,
    Framework,
    FrameworkVersion,
    Level,
    PlanEntry,
    PlanUpdate,
    PlanUpdateEntry,
    Rating,
    SelfAssessment,
    Standard,
    SteeringSeat,
    Theme,
)
from quality.models.plans import ENTRY_TEXT_FIELDS

# Frameworks ------------------------------------------------------------------------------


def _write_version(
    *, framework: Framework, parsed: ParsedFramework, number: int, by, note: str
) -> FrameworkVersion:
    """A version with its scale, themes and standards, in four bulk inserts."""
    service_id = framework.service_id
    version = FrameworkVersion.objects.create(
        service_id=service_id,
        framework=framework,
        number=number,
        note=note,
        fingerprint=parsed.fingerprint(),
        created_by=by,
    )
    size = len(parsed.scale)
    Level.objects.bulk_create(
        Level(service_id=service_id, version=version, label=label, rank=size - i)
        for i, label in enumerate(parsed.scale)
    )
    themes = Theme.objects.bulk_create(
        Theme(service_id=service_id, version=version, code=t.code, title=t.title, position=i)
        for i, t in enumerate(parsed.themes)
    )
    in_order = [
        (theme, code, text)
        for theme, parsed_theme in zip(themes, parsed.themes, strict=True)
        for code, text in parsed_theme.standards
    ]
    Standard.objects.bulk_create(
        Standard(
            service_id=service_id, version=version, theme=theme, code=code, text=text, position=i
        )
        for i, (theme, code, text) in enumerate(in_order)
    )
    return version


def _one_per_standard(model, version: FrameworkVersion, by, words=None, **fields) -> None:
    """A row of `model` (with its history) for each standard of the version, holding
    `fields` and, from `words` (by standard code), that standard's own."""
    words = words or {}
    bulk_create_with_history(
        [
            model(standard=standard, **fields, **words.get(standard.code, {}))
            for standard in version.standards.all()
        ],
        model,
        default_user=by,
    )


def install_shipped_frameworks(*, service: Service) -> list[Framework]:
    """Give a service its own copy of every shipped framework it does not have yet."""
    installed = []
    with transaction.atomic():
        have = set(Framework.objects.filter(service=service).values_list("shipped_key", flat=True))
        for shipped in SHIPPED:
            if shipped.key in have:
                continue
            framework = Framework.objects.create(
                service=service,
                name=shipped.name,
                shipped_key=shipped.key,
                description=shipped.description,
            )
            _write_version(
                framework=framework, parsed=shipped.parse(), number=1, by=None, note="As shipped"
            )
            installed.append(framework)
    return installed


def latest_version(framework: Framework) -> FrameworkVersion:
    return framework.versions.order_by("-number").first()


def import_framework(
    *, service: Service, name: str, scale: list[str], text: str, by
) -> tuple[FrameworkVersion, bool]:
    """Import a framework from CSV (layout in quality.frameworks): all or nothing.

    Returns the version and whether it is new. The same name with the same content again
    makes nothing new; with changed content it makes a new version of that framework.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the framework a name."})
    if problems := scale_problems(scale):
        raise ValidationError({"scale": problems})
    try:
        parsed = parse_framework_csv(text, scale)
    except LayoutError as error:
        raise ValidationError(
            {"file": [f"Line {line}: {reason}" for line, reason in error.problems]}
        ) from error
    with transaction.atomic():
        framework, created = Framework.objects.select_for_update().get_or_create(
            service=service, name=name
        )
        if not created:
            current = latest_version(framework)
            if current and current.fingerprint == parsed.fingerprint():
                return current, False
        number = (framework.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        note = "Imported from CSV" if number == 1 else "Re-imported from CSV with changes"
        version = _write_version(
            framework=framework, parsed=parsed, number=number, by=by, note=note
        )
    return version, True


def revise_framework(
    *,
    based_on: FrameworkVersion,
    theme_titles: dict[str, str],
    standard_texts: dict[str, str],
    note: str,
    by,
) -> FrameworkVersion:
    """New wording as a new version (a copy of the tree); assessments of the old one keep it.

    Refused when someone made a newer version since `based_on` was opened, so nobody's
    edit is lost, and when nothing changed.
    """
    with transaction.atomic():
        framework = Framework.objects.select_for_update().get(pk=based_on.framework_id)
        if latest_version(framework).pk != based_on.pk:
            raise ValidationError(
                "Someone saved a newer version of this framework after you opened it. "
                "Open it again to edit the latest wording."
            )
        themes = list(based_on.themes.prefetch_related("standards"))
        parsed = ParsedFramework(
            themes=[], scale=list(based_on.levels.order_by("-rank").values_list("label", flat=True))
        )
        errors = {}
        for theme in themes:
            title = theme_titles.get(theme.code, theme.title).strip()
            parsed_theme = ParsedTheme(theme.code, title)
            for standard in theme.standards.all():
                text = standard_texts.get(standard.code, standard.text).strip()
                if not text:
                    errors[f"standard_{standard.pk}"] = "A standard needs its wording."
                parsed_theme.standards.append((standard.code, text))
            parsed.themes.append(parsed_theme)
        if errors:
            raise ValidationError(errors)
        if parsed.fingerprint() == based_on.fingerprint:
            raise ValidationError("Nothing has changed: no new version was made.")
        return _write_version(
            framework=framework,
            parsed=parsed,
            number=based_on.next_number,
            by=by,
            note=note.strip() or "Wording edited",
        )


# Self-assessments ------------------------------------------------------------------------


def start_assessment(
    *, service: Service, version: FrameworkVersion, title: str, assessed_on: dt.date, by
) -> SelfAssessment:
    """A draft with one empty rating per standard of the version."""
    with transaction.atomic():
        assessment = SelfAssessment.objects.create(
            service=service, version=version, title=title, assessed_on=assessed_on, created_by=by
        )
        _one_per_standard(Rating, version, by, service=service, assessment=assessment)
    return assessment


def _locked_draft(pk: int) -> SelfAssessment:
    """The assessment, its row locked (as finalising locks it), while it is a draft."""
    assessment = SelfAssessment.objects.select_for_update().get(pk=pk)
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError("This assessment is finalised: it can no longer change.")
    return assessment


def rate_standard(*, rating: Rating, expected_version: int, by) -> Rating:
    """Save a rating edited in a form, only while its assessment is a draft.

    The assessment row is locked first, as finalising locks it, so a rating cannot slip in
    after the figures were frozen; then the rating is saved under pps.versioning's check
    (EditConflict when someone else saved it since `expected_version`).
    """
    with transaction.atomic():
        _locked_draft(rating.assessment_id)
        rating.rated_by = by
        save_versioned(rating, expected_version=expected_version)
    return rating


def link_figure(*, rating: Rating, key: str) -> EvidenceFigure:
    if key not in evidence.CATALOGUE:
        raise ValidationError({"key": "Choose a figure from the list."})
    with transaction.atomic():
        _locked_draft(rating.assessment_id)
        if rating.figures.filter(key=key).exists():
            raise ValidationError({"key": "This figure is already linked to this standard."})
        return EvidenceFigure.objects.create(service_id=rating.service_id, rating=rating, key=key)


def unlink_figure(*, figure: EvidenceFigure) -> None:
    with transaction.atomic():
        _locked_draft(figure.rating.assessment_id)
        figure.delete()


def attach_document(*, rating: Rating, title: str, file, by) -> Document:
    with transaction.atomic():
        _locked_draft(rating.assessment_id)
        return Document.objects.create(
            service_id=rating.service_id,
            rating=rating,
            title=title,
            file=file,
            original_name=uploads.safe_name(getattr(file, "name", "") or "document"),
            uploaded_by=by,
        )


# What a linked figure keeps of its last reading (evidence.LiveFigure), as frozen_<name>.
FROZEN = ("label", "period", "value", "public_value")


def finalise_assessment(*, assessment: SelfAssessment, by) -> SelfAssessment:
    """Finalise: every standard must be rated; each linked figure is computed one last time
    and its label, period and value frozen into its row, to be shown forever after."""
    with transaction.atomic():
        assessment = _locked_draft(assessment.pk)
        unrated = list(
            assessment.ratings.filter(level__isnull=True)
            .order_by("standard__position")
            .values_list("standard__code", flat=True)
        )
        if unrated:
            raise ValidationError(
                f"Rate every standard before finalising; not yet rated: {', '.join(unrated)}."
            )
        now = timezone.now()
        figures = list(EvidenceFigure.objects.filter(rating__assessment=assessment))
        for figure in figures:
            if figure.key in evidence.CATALOGUE:
                live = evidence.read_figure(figure.key, assessment.service, assessment.assessed_on)
            else:
                # A figure taken out of the catalogue since it was linked: frozen as the
                # pages already show it, so finalising is not blocked by a retired figure.
                gone = "no longer available"
                live = evidence.LiveFigure(figure.key, figure.key, "", gone, gone)
            for name in FROZEN:
                setattr(figure, f"frozen_{name}", getattr(live, name))
            figure.frozen_at = now
        EvidenceFigure.objects.bulk_update(
            figures, [*(f"frozen_{name}" for name in FROZEN), "frozen_at"]
        )
        assessment.status = AssessmentStatus.FINAL
        assessment.finalised_at = now
        assessment.finalised_by = by
        assessment.save()
    return assessment


# Development plans -----------------------------------------------------------------------


# The words of a plan entry that describe a year's outcome, left empty in next year's copy.
NOT_COPIED = frozenset({"progress"})


def start_plan(
    *,
    service: Service,
    version: FrameworkVersion,
    start_year: int,
    title: str,
    by,
    copy_of: DevelopmentPlan | None = None,
) -> DevelopmentPlan:
    """A plan with an entry per standard; as a copy of `copy_of` its entries start with the
    words of that plan's entries (matched by standard code)."""
    with transaction.atomic():
        plan = DevelopmentPlan.objects.create(
            service=service,
            version=version,
            start_year=start_year,
            title=title,
            copied_from=copy_of,
            created_by=by,
        )
        words = {}
        if copy_of is not None:
            # Progress is what happened in last year's plan: the new year starts with none,
            # or last year's "Met" would read as this year's (docs/domain.md,
            # "Standards, self-assessments and plans").
            copied = [name for name in ENTRY_TEXT_FIELDS if name not in NOT_COPIED]
            words = {
                entry.standard.code: {name: getattr(entry, name) for name in copied}
                for entry in copy_of.entries.select_related("standard")
            }
        _one_per_standard(PlanEntry, version, by, words, service=service, plan=plan)
    return plan


def record_plan_update(*, plan: DevelopmentPlan, made_on: dt.date, note: str, by) -> PlanUpdate:
    """Keep the plan's words as they stand today as a dated update (kept forever)."""
    refuse_future(made_on, "made_on")
    with transaction.atomic():
        plan = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
        last = plan.updates.order_by("-number").first()
        if last and made_on < last.made_on:
            last_day = f"{last.made_on:%-d %B %Y}"
            raise ValidationError(
                {"made_on": f"The last update was of {last_day}: date this one after it."}
            )
        update = PlanUpdate.objects.create(
            service_id=plan.service_id,
            plan=plan,
            number=(last.number if last else 0) + 1,
            made_on=made_on,
            note=note,
            made_by=by,
        )
        PlanUpdateEntry.objects.bulk_create(
            PlanUpdateEntry(
                service_id=plan.service_id,
                update=update,
                standard_id=entry.standard_id,
                **{name: getattr(entry, name) for name in ENTRY_TEXT_FIELDS},
            )
            for entry in plan.entries.all()
        )
    return update


# External reviews ------------------------------------------------------------------------


def add_action_item(*, review: ExternalReview, **fields) -> ActionItem:
    """An item on the review's action plan: a finding short of full compliance."""
    return ActionItem.objects.create(service_id=review.service_id, review=review, **fields)


class ChangedMeanwhile(ValidationError):
    """A save refused because someone else saved since the form was opened: `current` is
    what is saved now, for the form to take, so that saving again is a deliberate choice."""

    def __init__(self, message: str, *, current):
        super().__init__(message)
        self.current = current


class BandsChanged(ChangedMeanwhile):
    """record_bands refused: `current` holds every band's level id as saved now."""


def record_bands(
    *,
    review: ExternalReview,
    chosen: list[tuple[ElementBand, Level | None]],
    opened_with: dict[int, int | None],
) -> int:
    """Save the band given to each element; all or nothing.

    Refused, saving nothing, when any band differs from what the form was opened with
    (`opened_with`: band pk to level id): someone else saved bands meanwhile, and writing
    the whole form back would silently undo theirs (BandsChanged, with the current bands).
    Returns how many bands changed.
    """
    with transaction.atomic():
        current = {
            band.pk: band
            for band in ElementBand.objects.select_for_update(of=("self",))
            .filter(review=review)
            .select_related("standard", "level")
        }
        moved = [
            band
            for pk, band in current.items()
            if pk in opened_with and band.level_id != opened_with[pk]
        ]
        if moved:
            now = "; ".join(
                f"{band.standard.code} is now {band.level or 'not assessed'}"
                for band in sorted(moved, key=lambda b: b.standard.position)
            )
            raise BandsChanged(
                f"Someone else changed bands of this review after you opened it: {now}. "
                "Nothing of yours has been saved yet: check their bands, then save again "
                "to keep yours.",
                current={pk: band.level_id for pk, band in current.items()},
            )
        changed = 0
        for band, level in chosen:
            stored = current.get(band.pk)
            if stored is None:
                continue
            level_id = level.pk if level else None
            if stored.level_id != level_id:
                stored.level = level
                stored.save()
                changed += 1
    return changed


def start_review(*, service: Service, version: FrameworkVersion, by, **fields) -> ExternalReview:
    """A review of the framework version with an unset band per element; the open action
    items of the previous review come along marked "carried forward", to be closed or kept."""
    previous = fields.get("previous")
    if previous is not None and previous.version.framework_id != version.framework_id:
        raise ValidationError({"previous": "The previous review must be of the same framework."})
    if previous is not None and fields["reviewed_on"] <= previous.reviewed_on:
        raise ValidationError({"reviewed_on": "Date this review after the previous one."})
    codes = {s.code: s for s in version.standards.all()}
    open_items = []
    if previous is not None:
        open_items = list(
            previous.actions.exclude(status=ActionStatus.CLOSED)
            .select_related("standard")
            .order_by("standard__position", "id")
        )
        # An open item must come along: refuse rather than drop one whose element the
        # new version no longer has.
        missing = list(
            dict.fromkeys(i.standard.code for i in open_items if i.standard.code not in codes)
        )
        if missing:
            raise ValidationError(
                {
                    "version": "The previous review has open action items on elements this "
                    f"version does not have: {', '.join(missing)}. Close them on the previous "
                    "review, or choose a version that has these elements."
                }
            )
    with transaction.atomic():
        review = ExternalReview.objects.create(
            service=service, version=version, created_by=by, **fields
        )
        _one_per_standard(ElementBand, version, by, service=service, review=review)
        if open_items:
            carried = [
                ActionItem(
                    service=service,
                    review=review,
                    standard=codes[item.standard.code],
                    status=ActionStatus.CARRIED_FORWARD,
                    finding=item.finding,
                    progress=item.progress,
                    carried_from=item,
                )
                for item in open_items
            ]
            bulk_create_with_history(carried, ActionItem, default_user=by)
    return review


# What a coordinator may correct on a recorded review; the framework version and the
# previous review are fixed, as the bands and carried-forward items were made from them.
REVIEW_EDITABLE = ("kind", "reviewed_on", "assessor", "assessing_body", "result")


def edit_review(*, review: ExternalReview, expected_revision: int, by, **fields) -> ExternalReview:
    """Correct a review's kind, date, assessor, assessing body or result.

    Refused, changing nothing, when someone else edited it since `expected_revision` (the
    error names their values), and when the date is not after the previous review's.
    """
    unknown = set(fields) - set(REVIEW_EDITABLE)
    if unknown:
        raise ValueError(f"Not editable on a review: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        try:
            current = locked_at(
                ExternalReview.objects.select_related("previous"),
                review.pk,
                expected=expected_revision,
                counter="revision",
            )
        except EditConflict as conflict:
            current = conflict.current
            theirs = "; ".join(
                f"{ExternalReview._meta.get_field(name).verbose_name}: {_shown(current, name)}"
                for name in REVIEW_EDITABLE
                if name in fields and getattr(current, name) != fields[name]
            )
            raise ReviewChanged(
                "Someone else saved this review after you opened it"
                + (f" ({theirs})" if theirs else "")
                + ". Nothing of yours has been saved yet: your changes are still in the form. "
                "Check their values, then save again to keep yours.",
                current=current.revision,
            ) from None
        day = fields.get("reviewed_on", current.reviewed_on)
        if current.previous is not None and day <= current.previous.reviewed_on:
            raise ValidationError({"reviewed_on": "Date this review after the previous one."})
        for name, value in fields.items():
            setattr(current, name, value)
        bump(current, "revision")
        current._history_user = by
        current.save()
    return current


def _shown(review: ExternalReview, name: str) -> str:
    if name == "kind":
        return review.get_kind_display()
    return value_shown(getattr(review, name))


class ReviewChanged(ChangedMeanwhile):
    """edit_review refused: someone else edited the review; `current` is their revision."""


# The steering group ----------------------------------------------------------------------


def add_seat(*, service: Service, **fields) -> SteeringSeat:
    """A seat on the steering group, by member type (no name)."""
    return SteeringSeat.objects.create(service=service, **fields)
