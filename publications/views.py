"""The annual report's pages: the report, its exports and PDF, its narrative and the
month's calls and visits (docs/reporting.md, "The annual report")."""

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from pps.access import RoleRequiredMixin
from pps.documents import request_document, to_status_page
from pps.roles import AGGREGATES, COORDINATORS, STAFF
from pps.versioning import EditConflict
from pps.views import conflict_context
from publications import benchmarking
from publications.actions import save_denominators, save_monthly_activity, save_narrative
from publications.annual import (
    annual_report,
    headline_parts,
    latest_ended_year,
    year_of,
)
from publications.documents import ANNUAL_REPORT_PDF, BENCHMARKING_RETURN_PDF
from publications.forms import (
    FIELDS,
    DenominatorsForm,
    FinancialYearForm,
    MonthlyActivityForm,
    NarrativeForm,
    YearForm,
)
from publications.queries import monthly_activity_by_month, narrative_section, yearly_denominators
from reports import exports
from reports.models import NarrativeSection, YearlyDenominators
from reports.presenters import Disclosure
from reports.queries.volunteers import months_of

# How far back a report may be asked for: records older than this are an import's business.
YEARS_OFFERED = 10


class YearMixin(RoleRequiredMixin):
    """A view of one academic year of the signed-in user's service (`year` in the URL is the
    calendar year it starts in): one of the years offered, else 404."""

    abstract = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and getattr(request.user, "service", None):
            self.service = request.user.service
        return super().dispatch(request, *args, **kwargs)

    # What a year of the URL is (for its 404), the form that chooses one, and the page of
    # the report of a year.
    kind = "academic year"
    year_form = YearForm
    report_url = "publications:annual-report"

    def latest_ended(self) -> int:
        return latest_ended_year(self.service)

    def period_of(self, start: int):
        return year_of(self.service, start)

    def offered(self):
        latest = self.latest_ended() + 1
        return [self.period_of(latest - back) for back in range(YEARS_OFFERED)]

    @property
    def year(self):
        start = self.kwargs["year"]
        for period in self.offered():
            if period.first.year == start:
                return period
        raise Http404(f"No such {self.kind}.")


class YearIndexMixin:
    """A report's index (/reports/annual/, /reports/benchmarking/): the year chosen on the
    report's own form, else the last one ended."""

    roles = AGGREGATES

    def get(self, request):
        form = self.year_form(request.GET or None, years=self.offered())
        start = form.cleaned_data["year"] if form.is_bound and form.is_valid() else None
        return redirect(self.report_url, year=start or self.latest_ended())


class ReportPageMixin:
    """A year's report as a web page: exact for the service's staff, small numbers
    suppressed for the steering group (reports.presenters). `build(service, year,
    disclosure)` makes the report."""

    roles = AGGREGATES
    build = None

    def report(self):
        # The year is one of those offered (else 404) before any figure is read.
        period = self.year
        return self.build(self.service, period.first.year, Disclosure.for_user(self.request.user))

    def get_context_data(self, **kwargs):
        report = self.report()
        return super().get_context_data(
            report=report,
            title=report.title,
            years=self.year_form(initial={"year": report.year.first.year}, years=self.offered()),
            may_edit=self.request.user.role in COORDINATORS,
            **kwargs,
        )


class AnnualReportIndexView(YearIndexMixin, YearMixin, View):
    pass


class AnnualReportView(ReportPageMixin, YearMixin, TemplateView):
    template_name = "publications/annual_report.html"
    build = staticmethod(annual_report)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            narrative_parts=NarrativeSection.Part.choices,
            may_enter_activity=self.request.user.role in STAFF,
            **kwargs,
        )


class ExportMixin:
    """A report's figures as a CSV of one table, one XLSX workbook or one JSON document
    (reports/exports.py), from the same report the page shows (`report()`)."""

    fmt = "json"

    def json_extra(self, report) -> dict:
        """What the JSON document holds besides the tables."""
        return {}

    def get(self, request, *args, **kwargs):
        report = self.report()
        stem = report.file_stem
        if self.fmt == "csv":
            table = report.table(kwargs["table"])
            if table is None:
                raise Http404("No such table in this report.")
            return exports.csv_download(table, f"{table.slug}.csv")
        if self.fmt == "xlsx":
            return exports.xlsx_download(report.tables, report.title, f"{stem}.xlsx")
        return exports.json_download(
            report.title, report.year, report.tables, f"{stem}.json", extra=self.json_extra(report)
        )


