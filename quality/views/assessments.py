"""Self-assessments: start, rate with evidence and live figures, finalise, print, compare."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.views.generic import CreateView, FormView, TemplateView, View

from pps.access import RoleRequiredMixin
from pps.disclosure import sees_exact_figures
from pps.documents import request_document, to_status_page
from pps.forms import DocumentForm
from pps.pdf import render_pdf
from pps.roles import AGGREGATES, COORDINATORS
from pps.versioning import EditConflict
from pps.views import ActionFormMixin, UploadDownloadView, VersionedUpdateView
from quality import actions
from quality.access import documents_visible_to, get_assessment_for, ratings_editable_by
from quality.documents import ASSESSMENT_PDF, ASSESSMENT_PDF_TEMPLATE, assessment_pdf_context
from quality.forms import AssessmentForm, CompareForm, FigureForm, RatingForm
from quality.queries import (
    assessment_sheet,
    compare_assessments,
    default_comparison,
    figures_editable_by,
    other_assessments,
    rating_summary,
    standard_row,
    unrated_count,
)


def _public(user) -> bool:
    """Readers who may not see personal data get small numbers suppressed."""
    return not sees_exact_figures(user)


class AssessmentCreateView(ActionFormMixin, RoleRequiredMixin, CreateView):
    roles = COORDINATORS
    form_class = AssessmentForm
    template_name = "quality/form.html"

    def act(self, form):
        assessment = actions.start_assessment(
            service=self.request.user.service, by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, "Self-assessment started: rate each standard.")
        return redirect("quality:assessment-detail", pk=assessment.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Start a self-assessment", **kwargs)


class AssessmentMixin(RoleRequiredMixin):
    abstract = True
    roles = AGGREGATES

    @cached_property
    def assessment(self):
        return get_assessment_for(self.request, self.kwargs["pk"])

    def others(self):
        return other_assessments(self.request.user, self.assessment)


class AssessmentDetailView(AssessmentMixin, TemplateView):
    template_name = "quality/assessment_detail.html"

    def get_context_data(self, **kwargs):
        assessment = self.assessment
        public = _public(self.request.user)
        is_coordinator = self.request.user.role in COORDINATORS
        others = self.others()
        return super().get_context_data(
            assessment=assessment,
            themes=assessment_sheet(assessment, public=public),
            summary=rating_summary(assessment),
            compare_form=CompareForm(choices=others),
            can_compare=others.exists(),
            may_edit=is_coordinator and not assessment.is_final,
            is_coordinator=is_coordinator,
            title=assessment.title,
            **kwargs,
        )


class AssessmentPrintView(AssessmentMixin, TemplateView):
    """The assessment laid out for paper: live figures of a draft are computed afresh."""

    template_name = "quality/assessment_print.html"

    def get_context_data(self, **kwargs):
        public = _public(self.request.user)
        return super().get_context_data(
            assessment=self.assessment,
            themes=assessment_sheet(self.assessment, public=public),
            summary=rating_summary(self.assessment),
            printed_at=timezone.localtime(),
            **kwargs,
        )


class AssessmentPdfView(AssessmentPrintView):
    def render_to_response(self, context, **response_kwargs):
        pdf = render_pdf(
            ASSESSMENT_PDF_TEMPLATE,
            assessment_pdf_context(self.assessment, public=_public(self.request.user)),
            self.request,
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        stamp = self.assessment.assessed_on.isoformat()
        response["Content-Disposition"] = f'attachment; filename="self-assessment-{stamp}.pdf"'
        return response


class AssessmentBuildPdfView(AssessmentMixin, View):
    """The "Build PDF" button: the same PDF, built by the background worker.

    The same readers as the PDF view; a steering member's copy has small numbers
    suppressed, as their page has, and so holds no personal data.
    """

    def post(self, request, pk):
        assessment = self.assessment
        public = _public(request.user)
        document = request_document(
            service=request.user.service,
            kind=ASSESSMENT_PDF,
            parameters={"assessment": assessment.pk, "public": public},
            title=f"{assessment.title}, {date_format(assessment.assessed_on)} (PDF)",
            holds_personal_data=not public,
            by=request.user,
        )
        return to_status_page(request, document)

    def get(self, request, pk):
        return redirect("quality:assessment-detail", pk=self.assessment.pk)


class AssessmentCompareView(AssessmentMixin, TemplateView):
    template_name = "quality/assessment_compare.html"

    def get_context_data(self, **kwargs):
        others = self.others()
        form = CompareForm(self.request.GET or None, choices=others)
        other = None
        if form.is_bound and form.is_valid():
            other = form.cleaned_data["other"]
        elif not form.is_bound:
            other = default_comparison(others, self.assessment)
        rows = []
        earlier = later = None
        if other is not None:
            earlier, later = sorted([other, self.assessment], key=lambda a: (a.assessed_on, a.pk))
            rows = compare_assessments(earlier, later)
        moved = {
            kind: sum(1 for r in rows if r.movement == kind) for kind in ("up", "down", "same")
        }
        return super().get_context_data(
            assessment=self.assessment,
            form=form,
            earlier=earlier,
            later=later,
            rows=rows,
            moved=moved,
            title=f"Compare {self.assessment.title}",
            **kwargs,
        )


class AssessmentFinaliseView(AssessmentMixin, TemplateView):
    roles = COORDINATORS
    template_name = "quality/assessment_finalise.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            assessment=self.assessment,
            unrated=unrated_count(self.assessment),
            title="Finalise",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            actions.finalise_assessment(assessment=self.assessment, by=request.user)
        except ValidationError as error:
            context = self.get_context_data(errors=error.messages)
            return self.render_to_response(context, status=400)
        messages.success(request, "Finalised: its figures are frozen as they stand today.")
        return redirect("quality:assessment-detail", pk=self.assessment.pk)


class RatingEditView(ActionFormMixin, VersionedUpdateView):
    roles = COORDINATORS
    form_class = RatingForm
    template_name = "quality/rating_form.html"
    success_message = "Rating saved."

    def get_queryset(self):
        return ratings_editable_by(self.request.user)

    def get_title(self):
        return f"Rate {self.object.standard.code}"

    def get_success_url(self):
        url = reverse("quality:assessment-detail", args=[self.object.assessment_id])
        return f"{url}#standard-{self.object.standard.code}"

    def act(self, form):
        try:
            actions.rate_standard(
                rating=form.instance,
                expected_version=form.cleaned_data["version"],
                by=self.request.user,
            )
        except EditConflict as conflict:
            return self.conflict(form, conflict.current)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        rating = self.object
        public = _public(self.request.user)
        return super().get_context_data(
            rating=rating,
            row=standard_row(rating, public=public),
            figure_form=kwargs.pop("figure_form", FigureForm()),
            document_form=kwargs.pop("document_form", DocumentForm()),
            **kwargs,
        )


class RatingActionView(RoleRequiredMixin, FormView):
    """A small form posted from the rating page; errors show there, beside their field."""

    roles = COORDINATORS
    form_name: str
    abstract = True

    @cached_property
    def rating(self):
        return get_object_or_404(ratings_editable_by(self.request.user), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        return redirect("quality:rating-edit", pk=self.rating.pk)

    def done(self, message):
        messages.success(self.request, message)
        return redirect("quality:rating-edit", pk=self.rating.pk)

    def form_invalid(self, form):
        page = RatingEditView()
        page.setup(self.request, pk=self.rating.pk)
        page.object = self.rating
        context = page.get_context_data(
            form=RatingForm(instance=self.rating), **{self.form_name: form}
        )
        return page.render_to_response(context, status=400)


class FigureAddView(ActionFormMixin, RatingActionView):
    form_class = FigureForm
    form_name = "figure_form"

    def act(self, form):
        actions.link_figure(rating=self.rating, key=form.cleaned_data["key"])
        return self.done("Figure linked: it shows live until the assessment is finalised.")


class DocumentAddView(ActionFormMixin, RatingActionView):
    form_class = DocumentForm
    form_name = "document_form"

    def act(self, form):
        actions.attach_document(
            rating=self.rating,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
            by=self.request.user,
        )
        return self.done("Document attached.")


class FigureRemoveView(RoleRequiredMixin, View):
    roles = COORDINATORS

    def post(self, request, pk):
        figure = get_object_or_404(figures_editable_by(request.user), pk=pk)
        rating_pk = figure.rating_id
        actions.unlink_figure(figure=figure)
        messages.success(request, "Figure removed.")
        return redirect("quality:rating-edit", pk=rating_pk)

    def get(self, request, pk):
        figure = get_object_or_404(figures_editable_by(request.user), pk=pk)
        return redirect("quality:rating-edit", pk=figure.rating_id)


class DocumentDownloadView(UploadDownloadView):
    """A standard's evidence document, to the service's coordinator."""

    roles = COORDINATORS
    audit_object_type = "assessment-document"
    visible_to = staticmethod(documents_visible_to)
