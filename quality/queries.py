"""Named reads of self-assessments, plans and reviews, each in a fixed number of queries
whatever the number of standards (pages must not grow a query per row)."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch

from pps.access import documents_visible_to
from quality import evidence
from quality.access import (
    assessments_visible_to,
    frameworks_visible_to,
    plan_updates_visible_to,
    plans_visible_to,
    ratings_editable_by,
    reviews_visible_to,
)
from quality.enums import AssessmentStatus
from quality.models import (
    ActionItem,
    Document,
    EvidenceFigure,
    PlanEntry,
    PlanUpdateEntry,
    Rating,
    SelfAssessment,
    SteeringSeat,
)
from quality.models.plans import ENTRY_TEXT_FIELDS
from quality.textdiff import word_diff


@dataclass(frozen=True)
class FigureRow:
    pk: int
    label: str
    period: str
    value: str
    frozen: bool


@dataclass
class StandardRow:
    rating: Rating
    figures: list[FigureRow]
    documents: list[Document]


@dataclass
class ThemeRows:
    theme: object
    rows: list[StandardRow] = field(default_factory=list)


def _figure_rows(assessment: SelfAssessment, figures, public: bool) -> dict[int, list[FigureRow]]:
    """Frozen values for a finalised assessment; live values, each key computed once, for
    a draft (recomputed on every view and print)."""
    live = {}
    by_rating: dict[int, list[FigureRow]] = {}
    for figure in figures:
        if figure.frozen_at is not None:
            value = figure.frozen_public_value if public else figure.frozen_value
            row = FigureRow(figure.pk, figure.frozen_label, figure.frozen_period, value, True)
        elif figure.key in evidence.CATALOGUE:
            if figure.key not in live:
                live[figure.key] = evidence.read_figure(
                    figure.key, assessment.service, assessment.assessed_on
                )
            reading = live[figure.key]
            value = reading.public_value if public else reading.value
            row = FigureRow(figure.pk, reading.label, reading.period, value, False)
        else:
            row = FigureRow(figure.pk, figure.key, "", "no longer available", False)
        by_rating.setdefault(figure.rating_id, []).append(row)
    return by_rating


def assessment_sheet(assessment: SelfAssessment, *, public: bool) -> list[ThemeRows]:
    """Every standard of the assessment by theme, with its rating, figures and documents."""
    ratings = list(
        assessment.ratings.select_related("standard__theme", "level")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.order_by("uploaded_at")))
        .order_by("standard__position")
    )
    figures = EvidenceFigure.objects.filter(rating__assessment=assessment).order_by("id")
    by_rating = _figure_rows(assessment, figures, public)
    themes: dict[int, ThemeRows] = {}
    for rating in ratings:
        theme = rating.standard.theme
        group = themes.setdefault(theme.pk, ThemeRows(theme))
        group.rows.append(
            StandardRow(rating, by_rating.get(rating.pk, []), list(rating.documents.all()))
        )
    return list(themes.values())


def standard_row(rating: Rating, *, public: bool) -> StandardRow:
    """One rating's row (the rating page): its figures live or frozen, and its documents."""
    figures = _figure_rows(rating.assessment, rating.figures.order_by("id"), public)
    return StandardRow(rating, figures.get(rating.pk, []), list(rating.documents.all()))


def rating_summary(assessment: SelfAssessment) -> list[tuple[str, int]]:
    """How many standards got each level (best first), and how many are not yet rated."""
    # Counted by the database; unrated standards (no level) sort last.
    rows = (
        assessment.ratings.values("level__rank", "level__label")
        .annotate(n=Count("id"))
        .order_by(F("level__rank").desc(nulls_last=True))
    )
    return [(row["level__label"] or "Not yet rated", row["n"]) for row in rows]


@dataclass(frozen=True)
class ComparisonRow:
    code: str
    text: str
    earlier: str
    later: str
    movement: str  # "up", "down", "same", "added", "removed", "not rated"


def compare_assessments(earlier: SelfAssessment, later: SelfAssessment) -> list[ComparisonRow]:
    """Two assessments of one framework side by side, standard by standard (matched by
    code, so two versions of the framework compare), with what moved up or down by the
    rank of the level."""

    def ratings(assessment):
        return {
            r.standard.code: r
            for r in assessment.ratings.select_related("standard", "level").order_by(
                "standard__position"
            )
        }

    def label(rating):
        if rating is None:
            return "not in this version"
        return rating.level.label if rating.level else "not rated"

    before, after = ratings(earlier), ratings(later)
    codes = list(after) + [code for code in before if code not in after]
    rows = []
    for code in codes:
        a, b = before.get(code), after.get(code)
        text = (b or a).standard.text
        if a is None:
            movement = "added"
        elif b is None:
            movement = "removed"
        elif not (a.level and b.level):
            movement = "not rated"
        elif b.level.rank > a.level.rank:
            movement = "up"
        elif b.level.rank < a.level.rank:
            movement = "down"
        else:
            movement = "same"
        rows.append(ComparisonRow(code, text, label(a), label(b), movement))
    return rows


@dataclass(frozen=True)
class PlanRow:
    standard: object
    fields: list[tuple[str, str]]  # (label, text or marked-up difference)
    changed: bool
    # The same texts by field name (ENTRY_TEXT_FIELDS), for layouts that place each field
    # in its own column (the plan's PDF).
    texts: dict = field(default_factory=dict)


