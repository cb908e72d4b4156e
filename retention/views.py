"""Retention pages, for coordinators: what is due, one family's state with its legal hold,
erasure on request, anonymising what is due, and the service's retention setting."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView, TemplateView

from pps.access import RoleRequiredMixin
from pps.audit import PersonalDataMixin
from pps.roles import COORDINATORS
from pps.views import ActionFormMixin, VersionedUpdateView
from retention import actions
from retention.access import get_family_for, get_hold_for
from retention.forms import (
    AnonymiseDueForm,
    EraseForm,
    FindFamilyForm,
    HoldForm,
    ReleaseForm,
    RetentionSettingForm,
)
from retention.queries import (
    case_with_reference,
    describe_due,
    families_due,
    family_due,
    family_retention,
    recent_anonymisations,
    retention_setting_for,
    standing_holds,
    with_due_facts,
)

RECENT_RECORDS = 10


class DueListView(RoleRequiredMixin, PersonalDataMixin, ListView):
    """The families due for anonymisation today, since when and why; the families on legal
    hold; the latest anonymisations. Run monthly by a coordinator, or by the operator's
    command (retention_monthly)."""

    roles = COORDINATORS
    template_name = "retention/due_list.html"
    audit_object_type = "retention-due"
    paginate_by = 50

    @cached_property
    def setting(self):
        return retention_setting_for(self.request.user.service)

    @cached_property
    def find_form(self):
        return FindFamilyForm(self.request.GET) if "reference" in self.request.GET else None

    def get(self, request, *args, **kwargs):
        if self.find_form is not None and self.find_form.is_valid():
            case = case_with_reference(request.user, self.find_form.cleaned_data["reference"])
            if case is not None:
                return redirect("retention:family", pk=case.parent_id)
            self.find_form.add_error("reference", "No case of your service has this reference.")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return with_due_facts(families_due(self.setting, timezone.localdate()))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title="Retention",
            setting=self.setting,
            due=[describe_due(parent, self.setting) for parent in context["object_list"]],
            due_count=context["paginator"].count,
            holds=standing_holds(self.request.user),
            records=recent_anonymisations(self.request.user, RECENT_RECORDS),
            find_form=self.find_form or FindFamilyForm(),
        )
        return context


class FamilyMixin(RoleRequiredMixin, PersonalDataMixin):
    """A coordinator's page about one family, read as the parent's in the access log."""

    abstract = True
    roles = COORDINATORS
    audit_object_type = "parent"

    @cached_property
    def parent(self):
        return get_family_for(self.request, self.kwargs["pk"])

    def audit_object_id(self):
        return self.parent.pk


class FamilyView(FamilyMixin, TemplateView):
    """One family's retention state: its cases, whether it is due, held or anonymised, and
    the buttons to hold, release or erase."""

    template_name = "retention/family.html"

    def get_context_data(self, **kwargs):
        setting = retention_setting_for(self.request.user.service)
        return super().get_context_data(
            title=f"Retention of {self.parent}'s records",
            parent=self.parent,
            due=family_due(self.parent, setting, timezone.localdate()),
            **family_retention(self.request.user, self.parent),
            **kwargs,
        )


class FamilyActionView(ActionFormMixin, FamilyMixin, FormView):
    """A small form on its own page that runs one retention action on a family."""

    abstract = True
    template_name = "retention/family_action.html"
    title: str
    intro: str = ""
    button: str
    success_message: str

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            parent=self.parent,
            title=self.title,
            intro=self.intro,
            button=self.button,
            back_url=reverse("retention:family", args=[self.parent.pk]),
            **kwargs,
        )

    def act(self, form):
        self.run(form.cleaned_data)
        messages.success(self.request, self.success_message)
        return redirect("retention:family", pk=self.parent.pk)


class PlaceHoldView(FamilyActionView):
    form_class = HoldForm
    title = "Place a legal hold"
    intro = "While the hold stands, the family's records are never anonymised."
    button = "Place the hold"
    success_message = "Legal hold placed."

    def run(self, data):
        actions.place_legal_hold(parent=self.parent, by=self.request.user, reason=data["reason"])


class EraseFamilyView(FamilyActionView):
    form_class = EraseForm
    title = "Erase this family's personal data"
    intro = (
        "Every personal detail of the parent, their children (unless another parent's case "
        "is about the same child), their cases, contacts, enquiries and evaluations is "
        "removed now, from the records and from their history. The cases and contacts stay, "
        "without names, so that reports of past years keep their figures."
    )
    button = "Erase now"
    success_message = "The family's personal data has been erased."

    def run(self, data):
        actions.erase_family(parent=self.parent, by=self.request.user, reason=data["reason"])


class ReleaseHoldView(FamilyActionView):
    form_class = ReleaseForm
    title = "Release the legal hold"
    intro = "Once released, the family is anonymised when its retention period is over."
    button = "Release the hold"
    success_message = "Legal hold released."

    @cached_property
    def hold(self):
        return get_hold_for(self.request, self.kwargs["pk"])

    @cached_property
    def parent(self):
        return self.hold.parent

    def get_context_data(self, **kwargs):
        return super().get_context_data(hold=self.hold, **kwargs)

    def run(self, data):
        actions.release_legal_hold(
            hold=self.hold, by=self.request.user, reason=data["release_reason"]
        )


class AnonymiseDueView(RoleRequiredMixin, FormView):
    """The confirmation before anonymising every family due: how many, never who (the list
    is on the retention page)."""

    roles = COORDINATORS
    form_class = AnonymiseDueForm
    template_name = "retention/anonymise_due.html"

    def get_context_data(self, **kwargs):
        setting = retention_setting_for(self.request.user.service)
        return super().get_context_data(
            title="Anonymise the families due",
            due_count=families_due(setting, timezone.localdate()).count(),
            **kwargs,
        )

    def form_valid(self, form):
        record = actions.anonymise_due(service=self.request.user.service, by=self.request.user)
        if record is None:
            messages.info(self.request, "No family is due for anonymisation.")
        else:
            messages.success(
                self.request,
                f"{record.families} {'family' if record.families == 1 else 'families'} anonymised.",
            )
        return redirect("retention:due")


class RetentionSettingView(VersionedUpdateView):
    roles = COORDINATORS
    form_class = RetentionSettingForm
    success_message = "Retention setting saved."

    def get_object(self, queryset=None):
        return actions.retention_setting_to_edit(service_id=self.request.user.service_id)

    def get_title(self) -> str:
        return "Retention setting"

    def get_success_url(self):
        return reverse("retention:due")
