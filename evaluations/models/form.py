"""Evaluation forms as data (docs/domain.md, "Evaluation forms"): a coordinator builds them.

A form has numbered versions. A draft version can be edited; publishing makes it the one
that is sent, and it never changes again, so every response keeps the questions it
answered. A question's `key` stays the same across versions, which is how the reports
count one question over a year in which the wording changed.
"""

from django.conf import settings
from django.db import models

from evaluations.enums import (
    NOT_APPLICABLE,
    SCALE_ANSWERS,
    SCALE_POSITIVE,
    YES_NO_ANSWERS,
    FormKind,
    Measure,
    QuestionKind,
    Scale,
)
from pps.links import record_url
from pps.models import ServiceRecord


class EvaluationForm(ServiceRecord):
    kind = models.CharField(max_length=16, choices=FormKind.choices)
    title = models.CharField(max_length=200)
    introduction = models.TextField(
        blank=True, help_text="Shown above the questions, to the person answering."
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retired_on = models.DateField(
        null=True, blank=True, help_text="A retired form is no longer sent; its results stay."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return record_url("evaluations:form-detail", self.pk)

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None


class FormVersion(ServiceRecord):
    form = models.ForeignKey(EvaluationForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(null=True, blank=True)
    # Counts the saves of a draft's questions: a save from a page opened at an older revision
    # is refused, so two coordinators editing one draft cannot overwrite each other.
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["form", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="formversion_unique_number")
        ]

    def __str__(self):
        return f"{self.form.title}, version {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class Question(ServiceRecord):
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(
        max_length=40,
        help_text="Stays the same when the wording changes in a new version, so that the "
        "reports count the question across versions.",
    )
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    scale = models.CharField(max_length=12, choices=Scale.choices, blank=True)
    options = models.JSONField(
        default=list, blank=True, help_text="The answers to choose from (one or several choice)."
    )
    required = models.BooleanField(default=False)
    allow_not_applicable = models.BooleanField(
        "offer “Not applicable”",
        default=False,
        help_text="“Not applicable” answers are left out of the question's percentages.",
    )
    measure = models.CharField(max_length=16, choices=Measure.choices, blank=True)

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_unique_key")
        ]

    def __str__(self):
        return self.text

    def answers(self) -> list[str]:
        """The answers a person may choose from, in order ("" for free text)."""
        if self.kind == QuestionKind.RATING:
            choices = list(SCALE_ANSWERS[Scale(self.scale)])
        elif self.kind == QuestionKind.YES_NO:
            choices = list(YES_NO_ANSWERS)
        elif self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            choices = [str(option) for option in self.options]
        else:
            return []
        if self.allow_not_applicable:
            choices.append(NOT_APPLICABLE)
        return choices

    def positive_answers(self) -> list[str]:
        """Answers that count as a positive response: Good or better, met, or yes."""
        if self.kind == QuestionKind.RATING:
            return SCALE_ANSWERS[Scale(self.scale)][: SCALE_POSITIVE[Scale(self.scale)]]
        if self.kind == QuestionKind.YES_NO:
            return ["Yes"]
        return []
