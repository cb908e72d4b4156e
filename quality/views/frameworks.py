"""Frameworks: the list, a version's tree, the CSV import and editing wording."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from pps.access import RoleRequiredMixin
from pps.forms import plain_number
from pps.roles import COORDINATORS
from pps.views import ActionFormMixin
from quality import actions
from quality.access import get_framework_for
from quality.forms import ImportForm, ReviseForm
from quality.frameworks import HEADER
from quality.queries import framework_versions, version_themes


class FrameworkDetailView(RoleRequiredMixin, TemplateView):
    roles = COORDINATORS
    template_name = "quality/framework_detail.html"

    @cached_property
    def framework(self):
        return get_framework_for(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        versions = framework_versions(self.framework)
        number = plain_number(self.request.GET.get("version"))
        chosen = versions[0]
        if number is not None:
            chosen = get_object_or_404(self.framework.versions.all(), number=number)
        return super().get_context_data(
            framework=self.framework,
            versions=versions,
            version=chosen,
            is_latest=chosen.pk == versions[0].pk,
            themes=version_themes(chosen),
            levels=chosen.levels.order_by("-rank"),
            title=self.framework.name,
            **kwargs,
        )


class FrameworkImportView(ActionFormMixin, RoleRequiredMixin, FormView):
    roles = COORDINATORS
    form_class = ImportForm
    template_name = "quality/framework_import.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Import a framework from CSV", header=",".join(HEADER), **kwargs
        )

    def act(self, form):
        data = form.cleaned_data
        version, created = actions.import_framework(
            service=self.request.user.service,
            name=data["name"],
            scale=data["scale"],
            text=data["file"],
            by=self.request.user,
        )
        if created:
            messages.success(
                self.request,
                f"Imported {version.standards.count()} standards as version {version.number}.",
            )
        else:
            messages.info(
                self.request,
                f"Nothing new: version {version.number} already has exactly this content.",
            )
        return redirect("quality:framework-detail", pk=version.framework_id)


class FrameworkReviseView(ActionFormMixin, RoleRequiredMixin, FormView):
    """Edit the wording of the latest version; saving makes the next version."""

    roles = COORDINATORS
    form_class = ReviseForm
    template_name = "quality/framework_revise.html"

    @cached_property
    def framework(self):
        return get_framework_for(self.request, self.kwargs["pk"])

    @cached_property
    def based_on(self):
        # The version the form was opened at travels with it, so a save after someone
        # else's new version is refused rather than silently overwriting theirs.
        text = self.request.POST.get("based_on") or self.request.GET.get("based_on")
        versions = self.framework.versions.all()
        if not text:
            return versions.order_by("-number").first()
        number = plain_number(text)
        if number is None:
            # Not a version number: refused rather than taken as "the latest", which would
            # let the save skip the check that nobody made a newer version meanwhile.
            raise Http404("No such version of this framework.")
        return get_object_or_404(versions, number=number)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "version": self.based_on}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            framework=self.framework,
            based_on=self.based_on,
            title=f"Edit the wording of {self.framework.name}",
            **kwargs,
        )

    def act(self, form):
        version = actions.revise_framework(
            based_on=self.based_on,
            theme_titles=form.theme_titles(),
            standard_texts=form.standard_texts(),
            note=form.cleaned_data["note"],
            by=self.request.user,
        )
        messages.success(self.request, f"Saved as version {version.number}.")
        return redirect("quality:framework-detail", pk=self.framework.pk)
