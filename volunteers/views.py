"""The volunteer register: volunteers, their pipeline, supervision, courses, meetings and
monthly returns."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Min
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import CreateView, DetailView, FormView, ListView

from pps.access import RoleRequiredMixin, may_open
from pps.audit import PersonalDataMixin
from pps.forms import apply_action_errors
from pps.roles import COORDINATORS, Role
from pps.versioning import EditConflict
from pps.views import (
    TableListView,
    VersionedUpdateView,
    conflict_context,
    save_versioned_form,
)
from volunteers import actions
from volunteers.access import (
    courses_visible_to,
    meetings_visible_to,
    require_on_duty,
    return_locks_visible_to,
    returns_visible_to,
    volunteers_visible_to,
)
from volunteers.filters import MonthlyReturnFilter, VolunteerFilter
from volunteers.forms import (
    AttendanceForm,
    CompletionForm,
    CourseForm,
    CourseSessionForm,
    EnrolForm,
    MeetingForm,
    MonthlyReturnCorrectionForm,
    MonthlyReturnForm,
    NewVolunteerForm,
    ReturnLockForm,
    StatusChangeForm,
    SupervisionForm,
    VolunteerForm,
    recent_months,
)
from volunteers.models import MonthlyReturn
from volunteers.queries import locked_months, pipeline_counts, register_rows, returns_missing
from volunteers.rules import register_flags
from volunteers.tables import MonthlyReturnTable, VolunteerTable


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

    def get_queryset(self):
        return register_rows().filter(pk__in=volunteers_visible_to(self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related_links"] = [
            (reverse("volunteers:returns"), "Monthly returns"),
            (reverse("volunteers:course-list"), "Training courses"),
            (reverse("volunteers:meeting-list"), "Coffee mornings and support meetings"),
        ]
        context["pipeline"] = pipeline_counts(volunteers_visible_to(self.request.user))
        return context


class VolunteerCreateView(RoleRequiredMixin, CreateView):
    roles = COORDINATORS
    form_class = NewVolunteerForm
    template_name = "volunteers/form.html"

    def form_valid(self, form):
        fields = {k: v for k, v in form.cleaned_data.items() if k != "localities"}
        status, since = fields.pop("status"), fields.pop("since")
        try:
            with transaction.atomic():
                volunteer = actions.create_volunteer(
                    service=self.request.user.service,
                    by=self.request.user,
                    status=status,
                    since=since,
                    **fields,
                )
                volunteer.localities.set(form.cleaned_data["localities"])
        except ValidationError as error:
            apply_action_errors(form, error)
            return self.form_invalid(form)
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
        return register_rows().filter(pk__in=volunteers_visible_to(self.request.user))

    def get_context_data(self, **kwargs):
        volunteer = self.object
        return super().get_context_data(
            history=volunteer.status_changes.select_related("recorded_by").order_by("on", "id"),
            supervision=volunteer.supervision_sessions.select_related("led_by")[:10],
            returns=volunteer.monthly_returns.all()[:12],
            enrolments=volunteer.enrolments.select_related("course"),
            allocations=volunteer.allocations.select_related("case"),
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


class VolunteerActionView(RoleRequiredMixin, PersonalDataMixin, FormView):
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

    def form_valid(self, form):
        try:
            self.run(form.cleaned_data)
        except ValidationError as error:
            apply_action_errors(form, error)
            return self.form_invalid(form)
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
        return returns_visible_to(self.request.user).select_related("volunteer")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["last_month"] = recent_months(timezone.localdate(), 1)[0]
        context["missing"] = returns_missing(context["last_month"])
        context["related_links"] = [
            (reverse("volunteers:register"), "Volunteer register"),
            (reverse("volunteers:returns-locks"), "Lock or unlock a month"),
        ]
        return context


class ReturnLocksView(RoleRequiredMixin, PersonalDataMixin, FormView):
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
        locks = {
            lock.month: lock
            for lock in return_locks_visible_to(self.request.user)
            .filter(month__in=months)
            .select_related("locked_by")
        }
        received = dict(
            returns_visible_to(self.request.user)
            .filter(month__in=months)
            .values_list("month")
            .annotate(count=Count("pk"))
        )
        rows = [(month, received.get(month, 0), locks.get(month)) for month in months]
        return super().get_context_data(rows=rows, **kwargs)

    def form_valid(self, form):
        month, service = form.cleaned_data["month"], self.request.user.service
        lock = form.cleaned_data["action"] == "lock"
        change = actions.lock_return_month if lock else actions.unlock_return_month
        try:
            change(service=service, month=month, by=self.request.user)
        except ValidationError as error:
            apply_action_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        done = "locked: returns for it can no longer be sent or corrected" if lock else "unlocked"
        messages.success(self.request, f"{month:%B %Y} {done}.")
        return redirect("volunteers:returns-locks")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class MyReturnsView(RoleRequiredMixin, PersonalDataMixin, FormView):
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

    def form_valid(self, form):
        try:
            actions.submit_monthly_return(
                volunteer=self.volunteer, by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_action_errors(form, error)
            return self.form_invalid(form)
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
        unsaved = MonthlyReturn.objects.get(pk=self.monthly_return.pk)
        return {**super().get_form_kwargs(), "instance": unsaved}

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


class CourseListView(RoleRequiredMixin, ListView):
    roles = COORDINATORS
    template_name = "volunteers/course_list.html"
    context_object_name = "courses"

    def get_queryset(self):
        return courses_visible_to(self.request.user).annotate(
            trainees=Count("enrolments", distinct=True),
            starts_on=Min("sessions__on"),
        )


class CourseCreateView(RoleRequiredMixin, CreateView):
    roles = COORDINATORS
    form_class = CourseForm
    template_name = "volunteers/form.html"

    def form_valid(self, form):
        form.instance.service = self.request.user.service
        course = form.save()
        return redirect("volunteers:course-detail", pk=course.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="New training course", **kwargs)


class CourseDetailView(RoleRequiredMixin, PersonalDataMixin, DetailView):
    roles = COORDINATORS
    # The trainees are named, with their attendance.
    audit_object_type = "training-course"
    template_name = "volunteers/course_detail.html"
    context_object_name = "course"

    def get_queryset(self):
        return courses_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        course = self.object
        enrolments = list(course.enrolments.select_related("volunteer"))
        sessions = list(course.sessions.prefetch_related("attended_by"))
        size = len(enrolments)
        return super().get_context_data(
            enrolments=enrolments,
            sessions=sessions,
            size_warning=(size and not course.MIN_TRAINEES <= size <= course.MAX_TRAINEES),
            session_form=kwargs.pop("session_form", CourseSessionForm()),
            enrol_form=kwargs.pop("enrol_form", EnrolForm(course=course)),
            course_form=kwargs.pop("course_form", CourseForm(instance=course)),
            **kwargs,
        )


class CourseActionView(RoleRequiredMixin, PersonalDataMixin, FormView):
    roles = COORDINATORS
    form_name: str
    audit_object_type = "training-course"

    def audit_object_id(self):
        return self.course.pk

    @cached_property
    def course(self):
        return get_object_or_404(courses_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        return redirect("volunteers:course-detail", pk=self.course.pk)

    def done(self, message):
        messages.success(self.request, message)
        return redirect("volunteers:course-detail", pk=self.course.pk)

    def form_invalid(self, form):
        page = CourseDetailView(request=self.request, kwargs={"pk": self.course.pk})
        page.object = self.course
        return page.render_to_response(page.get_context_data(**{self.form_name: form}), status=400)


class CourseEditView(CourseActionView):
    form_class = CourseForm
    form_name = "course_form"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.course}

    def form_valid(self, form):
        try:
            save_versioned_form(form)
        except EditConflict as conflict:
            page = CourseDetailView(request=self.request, kwargs={"pk": self.course.pk})
            page.object = conflict.current
            context = page.get_context_data(
                course_form=form, **conflict_context(form, conflict.current)
            )
            return page.render_to_response(context, status=409)
        return self.done("Course saved.")


class AddSessionView(CourseActionView):
    form_class = CourseSessionForm
    form_name = "session_form"

    def form_valid(self, form):
        form.instance.service_id = self.course.service_id
        form.instance.course = self.course
        form.save()
        return self.done("Session added.")


class EnrolView(CourseActionView):
    form_class = EnrolForm
    form_name = "enrol_form"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "course": self.course}

    def form_valid(self, form):
        try:
            actions.enrol_trainee(course=self.course, volunteer=form.cleaned_data["volunteer"])
        except ValidationError as error:
            apply_action_errors(form, error)
            return self.form_invalid(form)
        return self.done("Trainee enrolled.")


class AttendanceView(RoleRequiredMixin, PersonalDataMixin, FormView):
    roles = COORDINATORS
    audit_object_type = "training-course"

    def audit_object_id(self):
        return self.session.course_id

    form_class = AttendanceForm
    template_name = "volunteers/attendance.html"

    @cached_property
    def session(self):
        course = get_object_or_404(courses_visible_to(self.request.user), pk=self.kwargs["pk"])
        return get_object_or_404(course.sessions.all(), pk=self.kwargs["session"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "session": self.session}

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.session, **kwargs)

    def form_valid(self, form):
        actions.record_attendance(
            session=self.session, attended=list(form.cleaned_data["attended_by"])
        )
        messages.success(self.request, "Attendance saved.")
        return redirect("volunteers:course-detail", pk=self.session.course_id)


class CompleteView(RoleRequiredMixin, PersonalDataMixin, FormView):
    roles = COORDINATORS
    audit_object_type = "training-course"

    def audit_object_id(self):
        return self.enrolment.course_id

    form_class = CompletionForm
    template_name = "volunteers/complete.html"

    @cached_property
    def enrolment(self):
        course = get_object_or_404(courses_visible_to(self.request.user), pk=self.kwargs["pk"])
        return get_object_or_404(
            course.enrolments.select_related("volunteer", "course"), pk=self.kwargs["enrolment"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(enrolment=self.enrolment, **kwargs)

    def form_valid(self, form):
        try:
            actions.complete_course(
                enrolment=self.enrolment, by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_action_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.enrolment.volunteer} completed the course.")
        return redirect("volunteers:course-detail", pk=self.enrolment.course_id)


class MeetingListView(RoleRequiredMixin, PersonalDataMixin, ListView):
    roles = COORDINATORS
    # Each meeting names the volunteers who came.
    audit_object_type = "volunteer-meetings"
    template_name = "volunteers/meeting_list.html"
    context_object_name = "meetings"

    def get_queryset(self):
        return meetings_visible_to(self.request.user).prefetch_related("attended_by")


class MeetingCreateView(RoleRequiredMixin, PersonalDataMixin, CreateView):
    roles = COORDINATORS
    # The form lists the volunteers by name to tick who came.
    audit_object_type = "volunteer-meetings"

    def audit_object_id(self):
        return None

    form_class = MeetingForm
    template_name = "volunteers/form.html"

    def form_valid(self, form):
        form.instance.service = self.request.user.service
        form.save()
        messages.success(self.request, "Meeting recorded.")
        return redirect("volunteers:meeting-list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Record a meeting", **kwargs)
