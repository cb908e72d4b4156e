from django.utils import timezone
from django.views.generic import TemplateView

from pps.access import RoleRequiredMixin
from pps.roles import AGGREGATES
from reports.periods import academic_year, academic_year_containing
from reports.queries.casework import case_movements, contact_figures


class OverviewView(RoleRequiredMixin, TemplateView):
    """The service at a glance for the steering group: aggregates only, never a name."""

    roles = AGGREGATES
    template_name = "reports/overview.html"

    def get_context_data(self, **kwargs):
        service = self.request.user.service
        start_month = service.academic_year_start_month
        current = academic_year_containing(timezone.localdate(), start_month)
        years = [academic_year(current.first.year - back, start_month) for back in (2, 1, 0)]
        rows = [(year, case_movements(year), contact_figures(year)) for year in years]
        return super().get_context_data(service=service, rows=rows, current=current, **kwargs)
