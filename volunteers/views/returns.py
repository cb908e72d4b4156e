"""Monthly returns: the coordinator's list and locks, the volunteer's own returns."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView

from pps.access import RoleRequiredMixin, may_open
from pps.audit import PersonalDataMixin
from pps.forms import apply_action_errors
from pps.roles import COORDINATORS, Role
from pps.views import (
    ActionFormMixin,
    TableListView,
)
from volunteers import actions
from volunteers.access import require_on_duty, returns_visible_to
from volunteers.filters import MonthlyReturnFilter
from volunteers.forms import (
    MonthlyReturnCorrectionForm,
    MonthlyReturnForm,
    ReturnLockForm,
    recent_months,
)
from volunteers.queries import (
    locked_months,
    return_months,
    returns_listed_for,
    returns_missing,
    stored_return,
)
from volunteers.tables import MonthlyReturnTable


class ReturnsView(TableListView):
    """The IPS monthly returns, and who has not returned for last month."""

    roles = COORDINATORS
    table_class = MonthlyReturnTable
    filterset_class = MonthlyReturnFilter
    template_name = "volunteers/returns.html"
    title = "IPS monthly returns"
    export_name = "ips-monthly-returns"
    audit_object_type = "monthly-returns"

    def get_queryset(self):
        return returns_listed_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["last_month"] = recent_months(timezone.localdate(), 1)[0]
        context["missing"] = returns_missing(context["last_month"])
        context["related_links"] = [
            (reverse("volunteers:register"), "Volunteer register"),
            (reverse("volunteers:returns-locks"), "Lock or unlock a month"),
        ]
        return context


class ReturnLocksView(ActionFormMixin, RoleRequiredMixin, PersonalDataMixin, FormView):
    """The coordinator locks a month once its returns are in (and unlocks it to let a
    volunteer correct one); the page lists the recent months, their returns and locks."""

    roles = COORDINATORS
    # The locks name the coordinators who set them.
    audit_object_type = "monthly-returns"
    form_class = ReturnLockForm
    template_name = "volunteers/return_locks.html"

    def audit_object_id(self):
        return None

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or self.get_form()
        months = [dt.date.fromisoformat(value) for value, _label in form.fields["month"].choices]
        return super().get_context_data(rows=return_months(self.request.user, months), **kwargs)

    def act(self, form):
        month, service = form.cleaned_data["month"], self.request.user.service
        lock = form.cleaned_data["action"] == "lock"
        change = actions.lock_return_month if lock else actions.unlock_return_month
        change(service=service, month=month, by=self.request.user)
        done = "locked: returns for it can no longer be sent or corrected" if lock else "unlocked"
        messages.success(self.request, f"{month:%B %Y} {done}.")
        return redirect("volunteers:returns-locks")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class MyReturnsView(ActionFormMixin, RoleRequiredMixin, PersonalDataMixin, FormView):
    """A volunteer sends their monthly return and sees the ones they sent."""

    roles = frozenset({Role.VOLUNTEER})
    audit_object_type = "volunteer"

    def audit_object_id(self):
        return self.volunteer.pk

    form_class = MonthlyReturnForm
    template_name = "volunteers/my_returns.html"

    def dispatch(self, request, *args, **kwargs):
        if may_open(request.user, self.roles):
            # Paused or left: refused before any form is read or saved.
            self.volunteer = require_on_duty(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        returns = list(returns_visible_to(self.request.user))
        locked = locked_months({r.month for r in returns})
        for monthly_return in returns:
            monthly_return.locked = monthly_return.month in locked
        return super().get_context_data(returns=returns, volunteer=self.volunteer, **kwargs)

    def act(self, form):
        actions.submit_monthly_return(
            volunteer=self.volunteer, by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, "Thank you: your return has been sent.")
        return redirect("volunteers:my-returns")


class MyReturnCorrectView(RoleRequiredMixin, PersonalDataMixin, FormView):
    """A volunteer corrects a return they sent, until the coordinator locks its month."""

    roles = frozenset({Role.VOLUNTEER})
    audit_object_type = "volunteer"
    form_class = MonthlyReturnCorrectionForm
    template_name = "volunteers/my_return_correct.html"

    def audit_object_id(self):
        return self.volunteer.pk

    def dispatch(self, request, *args, **kwargs):
        if may_open(request.user, self.roles):
            self.volunteer = require_on_duty(request.user)
            self.monthly_return = get_object_or_404(
                returns_visible_to(request.user), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # A copy: a refused correction must not change the object the page shows.
        return {**super().get_form_kwargs(), "instance": stored_return(self.monthly_return)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            monthly_return=self.monthly_return,
            locked=actions.month_locked(
                service_id=self.monthly_return.service_id, month=self.monthly_return.month
            ),
            **kwargs,
        )

    def form_valid(self, form):
        figures = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            actions.correct_monthly_return(
                monthly_return=self.monthly_return, by=self.request.user, **figures
            )
        except ValidationError as error:
            # A locked month is not a field of this form: apply_action_errors puts its
            # refusal above the form.
            apply_action_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(
            self.request, f"Your return for {self.monthly_return.month:%B %Y} is corrected."
        )
        return redirect("volunteers:my-returns")
