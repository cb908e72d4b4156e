"""The network report's pages (docs/reporting.md, "The network report"): a financial
year's comparisons across the services that take part, and each table as a CSV."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from django_scopes import scope

from pps.access import RoleRequiredMixin, may_read_network
from pps.roles import COORDINATORS, Role
from reports.charts import bar_chart
from reports.exports import csv_download
from reports.models import YearlyDenominators
from reports.network import members, summarised_year
from reports.network_report import comparisons, counted_columns, registered_tables
from reports.periods import financial_year, financial_year_of

# The years a reader may pick: the current financial year (so far) and the four before it,
# as the benchmarking report shows five.
YEARS_SHOWN = 5


class NetworkReaderMixin(RoleRequiredMixin):
    """Network analysts (of no service) and coordinators: pps.access.may_read_network."""

    abstract = True
    roles = COORDINATORS | {Role.NETWORK_ANALYST}

    def dispatch(self, request, *args, **kwargs):
        if not may_read_network(request.user):
            raise PermissionDenied
        # RoleRequiredMixin's own check asks for a service, which an analyst has none of.
        return super(RoleRequiredMixin, self).dispatch(request, *args, **kwargs)

    def years(self) -> list[int]:
        current = financial_year_of(timezone.localdate())
        return list(range(current, current - YEARS_SHOWN, -1))

    def chosen_year(self, year: int):
        if year not in self.years():
            raise Http404("The network report covers this financial year and the four before.")
        return financial_year(year)

    def own_service(self) -> int | None:
        """The coordinator's service; an analyst has none to highlight."""
        user = self.request.user
        return user.service_id if user.role in COORDINATORS else None

    def report(self, year):
        """(taking part, the comparisons, the other tables) for the reader; nothing when
        the reader is a coordinator of a service that does not take part."""
        services = members()
        own = self.own_service()
        if own is not None and own not in services:
            return False, [], []
        if not services:
            # Empty tables (for the CSVs), nothing counted.
            return True, comparisons(year, {}, {}, [], own), []
        figures, _ = summarised_year(year, services)
        with scope(service=services):
            entered = {
                row.service_id: row
                for row in YearlyDenominators.objects.filter(year=year.first.year)
            }
            others = registered_tables(year, services, own)
        return True, comparisons(year, figures, entered, services, own), others


class NetworkIndexView(NetworkReaderMixin, View):
    """The last financial year that has ended."""

    def get(self, request):
        return redirect("reports:network", year=self.years()[1])


class NetworkReportView(NetworkReaderMixin, TemplateView):
    template_name = "reports/network.html"

    def get_context_data(self, **kwargs):
        year = self.chosen_year(kwargs.pop("year"))
        taking_part, found, others = self.report(year)
        charts = [
            (
                comparison,
                bar_chart(
                    comparison.table,
                    title=comparison.table.caption,
                    horizontal=True,
                    unit=comparison.measure.unit,
                    highlight=comparison.highlight,
                ),
            )
            for comparison in found
            # No chart of nobody: the page says no service takes part.
            if comparison.table.rows
        ]
        # Several levels a standard: grouped bars, one series a level.
        # Only the level columns are bars: the mean, median and own level are words and
        # numbers on the scale, read in the table beside the chart.
        level_charts = [
            bar_chart(
                table,
                title=table.caption,
                value_columns=counted_columns(table),
                horizontal=True,
                unit="services",
            )
            for table in others
        ]
        return super().get_context_data(
            level_charts=level_charts,
            year=year,
            years=[financial_year(start) for start in self.years()],
            taking_part=taking_part,
            charts=charts,
            services=len(found[0].table.rows) if found else 0,
            analyst=self.own_service() is None,
            today=timezone.localdate(),
            **kwargs,
        )


class NetworkCsvView(NetworkReaderMixin, View):
    """One comparison's table as a CSV: what the page shows, no more."""

    def get(self, request, year, table):
        year = self.chosen_year(year)
        taking_part, found, others = self.report(year)
        if not taking_part:
            raise PermissionDenied
        for shown in [comparison.table for comparison in found] + others:
            if shown.slug == table:
                return csv_download(shown, f"network-{year.label}-{table}.csv")
        raise Http404("No such table.")
