"""Training courses: list, details, sessions, enrolment, attendance, completion."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import CreateView, DetailView, FormView, ListView

from pps.access import RoleRequiredMixin
from pps.actions import save_versioned_form
from pps.audit import PersonalDataMixin
from pps.roles import COORDINATORS
from pps.versioning import EditConflict
from pps.views import (
    ActionFormMixin,
    conflict_context,
)
from volunteers import actions
from volunteers.access import (
    courses_visible_to,
)
from volunteers.forms import (
    AttendanceForm,
    CompletionForm,
    CourseForm,
    CourseSessionForm,
    EnrolForm,
)
from volunteers.queries import (
    course_enrolments,
    course_sessions,
    courses_listed_for,
)


class CourseListView(RoleRequiredMixin, ListView):
    roles = COORDINATORS
    template_name = "volunteers/course_list.html"
    context_object_name = "courses"

    def get_queryset(self):
        return courses_listed_for(self.request.user)


class CourseCreateView(ActionFormMixin, RoleRequiredMixin, CreateView):
    roles = COORDINATORS
    form_class = CourseForm
    template_name = "volunteers/form.html"

    def act(self, form):
        course = actions.create_course(form=form, by=self.request.user)
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
        enrolments = list(course_enrolments(course))
        sessions = list(course_sessions(course))
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


class CourseMixin(RoleRequiredMixin, PersonalDataMixin):
    """A page or form of one course (`pk`), which names its trainees."""

    roles = COORDINATORS
    audit_object_type = "training-course"

    def audit_object_id(self):
        return self.course.pk

    @cached_property
    def course(self):
        return get_object_or_404(courses_visible_to(self.request.user), pk=self.kwargs["pk"])


class CourseActionView(CourseMixin, FormView):
    form_name: str

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


class AddSessionView(ActionFormMixin, CourseActionView):
    form_class = CourseSessionForm
    form_name = "session_form"

    def act(self, form):
        actions.add_course_session(course=self.course, form=form)
        return self.done("Session added.")


class EnrolView(ActionFormMixin, CourseActionView):
    form_class = EnrolForm
    form_name = "enrol_form"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "course": self.course}

    def act(self, form):
        actions.enrol_trainee(course=self.course, volunteer=form.cleaned_data["volunteer"])
        return self.done("Trainee enrolled.")


class AttendanceView(ActionFormMixin, CourseMixin, FormView):
    form_class = AttendanceForm
    template_name = "volunteers/attendance.html"

    @cached_property
    def session(self):
        return get_object_or_404(self.course.sessions.all(), pk=self.kwargs["session"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "session": self.session}

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.session, **kwargs)

    def act(self, form):
        actions.record_attendance(
            session=self.session, attended=list(form.cleaned_data["attended_by"])
        )
        messages.success(self.request, "Attendance saved.")
        return redirect("volunteers:course-detail", pk=self.session.course_id)


class CompleteView(ActionFormMixin, CourseMixin, FormView):
    form_class = CompletionForm
    template_name = "volunteers/complete.html"

    @cached_property
    def enrolment(self):
        return get_object_or_404(course_enrolments(self.course), pk=self.kwargs["enrolment"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(enrolment=self.enrolment, **kwargs)

    def act(self, form):
        actions.complete_course(enrolment=self.enrolment, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, f"{self.enrolment.volunteer} completed the course.")
        return redirect("volunteers:course-detail", pk=self.enrolment.course_id)