def plan_update_rows(update, previous=None, *, show_changes: bool) -> list[PlanRow]:
    """The entries of an update; with `show_changes`, each field's words marked up with what
    changed since `previous` (the update before it)."""
    labels = {
        name: PlanUpdateEntry._meta.get_field(name).verbose_name for name in ENTRY_TEXT_FIELDS
    }
    entries = list(update.entries.select_related("standard__theme").order_by("standard__position"))
    before = {}
    if show_changes and previous is not None:
        before = {e.standard.code: e for e in previous.entries.select_related("standard")}
    rows = []
    for entry in entries:
        old = before.get(entry.standard.code)
        fields, changed = [], False
        for name in ENTRY_TEXT_FIELDS:
            text = getattr(entry, name)
            if show_changes and previous is not None:
                old_text = getattr(old, name) if old else ""
                if old_text != text:
                    changed = True
                    text = word_diff(old_text, text)
            fields.append((labels[name].capitalize(), text))
        texts = dict(zip(ENTRY_TEXT_FIELDS, (text for _label, text in fields), strict=True))
        rows.append(PlanRow(entry.standard, fields, changed, texts))
    return rows


def previous_final(assessment: SelfAssessment) -> SelfAssessment | None:
    """The finalised assessment of the same framework (any version) made before this one:
    what its print marks changes against."""
    return (
        SelfAssessment.objects.filter(
            version__framework_id=assessment.version.framework_id,
            status=AssessmentStatus.FINAL,
            assessed_on__lte=assessment.assessed_on,
        )
        .exclude(pk=assessment.pk)
        .exclude(assessed_on=assessment.assessed_on, id__gt=assessment.pk)
        .order_by("-assessed_on", "-id")
        .first()
    )


@dataclass(frozen=True)
class MarkedRow:
    row: StandardRow
    evidence: str  # the evidence, with what changed since the previous assessment marked up
    was: str  # the previous assessment's rating when it differs, else ""
    changed: bool


def mark_changes(themes: list[ThemeRows], previous: SelfAssessment | None):
    """Each theme's rows with the evidence words changed since `previous` marked
    (quality.textdiff) and a rating that moved named; standards are matched by code, so two
    versions of a framework compare. One query for the previous ratings."""
    before = {}
    if previous is not None:
        before = {r.standard.code: r for r in previous.ratings.select_related("standard", "level")}
    marked = []
    for group in themes:
        rows = []
        for row in group.rows:
            rating = row.rating
            old = before.get(rating.standard.code)
            if previous is None:
                rows.append(MarkedRow(row, rating.evidence, "", False))
                continue
            old_evidence = old.evidence if old else ""
            old_level = old.level.label if old and old.level else "not rated"
            new_level = rating.level.label if rating.level else "not rated"
            evidence_changed = old_evidence != rating.evidence
            was = old_level if old_level != new_level else ""
            evidence = rating.evidence
            if evidence_changed:
                evidence = word_diff(old_evidence, rating.evidence)
            rows.append(MarkedRow(row, evidence, was, evidence_changed or bool(was)))
        marked.append((group.theme, rows))
    return marked


def other_assessments(user, assessment: SelfAssessment):
    """Other assessments of the same framework this user may see, newest first."""
    return (
        assessments_visible_to(user)
        .filter(version__framework_id=assessment.version.framework_id)
        .exclude(pk=assessment.pk)
        .order_by("-assessed_on", "-id")
    )


def default_comparison(others, assessment: SelfAssessment) -> SelfAssessment | None:
    """What an assessment is compared with unless the reader chooses: the latest of `others`
    made on or before it, else the latest of them."""
    return others.filter(assessed_on__lte=assessment.assessed_on).first() or others.first()


def unrated_count(assessment: SelfAssessment) -> int:
    return assessment.ratings.filter(level__isnull=True).count()


def figures_editable_by(user):
    """Evidence figures of the ratings this user may still edit."""
    return EvidenceFigure.objects.filter(rating__in=ratings_editable_by(user))


def standards_home(user) -> dict:
    """What the standards home page lists: frameworks, assessments, plans and reviews."""
    return {
        "frameworks": frameworks_visible_to(user).annotate(
            version_count=Count("versions", distinct=True)
        ),
        "assessments": assessments_visible_to(user).select_related("version__framework"),
        "plans": plans_visible_to(user)
        .select_related("version__framework")
        .annotate(update_count=Count("updates", distinct=True)),
        "reviews": reviews_visible_to(user).select_related("version__framework"),
    }


def seats_held_by_type(seats, day) -> dict[str, int]:
    """How many of `seats` are held on `day`, by member type."""
    return dict(
        seats.filter(pk__in=SteeringSeat.objects.held_on(day))
        .values_list("member_type")
        .annotate(n=Count("pk"))
    )


def review_bands(review):
    return review.bands.select_related("standard__theme", "level").order_by("standard__position")


def review_actions(review):
    return review.actions.select_related("standard").order_by("standard__position", "id")


def action_items_editable_by(user):
    return ActionItem.objects.filter(review__in=reviews_visible_to(user)).select_related(
        "review__version", "standard"
    )


def plan_updates(user, plan) -> list:
    """The plan's recorded updates this user may read, oldest first."""
    return list(plan_updates_visible_to(user).filter(plan=plan).order_by("number"))


def working_entries(plan):
    """The plan's working copy, entry by entry in the framework's order."""
    return plan.entries.select_related("standard__theme").order_by("standard__position")


def plan_entries_editable_by(user):
    return PlanEntry.objects.filter(plan__in=plans_visible_to(user)).select_related(
        "standard", "plan"
    )


def framework_versions(framework) -> list:
    """A framework's versions, newest first."""
    return list(framework.versions.select_related("created_by").order_by("-number"))


def version_themes(version):
    return version.themes.prefetch_related("standards")


def built_documents(user, kind: str):
    """The documents of one kind built for this user's service, with who asked for each."""
    return documents_visible_to(user).filter(kind=kind).select_related("requested_by")
