from django.utils import timezone
from django.views.generic import TemplateView

from pps.access import RoleRequiredMixin
from pps.roles import AGGREGATES
from reports.periods import academic_year, academic_year_containing, financial_year
from reports.queries.casework import case_movements, contact_figures, service_users
from reports.queries.volunteers import (
    ips_activity,
    service_users_per_active_ips,
    volunteer_figures,
)


class OverviewView(RoleRequiredMixin, TemplateView):
    """The service at a glance for the steering group: aggregates only, never a name."""

    roles = AGGREGATES
    template_name = "reports/overview.html"

    def get_context_data(self, **kwargs):
        service = self.request.user.service
        start_month = service.academic_year_start_month
        current = academic_year_containing(timezone.localdate(), start_month)
        years = [academic_year(current.first.year - back, start_month) for back in (2, 1, 0)]
        rows = [
            (year, case_movements(year), contact_figures(year), ips_activity(year))
            for year in years
        ]
        # The last financial year that has ended: the benchmarking return's figures.
        today = timezone.localdate()
        finished = financial_year(today.year - (2 if today.month < 4 else 1))
        users = service_users(finished)
        return super().get_context_data(
            service=service,
            rows=rows,
            current=current,
            finished=finished,
            volunteers=volunteer_figures(finished),
            service_users=users,
            users_per_ips=service_users_per_active_ips(finished),
            **kwargs,
        )
