"""Forms as data: a coordinator creates, copies, versions and retires evaluation forms."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from evaluations import actions, queries
from evaluations.access import get_form_for
from evaluations.forms import CopyForm, FormDetailsForm, QuestionFormSet
from pps.access import RoleRequiredMixin, may_open
from pps.forms import plain_number
from pps.roles import COORDINATORS
from pps.versioning import EditConflict


class FormListView(RoleRequiredMixin, ListView):
    roles = COORDINATORS
    template_name = "evaluations/form_list.html"
    context_object_name = "forms"

    def get_queryset(self):
        return queries.forms_listed(self.request.user)


class FormDetailView(RoleRequiredMixin, DetailView):
    roles = COORDINATORS
    template_name = "evaluations/form_detail.html"
    context_object_name = "evaluation_form"

    def get_object(self, queryset=None):
        return get_form_for(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        versions = queries.form_versions(self.object)
        return super().get_context_data(
            versions=versions,
            draft=next((v for v in versions if v.is_draft), None),
            copy_form=CopyForm(initial={"title": f"{self.object.title} (copy)"}),
            **kwargs,
        )


class FormCreateView(RoleRequiredMixin, FormView):
    roles = COORDINATORS
    form_class = FormDetailsForm
    template_name = "evaluations/form_create.html"

    def form_valid(self, form):
        evaluation_form = actions.create_form(
            service=self.request.user.service, by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, "Form created: add its questions, then publish it.")
        return redirect("evaluations:form-questions", pk=evaluation_form.pk)


class FormActionView(RoleRequiredMixin, View):
    """A button on the form's page: do one thing, then go back there."""

    abstract = True
    roles = COORDINATORS

    def post(self, request, pk):
        evaluation_form = get_form_for(request, pk)
        try:
            target = self.run(evaluation_form)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            target = evaluation_form
        return redirect(target)


class FormCopyView(FormActionView):
    def run(self, evaluation_form):
        form = CopyForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError("Give the new form a title.")
        copy = actions.copy_form(
            form=evaluation_form, by=self.request.user, title=form.cleaned_data["title"]
        )
        messages.success(self.request, f"“{copy.title}” made: edit its questions, then publish.")
        return copy


class FormRetireView(FormActionView):
    def run(self, evaluation_form):
        actions.retire_form(form=evaluation_form, on=timezone.localdate())
        messages.success(self.request, "Retired: it is no longer sent; its results stay.")
        return evaluation_form


class StartDraftView(FormActionView):
    def run(self, evaluation_form):
        actions.draft_version(form=evaluation_form, by=self.request.user)
        return redirect("evaluations:form-questions", pk=evaluation_form.pk).url


class PublishView(FormActionView):
    def run(self, evaluation_form):
        draft = queries.draft_of(evaluation_form)
        if draft is None:
            raise ValidationError("There is no draft to publish.")
        actions.publish_version(version=draft)
        messages.success(
            self.request, f"Version {draft.number} published: it is the one sent from now on."
        )
        return evaluation_form


class QuestionsView(RoleRequiredMixin, TemplateView):
    """Edit the draft version's title, introduction and questions; published versions never
    change. "Save and publish" makes the draft the version sent from now on."""

    roles = COORDINATORS
    template_name = "evaluations/form_questions.html"

    def dispatch(self, request, *args, **kwargs):
        if not may_open(request.user, self.roles):
            raise PermissionDenied
        self.evaluation_form = get_form_for(request, kwargs["pk"])
        self.draft = queries.draft_of(self.evaluation_form)
        if self.draft is None:
            messages.info(request, "There is no draft: choose “Edit the questions” first.")
            return redirect(self.evaluation_form)
        return super().dispatch(request, *args, **kwargs)

    def forms(self, data=None):
        details = FormDetailsForm(data, instance=self.evaluation_form, prefix="details")
        last = queries.last_position(self.draft)
        questions = QuestionFormSet(
            data,
            instance=self.draft,
            prefix="questions",
            queryset=self.draft.questions.order_by("position", "id"),
            # New questions go after the last one unless the coordinator says otherwise.
            initial=[{"position": last + n} for n in (1, 2)],
        )
        return details, questions

    def get_context_data(self, **kwargs):
        if "details" not in kwargs:
            kwargs["details"], kwargs["questions"] = self.forms()
        return super().get_context_data(
            evaluation_form=self.evaluation_form, draft=self.draft, **kwargs
        )

    def post(self, request, *args, **kwargs):
        details, questions = self.forms(request.POST)
        if not (details.is_valid() and questions.is_valid()):
            return self.render_to_response(
                self.get_context_data(details=details, questions=questions), status=400
            )
        try:
            actions.save_draft(
                draft=self.draft,
                opened_at=plain_number(request.POST.get("revision")),
                details=details,
                questions=questions,
            )
        except EditConflict:
            messages.error(
                request,
                "Someone else saved or published this draft after you opened it, so "
                "nothing of yours was saved. Here it is as it stands now: make your "
                "changes again.",
            )
            return redirect("evaluations:form-questions", pk=self.evaluation_form.pk)
        if "publish" not in request.POST:
            messages.success(request, "Draft saved. Publish it when it is ready.")
            return redirect("evaluations:form-questions", pk=self.evaluation_form.pk)
        try:
            actions.publish_version(version=self.draft)
        except ValidationError as error:
            messages.error(request, "Draft saved, not published: " + " ".join(error.messages))
            return redirect("evaluations:form-questions", pk=self.evaluation_form.pk)
        messages.success(request, f"Version {self.draft.number} published.")
        return redirect(self.evaluation_form)
