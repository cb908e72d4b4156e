"""Appointments on a case: booked, changed, cancelled, downloaded as a calendar file, and
recorded as the contact they became once held."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView

from casework import actions, ics, queries
from casework.access import get_appointment_for
from casework.forms import AppointmentForm, AppointmentHeldForm, CancelAppointmentForm
from casework.views.cases import CaseActionView
from pps.access import RoleRequiredMixin
from pps.audit import PersonalDataMixin
from pps.roles import STAFF
from pps.versioning import EditConflict
from pps.views import ActionFormMixin, VersionedUpdateView


class AppointmentBookView(CaseActionView):
    form_class = AppointmentForm
    template_name = "casework/appointment_form.html"
    title = "Book an appointment"
    success_message = "Appointment booked: it is on the officer's My work."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def get_context_data(self, **kwargs):
        return super().get_context_data(button="Book the appointment", **kwargs)

    def run(self, data):
        actions.book_appointment(case=self.case, **data)


class AppointmentEditView(PersonalDataMixin, VersionedUpdateView):
    """Change a booked appointment; two people changing it at once cannot overwrite each
    other (pps.versioning)."""

    roles = STAFF
    form_class = AppointmentForm
    audit_object_type = "case"

    def audit_object_id(self):
        return self.object.case_id

    def get_queryset(self):
        # Held or cancelled, an appointment is a record of what happened: not changed.
        return queries.booked_appointments(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.object.case}

    def get_success_url(self):
        return reverse("casework:case-detail", args=[self.object.case_id])

    def get_title(self):
        return f"Change the appointment on case {self.object.case.reference}"


class _AppointmentActionView(ActionFormMixin, RoleRequiredMixin, PersonalDataMixin, FormView):
    roles = STAFF
    audit_object_type = "case"
    template_name = "casework/appointment_action.html"

    @cached_property
    def appointment(self):
        return get_appointment_for(self.request, self.kwargs["pk"])

    def audit_object_id(self):
        return self.appointment.case_id

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            appointment=self.appointment,
            case=self.appointment.case,
            title=self.title,
            button=self.button,
            **kwargs,
        )

    def act(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            self.run(data, version)
        except EditConflict:
            form.add_error(
                None,
                "Someone changed this appointment since you opened the page: "
                "check it and try again.",
            )
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect("casework:case-detail", pk=self.appointment.case_id)


class AppointmentCancelView(_AppointmentActionView):
    form_class = CancelAppointmentForm
    title = "Cancel the appointment"
    button = "Cancel the appointment"
    success_message = "Appointment cancelled."

    def get_initial(self):
        return {"version": self.appointment.version}

    def run(self, data, version):
        actions.cancel_appointment(appointment=self.appointment, expected_version=version)


class AppointmentHeldView(_AppointmentActionView):
    """ "Record as held": the contact form filled in from the booking."""

    form_class = AppointmentHeldForm
    title = "Record the appointment as held"
    button = "Record as held"
    success_message = "Appointment recorded as held: it is a contact on the case."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "appointment": self.appointment}

    def run(self, data, version):
        actions.record_appointment_held(
            appointment=self.appointment, by=self.request.user, expected_version=version, **data
        )


class AppointmentCalendarView(RoleRequiredMixin, PersonalDataMixin, View):
    """The appointment as a calendar file (.ics), for Outlook."""

    roles = STAFF
    audit_object_type = "case"

    def audit_object_id(self):
        return self.appointment.case_id

    def get(self, request, *args, **kwargs):
        self.appointment = get_appointment_for(request, kwargs["pk"])
        body = ics.appointment_calendar(
            self.appointment, reference=self.appointment.case.reference, stamp=timezone.now()
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="appointment-{self.appointment.pk}.ics"'
        )
        return response
