"""Development plans: entries per standard, dated updates, what changed, next year's copy."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import CreateView, FormView, TemplateView, View

from pps.access import RoleRequiredMixin
from pps.documents import request_document, to_status_page
from pps.forms import plain_number
from pps.roles import AGGREGATES, COORDINATORS
from pps.views import ActionFormMixin, VersionedUpdateView
from quality import actions
from quality.access import get_plan_for
from quality.documents import PLAN_PDF
from quality.forms import CopyPlanForm, PlanEntryForm, PlanForm, PlanUpdateForm
from quality.models.plans import ENTRY_TEXT_FIELDS
from quality.queries import (
    plan_entries_editable_by,
    plan_update_rows,
    plan_updates,
    working_entries,
)
from reports.periods import year_label


class PlanCreateView(ActionFormMixin, RoleRequiredMixin, CreateView):
    roles = COORDINATORS
    form_class = PlanForm
    template_name = "quality/form.html"

    def get_initial(self):
        today = timezone.localdate()
        start = (
            today.year
            if today.month >= self.request.user.service.academic_year_start_month
            else today.year - 1
        )
        return {"start_year": start}

    def act(self, form):
        plan = actions.start_plan(
            service=self.request.user.service, by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, "Plan started: fill in the standards you are working on.")
        return redirect("quality:plan-detail", pk=plan.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Start a development plan", **kwargs)


class PlanDetailView(RoleRequiredMixin, TemplateView):
    """A plan as of one update (default the latest), optionally with what changed since the
    update before it; the coordinator also sees and edits the working copy."""

    roles = AGGREGATES
    template_name = "quality/plan_detail.html"

    @cached_property
    def plan(self):
        return get_plan_for(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        plan = self.plan
        user = self.request.user
        updates = plan_updates(user, plan)
        wanted = self.request.GET.get("update", "")
        is_coordinator = user.role in COORDINATORS
        show_working = is_coordinator and (wanted == "working" or not updates)
        show_changes = self.request.GET.get("changes") == "1"
        chosen = previous = None
        rows = []
        if not show_working:
            chosen = updates[-1]
            number = plain_number(wanted)
            if number is not None:
                chosen = next((u for u in updates if u.number == number), None)
                if chosen is None:
                    raise Http404("No such update of this plan.")
            index = updates.index(chosen)
            previous = updates[index - 1] if index else None
            rows = plan_update_rows(chosen, previous, show_changes=show_changes)
        entries = working_entries(plan) if show_working else []
        return super().get_context_data(
            plan=plan,
            updates=updates,
            chosen=chosen,
            previous=previous,
            rows=rows,
            show_changes=show_changes and previous is not None,
            changed=sum(1 for row in rows if row.changed),
            show_working=show_working,
            entries=entries,
            entry_fields=ENTRY_TEXT_FIELDS,
            is_coordinator=is_coordinator,
            update_form=kwargs.pop(
                "update_form", PlanUpdateForm(initial={"made_on": timezone.localdate()})
            ),
            copy_form=kwargs.pop(
                "copy_form",
                CopyPlanForm(
                    initial={
                        "start_year": plan.start_year + 1,
                        "title": plan.title.replace(
                            plan.year_label,
                            year_label(plan.start_year + 1),
                        ),
                    }
                ),
            ),
            title=plan.title,
            **kwargs,
        )


class PlanEntryEditView(VersionedUpdateView):
    roles = COORDINATORS
    form_class = PlanEntryForm
    success_message = "Entry saved. Record an update when the plan is ready to share."

    def get_queryset(self):
        return plan_entries_editable_by(self.request.user)

    def get_title(self):
        return f"{self.object.standard.code} in {self.object.plan}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(standard=self.object.standard, **kwargs)

    def get_success_url(self):
        url = reverse("quality:plan-detail", args=[self.object.plan_id])
        return f"{url}?update=working#standard-{self.object.standard.code}"


class PlanActionView(RoleRequiredMixin, FormView):
    roles = COORDINATORS
    abstract = True
    form_name: str

    @cached_property
    def plan(self):
        return get_plan_for(self.request, self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        return redirect("quality:plan-detail", pk=self.plan.pk)

    def form_invalid(self, form):
        page = PlanDetailView()
        page.setup(self.request, pk=self.plan.pk)
        return page.render_to_response(page.get_context_data(**{self.form_name: form}), status=400)


class PlanUpdateView(ActionFormMixin, PlanActionView):
    form_class = PlanUpdateForm
    form_name = "update_form"

    def act(self, form):
        update = actions.record_plan_update(
            plan=self.plan, by=self.request.user, **form.cleaned_data
        )
        messages.success(
            self.request, f"Update {update.number} recorded: the steering group can read it."
        )
        return redirect("quality:plan-detail", pk=self.plan.pk)


class PlanCopyView(ActionFormMixin, PlanActionView):
    form_class = CopyPlanForm
    form_name = "copy_form"

    def act(self, form):
        plan = actions.start_plan(
            service=self.plan.service,
            version=actions.latest_version(self.plan.version.framework),
            start_year=form.cleaned_data["start_year"],
            title=form.cleaned_data["title"],
            by=self.request.user,
            copy_of=self.plan,
        )
        messages.success(self.request, "Next year's plan starts as a copy of this one.")
        return redirect(f"{reverse('quality:plan-detail', args=[plan.pk])}?update=working")


class PlanBuildPdfView(RoleRequiredMixin, View):
    """ "Build PDF": the plan's latest update in the Norfolk layout, changed words marked,
    built by the background worker for whoever may read the plan."""

    roles = AGGREGATES

    def post(self, request, pk):
        plan = get_plan_for(request, pk)
        updates = plan_updates(request.user, plan)
        if not updates:
            messages.error(request, "Record an update first: the PDF prints the latest update.")
            return redirect("quality:plan-detail", pk=plan.pk)
        document = request_document(
            service=request.user.service,
            kind=PLAN_PDF,
            parameters={"plan": plan.pk},
            title=f"{plan.title}, update {updates[-1].number} (PDF)",
            # The plan's words as the steering group reads them; no figure, no case.
            holds_personal_data=False,
            by=request.user,
        )
        return to_status_page(request, document)

    def get(self, request, pk):
        return redirect("quality:plan-detail", pk=get_plan_for(request, pk).pk)
