"""The register, a volunteer's page and edits, status changes and supervision."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import CreateView, DetailView, FormView

from pps.access import RoleRequiredMixin
from pps.audit import PersonalDataMixin
from pps.prepared import PreparedPages
from pps.roles import COORDINATORS
from pps.views import (
    ActionFormMixin,
    TableListView,
    VersionedUpdateView,
)
from volunteers import actions
from volunteers.access import (
    volunteers_visible_to,
)
from volunteers.filters import VolunteerFilter
from volunteers.forms import (
    NewVolunteerForm,
    StatusChangeForm,
    SupervisionForm,
    VolunteerForm,
)
from volunteers.queries import pipeline_counts, register_of, register_rows, volunteer_records
from volunteers.rules import register_flags
from volunteers.tables import VolunteerTable


class RegisterView(TableListView):
    roles = COORDINATORS
    table_class = VolunteerTable
    filterset_class = VolunteerFilter
    title = "Volunteer register"
    template_name = "volunteers/register.html"
    add_url = reverse_lazy("volunteers:volunteer-create")
    add_label = "Add a volunteer"
    export_name = "volunteer-register"
    audit_object_type = "volunteer-list"

    # The register's first page compiled once per process (pps.prepared.PreparedPages).
    prepared_pages = PreparedPages(register_of)

    def get_queryset(self):
        return register_of(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related_links"] = [
            (reverse("volunteers:returns"), "Monthly returns"),
            (reverse("volunteers:course-list"), "Training courses"),
            (reverse("volunteers:meeting-list"), "Coffee mornings and support meetings"),
        ]
        context["pipeline"] = pipeline_counts(self.request.user)
        return context


class VolunteerCreateView(ActionFormMixin, RoleRequiredMixin, CreateView):
    roles = COORDINATORS
    form_class = NewVolunteerForm
    template_name = "volunteers/form.html"

    def act(self, form):
        volunteer = actions.create_volunteer(
            service=self.request.user.service, by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, f"{volunteer} added to the register.")
        return redirect("volunteers:volunteer-detail", pk=volunteer.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Add a volunteer", **kwargs)


class VolunteerDetailView(RoleRequiredMixin, PersonalDataMixin, DetailView):
    roles = COORDINATORS
    template_name = "volunteers/detail.html"
    context_object_name = "volunteer"
    audit_object_type = "volunteer"

    def get_queryset(self):
        return register_of(self.request.user)

    def get_context_data(self, **kwargs):
        volunteer = self.object
        return super().get_context_data(
            **volunteer_records(volunteer),
            status_form=kwargs.pop("status_form", StatusChangeForm(volunteer=volunteer)),
            supervision_form=kwargs.pop("supervision_form", SupervisionForm()),
            flags=register_flags(volunteer, timezone.localdate()),
            **kwargs,
        )


class VolunteerEditView(PersonalDataMixin, VersionedUpdateView):
    roles = COORDINATORS
    form_class = VolunteerForm
    audit_object_type = "volunteer"

    def get_queryset(self):
        return volunteers_visible_to(self.request.user)

    def get_success_url(self):
        return reverse("volunteers:volunteer-detail", args=[self.object.pk])


class VolunteerActionView(ActionFormMixin, RoleRequiredMixin, PersonalDataMixin, FormView):
    """A form posted from the volunteer's page; with errors the page shows them in place."""

    roles = COORDINATORS
    audit_object_type = "volunteer"

    def audit_object_id(self):
        return self.volunteer.pk

    form_name: str
    success_message: str

    @cached_property
    def volunteer(self):
        return get_object_or_404(volunteers_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        return redirect("volunteers:volunteer-detail", pk=self.volunteer.pk)

    def act(self, form):
        self.run(form.cleaned_data)
        messages.success(self.request, self.success_message)
        return redirect("volunteers:volunteer-detail", pk=self.volunteer.pk)

    def form_invalid(self, form):
        page = VolunteerDetailView(request=self.request, kwargs={"pk": self.volunteer.pk})
        page.object = register_rows().get(pk=self.volunteer.pk)
        context = page.get_context_data(**{self.form_name: form})
        return page.render_to_response(context, status=400)


class StatusChangeView(VolunteerActionView):
    form_class = StatusChangeForm
    form_name = "status_form"
    success_message = "Status changed."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "volunteer": self.volunteer}

    def run(self, data):
        actions.record_status_change(volunteer=self.volunteer, by=self.request.user, **data)


class SupervisionView(VolunteerActionView):
    form_class = SupervisionForm
    form_name = "supervision_form"
    success_message = "Session recorded."

    def run(self, data):
        actions.record_supervision(volunteer=self.volunteer, by=self.request.user, **data)
