"""External reviews (Charter Mark review, health check): bands and the action plan."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import CreateView, FormView, TemplateView, UpdateView

from pps.access import RoleRequiredMixin
from pps.forms import apply_action_errors
from pps.roles import AGGREGATES, COORDINATORS
from pps.views import ActionFormMixin, VersionedUpdateView
from quality import actions
from quality.access import get_review_for, reviews_visible_to
from quality.enums import ActionStatus
from quality.forms import ActionItemForm, BandsForm, ReviewEditForm, ReviewForm
from quality.models import ActionItem


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
        for item in review.actions.select_related("standard").order_by("standard__position", "id"):
            actions_by_status[ActionStatus(item.status)].append(item)
        return super().get_context_data(
            review=review,
            bands=review.bands.select_related("standard__theme", "level").order_by(
                "standard__position"
            ),
            action_groups=[(status.label, items) for status, items in actions_by_status.items()],
            is_coordinator=self.request.user.role in COORDINATORS,
            title=str(review),
            **kwargs,
        )


class ReviewEditView(RoleRequiredMixin, UpdateView):
    """Correct a review's assessor, date, result (a typing slip, a late letter)."""

    roles = COORDINATORS
    form_class = ReviewEditForm
    template_name = "quality/form.html"

    def get_queryset(self):
        return reviews_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Correct {self.object}",
            back_url=reverse("quality:review-detail", args=[self.object.pk]),
            **kwargs,
        )

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        revision = data.pop("revision")
        try:
            actions.edit_review(
                review=self.object, expected_revision=revision, by=self.request.user, **data
            )
        except actions.ReviewChanged as conflict:
            form.take_revision(conflict.revision)
            form.add_error(None, conflict.messages)
            return self.form_invalid(form)
        except ValidationError as error:
            apply_action_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Review saved.")
        return redirect("quality:review-detail", pk=self.object.pk)


class ReviewBandsView(RoleRequiredMixin, FormView):
    roles = COORDINATORS
    form_class = BandsForm
    template_name = "quality/form.html"

    @cached_property
    def review(self):
        return get_review_for(self.request, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "review": self.review}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Bands of {self.review}",
            back_url=reverse("quality:review-detail", args=[self.review.pk]),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            actions.record_bands(
                review=self.review, chosen=form.chosen(), opened_with=form.opened_with()
            )
        except actions.BandsChanged as error:
            form.take_current(error.current)
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, "Bands saved.")
        return redirect("quality:review-detail", pk=self.review.pk)


class ActionItemCreateView(RoleRequiredMixin, CreateView):
    roles = COORDINATORS
    form_class = ActionItemForm
    template_name = "quality/form.html"

    @cached_property
    def review(self):
        return get_review_for(self.request, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "review": self.review}

    def get_initial(self):
        return {"status": ActionStatus.RAISED}

    def form_valid(self, form):
        form.instance.service_id = self.review.service_id
        form.instance.review = self.review
        form.save()
        messages.success(self.request, "Action plan item added.")
        return redirect("quality:review-detail", pk=self.review.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Add to the action plan of {self.review}",
            back_url=reverse("quality:review-detail", args=[self.review.pk]),
            **kwargs,
        )


class ActionItemEditView(VersionedUpdateView):
    roles = COORDINATORS
    form_class = ActionItemForm

    def get_queryset(self):
        return ActionItem.objects.filter(
            review__in=reviews_visible_to(self.request.user)
        ).select_related("review__version", "standard")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "review": self.object.review}

    def get_title(self):
        return f"Action plan: {self.object.standard.code}"

    def get_success_url(self):
        return reverse("quality:review-detail", args=[self.object.review_id])
