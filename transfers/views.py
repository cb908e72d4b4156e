"""The import pages and the whole-service export (docs/data-lifecycle.md): coordinators only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views import View
from django.views.generic import FormView, TemplateView

from pps.access import RoleRequiredMixin
from pps.audit import PersonalDataMixin, record_access
from pps.documents import to_status_page
from pps.exports import XLSX_TYPE
from pps.models import AccessLog
from pps.roles import COORDINATORS
from pps.views import ActionFormMixin
from transfers import actions
from transfers.access import get_import_for
from transfers.exporting import request_service_export
from transfers.forms import UploadForm
from transfers.layouts import LAYOUTS
from transfers.layouts.base import Context
from transfers.queries import recent_imports
from transfers.templates_files import allowed_codes, template_csv, template_xlsx

PROBLEMS_PER_PAGE = 200
RECENT_IMPORTS = 20


def _layout_or_404(key):
    layout = LAYOUTS.get(key)
    if layout is None:
        raise Http404("No such layout.")
    return layout


class IndexView(ActionFormMixin, RoleRequiredMixin, FormView):
    """Upload a file, see the latest imports, ask for the whole-service export."""

    roles = COORDINATORS
    form_class = UploadForm
    template_name = "transfers/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Import and export",
            layouts=LAYOUTS.values(),
            recent=recent_imports(self.request.user, RECENT_IMPORTS),
            **kwargs,
        )

    def act(self, form):
        run = actions.receive_import(
            service=self.request.user.service,
            by=self.request.user,
            layout=form.cleaned_data["layout"],
            upload=form.cleaned_data["file"],
        )
        return redirect("transfers:run", pk=run.pk)


class LayoutView(RoleRequiredMixin, TemplateView):
    """One layout's columns, meanings and allowed codes (the service's own code lists)."""

    roles = COORDINATORS
    template_name = "transfers/layout.html"

    def get_context_data(self, **kwargs):
        layout = _layout_or_404(kwargs.pop("layout"))
        codes = dict(allowed_codes(layout, Context(self.request.user.service)))
        columns = [(column, codes.get(column.name, [])) for column in layout.columns]
        return super().get_context_data(
            title=f"Layout: {layout.title}", layout=layout, columns=columns, **kwargs
        )


class TemplateDownloadView(RoleRequiredMixin, View):
    roles = COORDINATORS

    formats = {"csv": (template_csv, "text/csv; charset=utf-8"), "xlsx": (template_xlsx, XLSX_TYPE)}

    def get(self, request, layout, format):
        chosen = _layout_or_404(layout)
        if format not in self.formats:
            raise Http404("Templates are CSV or XLSX.")
        make, content_type = self.formats[format]
        response = HttpResponse(
            make(chosen, Context(request.user.service)), content_type=content_type
        )
        response["Content-Disposition"] = f'attachment; filename="{chosen.key}-template.{format}"'
        return response


class RunView(RoleRequiredMixin, PersonalDataMixin, TemplateView):
    """An upload's progress, then its preview (what would be created, every bad row), then
    its outcome. Refreshes itself (a meta refresh, no script) while the worker has it;
    `?refresh=off` stops that (WCAG 2.2.1), as the document status page does."""

    roles = COORDINATORS
    template_name = "transfers/run.html"
    audit_object_type = "import"
    refresh_seconds = 3

    def get_context_data(self, **kwargs):
        run = self.object = get_import_for(self.request, self.kwargs["pk"])
        if run.in_progress and actions.recover_stale_imports():
            run = self.object = get_import_for(self.request, self.kwargs["pk"])
        layout = LAYOUTS[run.layout]
        page = Paginator(run.problems, PROBLEMS_PER_PAGE).get_page(self.request.GET.get("page"))
        refreshing = run.in_progress and self.request.GET.get("refresh") != "off"
        return super().get_context_data(
            title=f"Import of {run.filename}",
            run=run,
            layout=layout,
            preview_header=layout.preview_columns,
            problems=page,
            has_new=any(run.counts.values()),
            counts=sorted(run.counts.items(), key=lambda item: layout.creates.index(item[0])),
            refresh_seconds=self.refresh_seconds if refreshing else None,
            **kwargs,
        )


class ConfirmView(RoleRequiredMixin, View):
    """The coordinator's go-ahead after the preview: the whole file, or nothing."""

    roles = COORDINATORS
    http_method_names = ["post"]

    def post(self, request, pk):
        run = get_import_for(request, pk)
        try:
            run = actions.confirm_import(run=run, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("transfers:run", pk=run.pk)
        if run.status == run.Status.LOADED:
            messages.success(request, "The file was imported.")
        elif run.status == run.Status.LOADING:
            messages.info(request, "The file is being imported in the background.")
        else:
            messages.error(request, "Nothing was imported: see the rows listed.")
        return redirect("transfers:run", pk=run.pk)


class ExportView(RoleRequiredMixin, View):
    """Ask the background worker for the whole-service export; the asking is recorded in
    the access log as an export, and each download of it as any document's is."""

    roles = COORDINATORS
    http_method_names = ["post"]

    def post(self, request):
        document = request_service_export(service=request.user.service, by=request.user)
        record_access(
            request,
            action=AccessLog.Action.EXPORT,
            object_type="service-export",
            object_id=document.pk,
        )
        return to_status_page(request, document, "The export is being made in the background")
