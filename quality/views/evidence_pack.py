"""The evidence pack page: choose a framework and a year, build the PDF in the background,
and see the packs already built (docs/reporting.md, "The evidence pack")."""

from django.utils import timezone
from django.views.generic import TemplateView

from pps.access import RoleRequiredMixin
from pps.documents import recover_stale_builds, request_document, to_status_page
from pps.roles import COORDINATORS
from quality.access import frameworks_visible_to
from quality.documents import EVIDENCE_PACK_PDF
from quality.forms import EvidencePackForm
from quality.queries import built_documents
from reports.periods import academic_year, academic_year_containing

# Years a pack may be made for: the current one and those before it.
YEARS_OFFERED = 6


class EvidencePackView(RoleRequiredMixin, TemplateView):
    """Only the service's coordinators: the pack appends uploaded documents, which nothing
    checks for personal data (quality.access.documents_visible_to)."""

    roles = COORDINATORS
    template_name = "quality/evidence_pack.html"

    def years(self):
        service = self.request.user.service
        current = academic_year_containing(timezone.localdate(), service.academic_year_start_month)
        start = current.first.year
        return [
            academic_year(start - back, service.academic_year_start_month)
            for back in range(YEARS_OFFERED)
        ]

    def form(self, data=None):
        years = self.years()
        # The last year that has ended: the one an assessor usually asks about.
        return EvidencePackForm(
            data,
            frameworks=frameworks_visible_to(self.request.user),
            years=years,
            initial={"year": years[1].first.year},
        )

    def get_context_data(self, **kwargs):
        recover_stale_builds()
        packs = built_documents(self.request.user, EVIDENCE_PACK_PDF)
        return super().get_context_data(
            title="Evidence pack",
            form=kwargs.pop("form", None) or self.form(),
            packs=packs[:25],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        framework, year = form.cleaned_data["framework"], form.cleaned_data["year"]
        label = dict(form.fields["year"].choices)[year]
        document = request_document(
            service=request.user.service,
            kind=EVIDENCE_PACK_PDF,
            parameters={"framework": framework.pk, "year": year},
            title=f"Evidence pack: {framework.name}, {label} (PDF)",
            # Attached documents are appended as uploaded: nothing checks them.
            holds_personal_data=True,
            by=request.user,
        )
        return to_status_page(request, document, "The evidence pack is being built")