class AnnualReportExportView(ExportMixin, AnnualReportView):
    """The annual report as a CSV of one table, one XLSX workbook or one JSON document,
    whose JSON also holds the narrative."""

    def json_extra(self, report) -> dict:
        return {
            "narrative": [
                {"heading": heading, "text": text}
                for part in report.parts
                for heading, text in part.paragraphs
            ]
        }


class BuildPdfMixin:
    """ "Build PDF": the worker builds the document of the year as the asker may see it."""

    kind: str
    label: str

    def post(self, request, year):
        period = self.year
        document = request_document(
            service=self.service,
            kind=self.kind,
            parameters={"year": period.first.year},
            title=f"{self.label} {period.label} (PDF)",
            holds_personal_data=Disclosure.for_user(request.user).exact,
            by=request.user,
        )
        return to_status_page(request, document)

    def get(self, request, year):
        return redirect(self.report_url, year=year)


class BuildAnnualReportPdfView(BuildPdfMixin, YearMixin, View):
    roles = AGGREGATES
    kind = ANNUAL_REPORT_PDF
    label = "Annual report"


class NarrativeEditView(YearMixin, TemplateView):
    """One part of the narrative, with the year's figures beside the editor."""

    roles = COORDINATORS
    template_name = "publications/narrative_form.html"

    def part(self):
        part = self.kwargs["part"]
        if part not in NarrativeSection.Part.values:
            raise Http404("No such part of the narrative.")
        return NarrativeSection.Part(part)

    def section(self):
        return narrative_section(self.service, self.year.first.year, self.part())

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", NarrativeForm(instance=self.section()))
        return super().get_context_data(
            title=f"{self.part().label}: annual report {self.year.label}",
            period=self.year,
            figures=headline_parts(self.year, Disclosure(exact=True)),
            back_url=reverse("publications:annual-report", args=[self.year.first.year]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = NarrativeForm(request.POST, instance=self.section())
        if form.is_valid():
            try:
                save_narrative(form=form, by=request.user)
            except EditConflict as conflict:
                return self.render_to_response(
                    self.get_context_data(form=form, **conflict_context(form, conflict.current))
                )
            messages.success(request, f"{self.part().label} saved.")
            return redirect(
                reverse("publications:annual-report", args=[self.year.first.year]) + "#narrative"
            )
        return self.render_to_response(self.get_context_data(form=form))


class MonthlyActivityView(YearMixin, TemplateView):
    """The calls and website visits of each month of the year, entered by hand."""

    roles = STAFF
    template_name = "publications/monthly_activity.html"

    def months(self) -> list[dt.date]:
        return [m.first for m in months_of(self.year)]

    def form(self, data=None):
        months = self.months()
        return MonthlyActivityForm(data, months=months, rows=monthly_activity_by_month(months))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        return super().get_context_data(
            title=f"Telephone calls and website visits, {self.year.label}",
            back_url=reverse("publications:annual-report", args=[self.year.first.year]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            save_monthly_activity(service=self.service, changes=form.changes(), by=request.user)
        except EditConflict:
            return self.conflict(request, form)
        messages.success(request, "Saved.")
        return redirect("publications:monthly-activity", year=self.year.first.year)

    def conflict(self, request, read):
        """Nothing saved: the form keeps what the user typed, takes the stored versions (so
        saving again is a deliberate choice) and says whose figures differ."""
        current = self.form()
        data = request.POST.copy()
        theirs = []
        for month in current.months:
            row = current.rows.get(month)
            key = current.key(month, "version")
            data[key] = "" if row is None else str(row.version)
            if (row.version if row else None) != read.cleaned_data[key]:
                values = [getattr(row, name) if row else None for name in FIELDS]
                theirs.append(
                    f"{month:%B %Y}: "
                    + ", ".join(
                        f"{name.replace('_', ' ')} {'not recorded' if value is None else value}"
                        for name, value in zip(FIELDS, values, strict=True)
                    )
                )
        form = self.form(data)
        form.is_valid()
        form.add_error(
            None,
            "Someone else saved figures of this year after you opened the page. Nothing of "
            "yours has been saved yet: your figures are still in the form. Their figures are "
            "listed below; save again to keep yours.",
        )
        return self.render_to_response(self.get_context_data(form=form, theirs=theirs), status=409)


# The benchmarking return (docs/reporting.md, "The benchmarking return") ------------------


class FinancialYearMixin(YearMixin):
    """A view of one financial year of the signed-in user's service (`year` in the URL is
    the calendar year it starts in, 2025 for 2025-26): one of the years offered, else 404."""

    abstract = True
    kind = "financial year"
    year_form = FinancialYearForm
    report_url = "publications:benchmarking-return"

    def latest_ended(self) -> int:
        return benchmarking.latest_ended_year()

    def period_of(self, start: int):
        return benchmarking.year_of(start)


class BenchmarkingIndexView(YearIndexMixin, FinancialYearMixin, View):
    pass


class BenchmarkingReturnView(ReportPageMixin, FinancialYearMixin, TemplateView):
    template_name = "publications/benchmarking_return.html"
    build = staticmethod(benchmarking.benchmarking_return)


class BenchmarkingExportView(ExportMixin, BenchmarkingReturnView):
    """The return as a CSV of one table, one XLSX workbook or one JSON document, whose JSON
    also lists the figures not recorded."""

    def json_extra(self, report) -> dict:
        return {"not_recorded": list(report.not_recorded)}


class BuildBenchmarkingPdfView(BuildPdfMixin, FinancialYearMixin, View):
    roles = AGGREGATES
    kind = BENCHMARKING_RETURN_PDF
    label = "Benchmarking return"


class DenominatorsEditView(FinancialYearMixin, TemplateView):
    """The year's denominators and entered facts, on one versioned record: a save made by
    someone else after the form was opened is refused with both values shown."""

    roles = COORDINATORS
    template_name = "publications/denominators_form.html"

    def record(self) -> YearlyDenominators:
        return yearly_denominators(self.service, self.year.first.year)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", DenominatorsForm(instance=self.record()))
        return super().get_context_data(
            title=f"Denominators and facts for the benchmarking return {self.year.label}",
            back_url=reverse("publications:benchmarking-return", args=[self.year.first.year]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        record = self.record()
        if record.pk is not None and not request.POST.get("version"):
            # The form was opened before the year had a record; someone saved one since.
            return self.conflict(request)
        form = DenominatorsForm(request.POST, instance=record)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            save_denominators(form=form, by=request.user)
        except EditConflict as conflict:
            if record.pk is None:
                return self.conflict(request)
            return self.render_to_response(
                self.get_context_data(form=form, **_conflict(form, conflict.current)),
                status=409,
            )
        messages.success(request, "Saved.")
        return redirect("publications:benchmarking-return", year=self.year.first.year)

    def conflict(self, request):
        """Someone else saved the year's first record after this user opened the blank
        form: the form takes that record, still holding what this user typed, and shows
        their values, so that saving again is a deliberate choice."""
        current = self.record()
        data = request.POST.copy()
        data["version"] = str(current.version)
        form = DenominatorsForm(data, instance=current)
        form.is_valid()
        # conflict_context reads the stored values from a record the form has not touched.
        context = _conflict(form, self.record())
        return self.render_to_response(self.get_context_data(form=form, **context), status=409)


def _conflict(form: DenominatorsForm, current: YearlyDenominators) -> dict:
    """pps.views.conflict_context, the lists of ticked choices shown by their labels."""
    context = conflict_context(form, current)
    labels = form.choice_labels(current)
    context["conflict"] = [
        (label, labels.get(label, value)) for label, value in context["conflict"]
    ]
    return context
