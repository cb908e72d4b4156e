"""External reviews (Charter Mark review, health check): bands and the action plan."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import CreateView, FormView, TemplateView

from pps.access import RoleRequiredMixin
from pps.roles import AGGREGATES, COORDINATORS
from pps.views import ActionFormMixin, VersionedUpdateView
from quality import actions
from quality.access import get_review_for
from quality.enums import ActionStatus
from quality.forms import ActionItemForm, BandsForm, ReviewEditForm, ReviewForm
from quality.queries import action_items_editable_by, review_actions, review_bands


class ReviewCreateView(ActionFormMixin, RoleRequiredMixin, CreateView):
    roles = COORDINATORS
    form_class = ReviewForm
    template_name = "quality/form.html"

    def act(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        review = actions.start_review(
            service=self.request.user.service, version=version, by=self.request.user, **data
        )
        messages.success(self.request, "Review recorded: give each element its band.")
        return redirect("quality:review-detail", pk=review.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Record an external assessment", **kwargs)


class ReviewDetailView(RoleRequiredMixin, TemplateView):
    roles = AGGREGATES
    template_name = "quality/review_detail.html"

    @cached_property
    def review(self):
        return get_review_for(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        review = self.review
        actions_by_status = {status: [] for status in ActionStatus}
        for item in review_actions(review):
            actions_by_status[ActionStatus(item.status)].append(item)
        return super().get_context_data(
            review=review,
            bands=review_bands(review),
            action_groups=[(status.label, items) for status, items in actions_by_status.items()],
            is_coordinator=self.request.user.role in COORDINATORS,
            title=str(review),
            **kwargs,
        )


class ReviewFormView(ActionFormMixin, RoleRequiredMixin, FormView):
    """A coordinator's form on one review, whose action `run(form)` may find the review
    changed by someone else meanwhile: the form then takes what is saved now and the
    refusal shows above it."""

    abstract = True
    roles = COORDINATORS
    template_name = "quality/form.html"
    title: str  # with {review}

    @cached_property
    def review(self):
        return get_review_for(self.request, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "review": self.review}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title.format(review=self.review),
            back_url=reverse("quality:review-detail", args=[self.review.pk]),
            **kwargs,
        )

    def act(self, form):
        try:
            message = self.run(form)
        except actions.ChangedMeanwhile as changed:
            form.take_current(changed.current)
            raise
        messages.success(self.request, message)
        return redirect("quality:review-detail", pk=self.review.pk)


class ReviewEditView(ReviewFormView):
    """Correct a review's assessor, date, result (a typing slip, a late letter)."""

    form_class = ReviewEditForm
    title = "Correct {review}"

    def run(self, form):
        data = dict(form.cleaned_data)
        revision = data.pop("revision")
        actions.edit_review(
            review=self.review, expected_revision=revision, by=self.request.user, **data
        )
        return "Review saved."


class ReviewBandsView(ReviewFormView):
    form_class = BandsForm
    title = "Bands of {review}"

    def run(self, form):
        actions.record_bands(
            review=self.review, chosen=form.chosen(), opened_with=form.opened_with()
        )
        return "Bands saved."


class ActionItemCreateView(ReviewFormView):
    form_class = ActionItemForm
    title = "Add to the action plan of {review}"

    def get_initial(self):
        return {"status": ActionStatus.RAISED}

    def run(self, form):
        actions.add_action_item(review=self.review, **form.cleaned_data)
        return "Action plan item added."


class ActionItemEditView(VersionedUpdateView):
    roles = COORDINATORS
    form_class = ActionItemForm

    def get_queryset(self):
        return action_items_editable_by(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "review": self.object.review}

    def get_title(self):
        return f"Action plan: {self.object.standard.code}"

    def get_success_url(self):
        return reverse("quality:review-detail", args=[self.object.review_id])
