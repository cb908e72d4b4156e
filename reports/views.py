from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.views.generic import FormView, TemplateView

from pps.access import RoleRequiredMixin
from pps.disclosure import HIDDEN, Line
from pps.exports import choices_of, table_response
from pps.roles import AGGREGATES, COORDINATORS
from pps.views import ActionFormMixin
from reports.dashboard import dashboard, dashboard_charts
from reports.forms import DashboardPeriodForm, EvaluationPeriodForm, TargetsForm
from reports.periods import (
    Period,
    academic_year,
    academic_year_containing,
    financial_year,
    financial_year_of,
)
from reports.presenters import (
    MOVEMENT_LABELS,
    Disclosure,
    Table,
    evaluation_cells,
    events_table,
    measure_table,
    movements_line,
    question_table,
    return_rates_table,
)
from reports.queries.casework import (
    pending_case_movements,
    pending_contacts_and_users,
)
from reports.queries.evaluations import (
    events_summary,
    forms_listed,
    impartiality,
    period_evaluations,
    pick_default_form,
    satisfaction,
)
from reports.queries.grouping import together
from reports.queries.volunteers import (
    IpsActivity,
    pending_ips_hours,
    pending_volunteer_counts,
    users_per_ips,
)
from reports.targets import Measure, TargetsConflict, save_targets, service_targets


class TablesCsvMixin:
    """A page of tables that is also one CSV (`export=True` in the URLconf): its title and
    service, the lines of `csv_heading` about the period, then each of `csv_tables` under
    its caption and header. Without a period in the context (an invalid choice) there is
    nothing to export: the page is shown instead."""

    export = False
    csv_title: str
    csv_stem: str

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        period = context.get("period") if self.export else None
        if period is None:
            return self.render_to_response(context)
        rows = [[self.csv_title, context["service"].name], *self.csv_heading(context, period)]
        for table in context["csv_tables"]:
            rows += [[], [table.caption], list(table.header)]
            rows += [list(row) for row in table.rows + table.foot]
        name = f"{self.csv_stem}-{period.first:%Y-%m-%d}-to-{period.last:%Y-%m-%d}.csv"
        return table_response(rows, name, request.GET)


class OverviewView(RoleRequiredMixin, TemplateView):
    """The service at a glance for the steering group: aggregates only, never a name."""

    roles = AGGREGATES
    template_name = "reports/overview.html"

    def get_context_data(self, **kwargs):
        service = self.request.user.service
        start_month = service.academic_year_start_month
        current = academic_year_containing(timezone.localdate(), start_month)
        years = [academic_year(current.first.year - back, start_month) for back in (2, 1, 0)]
        # The last financial year that has ended: the benchmarking return's figures.
        finished = financial_year(financial_year_of(timezone.localdate()) - 1)
        # Every figure of the three years and of that financial year, in one query
        # (reports.queries.grouping.together).
        movements, (contacts, users), hours, volunteer_counts = together(
            pending_case_movements(years),
            pending_contacts_and_users(years, [finished]),
            pending_ips_hours(years),
            pending_volunteer_counts(active_during=years, years=[finished]),
        )
        rows = [
            (
                year,
                movements[service.pk, year],
                contacts[service.pk, year],
                IpsActivity(
                    volunteer_counts.active_during[service.pk, year], hours[service.pk, year]
                ),
            )
            for year in years
        ]
        users = users[service.pk, finished]
        volunteers = volunteer_counts.figures[service.pk, finished]
        ratio = users_per_ips(users, volunteers.active_ips_at_end)
        disclosure = Disclosure.for_user(self.request.user)
        return super().get_context_data(
            service=service,
            rows=rows,
            current=current,
            finished=finished,
            volunteers=volunteers,
            service_users=users,
            users_per_ips=ratio,
            tables=(
                _casework_table(rows, current, disclosure),
                _benchmarking_table(finished, users, volunteers, ratio, disclosure),
            ),
            suppress=disclosure.suppress,
            **kwargs,
        )


def _casework_table(rows, current: Period, disclosure: Disclosure) -> Table:
    """The overview's years side by side. Brought forward + new + re-opened - closed =
    carried forward, and a year's carried forward is the next year's brought forward: both
    are sums a reader can do, so a small count takes another with it (reports.presenters);
    hours beside a small count are hidden (decision 0006)."""
    counts, lines = {}, []
    for y, (_year, movements, contacts, ips) in enumerate(rows):
        for name, _label in MOVEMENT_LABELS:
            counts[name, y] = getattr(movements, name)
        counts["casework_total", y] = movements.casework_total
        counts["contacts", y] = contacts.contacts
        counts["active_ips", y] = ips.active_ips
        lines.append(movements_line(lambda name, y=y: (name, y)))
        if y:
            lines.append(Line((("carried_forward", y - 1), ("brought_forward", y))))
    cells = disclosure.cells(counts, lines)
    years = range(len(rows))

    def hours(count, value):
        return HIDDEN if disclosure.hides_beside(count) else value

    def counts(label, name):
        return (label, *(cells[name, y] for y in years))

    body = [counts(label, name) for name, label in MOVEMENT_LABELS]
    body += [
        counts("Casework total (cases open during the year)", "casework_total"),
        counts("Contacts (casework and substantial enquiries)", "contacts"),
        (
            "Office hours (staff casework)",
            *(hours(c.contacts, c.office_hours) for _, _, c, _ in rows),
        ),
        counts("IPS volunteers active during the year", "active_ips"),
        (
            "IPS casework hours (monthly returns)",
            *(hours(ips.active_ips, ips.hours) for _, _, _, ips in rows),
        ),
    ]
    return Table(
        slug="casework-by-year",
        caption=f"Casework by academic year ({current.label} so far)",
        header=("Figure", *(year.label for year, *_ in rows)),
        rows=tuple(body),
        note=cells.note(),
    )


def _benchmarking_table(finished: Period, users, volunteers, ratio, disclosure) -> Table:
    if ratio is None:
        per_ips = "no active IPS"
    elif disclosure.hides_beside(volunteers.active_ips_at_end):
        # The ratio would point at the one to four people.
        per_ips = "hidden (fewer than 5 IPS)"
    else:
        per_ips = ratio
    at_end = date_format(finished.last)
    return Table(
        slug="benchmarking",
        caption=f"Benchmarking figures, financial year {finished.label}",
        header=("Figure", finished.label),
        rows=(
            ("Parent/carer service users", disclosure.count(users)),
            (f"Active IPS at {at_end}", disclosure.count(volunteers.active_ips_at_end)),
            ("IPS newly trained in the year", disclosure.count(volunteers.ips_newly_trained)),
            (
                f"Other active volunteers at {at_end}",
                disclosure.count(volunteers.other_volunteers_at_end),
            ),
            ("Service users per active IPS", per_ips),
        ),
    )


@dataclass(frozen=True)
class Section:
    heading: str
    tables: tuple[Table, ...]
    empty: str
    note: str = ""
    comments: bool = False


class EvaluationResultsView(TablesCsvMixin, RoleRequiredMixin, TemplateView):
    """Evaluation results of a period (docs/domain.md, "Evaluations"): return rates, satisfaction
    against the target, each question's answers, publishable comments and events.

    The same tables feed the page and the CSV (`export=True` in the URLconf).
    """

    roles = AGGREGATES
    template_name = "reports/evaluation_results.html"
    csv_title, csv_stem = "Evaluation results", "evaluation-results"

    def get_context_data(self, **kwargs):
        service = self.request.user.service
        start_month = service.academic_year_start_month
        current = academic_year_containing(timezone.localdate(), start_month)
        years = [academic_year(current.first.year - back, start_month) for back in range(4)]
        listed = forms_listed()
        default = pick_default_form(listed)
        # The form shown as chosen is the one whose results the page shows: a query without
        # a form (a year link, a bookmark) shows the default, so the list must name it too.
        query = choices_of(self.request.GET)
        if query is not None and not query.get("form") and default is not None:
            query["form"] = str(default.pk)
        choice = EvaluationPeriodForm(query, initial={"form": default}, forms_listed=listed)
        context = super().get_context_data(
            service=service, choice=choice, years=years, figures=False, **kwargs
        )
        if choice.is_bound and not choice.is_valid():
            return context
        period = choice.period(default=current)
        form = (choice.cleaned_data.get("form") if choice.is_bound else None) or default
        shown = Disclosure.for_user(self.request.user)
        # Every form sent in the period is counted once; each table sums its share.
        sent = period_evaluations(period)
        parents = sent.of_parent_forms()
        results = sent.of_form(form) if form is not None else None
        rates = return_rates_table(sent.return_rates(), shown)
        measures = [
            measure_table(
                "Parent satisfaction against the target",
                satisfaction(period, service, results=parents),
                shown,
            ),
            measure_table(
                "Parents who found the service impartial",
                impartiality(period, results=parents),
                shown,
            ),
        ]
        cells = evaluation_cells(results, shown) if results else None
        questions = (
            [question_table(cells, q, question) for q, question in enumerate(results.questions)]
            if results
            else []
        )
        events = events_table(events_summary(period), shown)
        sections = [
            Section("Forms sent and returned", (rates,), "No forms were sent in this period."),
            Section(
                "Satisfaction and impartiality (parent evaluations)",
                tuple(t for t in measures if t),
                "The parent evaluations have no question measuring satisfaction.",
            ),
            Section(
                f"{form.title}: answers to each question" if form else "Answers to each question",
                tuple(questions),
                "There is no evaluation form to show.",
                note=(
                    f"Sent: {cells['sent']}; returned: "
                    f"{cells['returned']}. Percentages are of those who gave an "
                    "answer other than “Not applicable”; a question with several choices may "
                    "add up to more than 100%."
                )
                if results
                else "",
                comments=True,
            ),
            Section("Events", (events,), "No events were held in this period."),
        ]
        comments = results.comments if results else ()
        context.update(
            figures=True,
            period=period,
            form=form,
            results=results,
            comments=comments,
            sections=sections,
            # The CSV's sections: return rates; satisfaction; each question; events; comments.
            csv_tables=[
                rates,
                *[t for t in measures if t],
                *questions,
                events,
                Table(
                    slug="comments",
                    caption="Comments cleared for publishing",
                    header=("Question", "Comment"),
                    rows=tuple((comment.question, comment.text) for comment in comments),
                ),
            ],
            suppress=shown.suppress,
            export_query=self.request.GET.urlencode(),
        )
        return context

    def csv_heading(self, context, period: Period) -> list[list]:
        form = context["form"]
        return [
            ["Period", f"{date_format(period.first)} to {date_format(period.last)}"],
            ["Form", form.title if form else ""],
        ]


class DashboardView(TablesCsvMixin, RoleRequiredMixin, TemplateView):
    """The steering group dashboard (docs/reporting.md): key figures of a term, quarter or
    academic year against the service's targets, its casework and the trends over eight
    quarters; aggregates only, small numbers suppressed for steering members. The same
    tables feed the page and the CSV (`export=True` in the URLconf)."""

    roles = AGGREGATES
    template_name = "reports/dashboard.html"
    csv_title, csv_stem = "Steering group dashboard", "dashboard"

    def get_context_data(self, **kwargs):
        service = self.request.user.service
        today = timezone.localdate()
        choice = DashboardPeriodForm(
            choices_of(self.request.GET), today=today, start_month=service.academic_year_start_month
        )
        board, charts = None, ()
        if not choice.is_bound or choice.is_valid():
            board = dashboard(
                service, choice.chosen(), today, Disclosure.for_user(self.request.user)
            )
            # Drawn for the page only: the CSV has the tables.
            charts = () if self.export else dashboard_charts(board)
        return super().get_context_data(
            service=service,
            choice=choice,
            dashboard=board,
            period=board.period if board else None,
            csv_tables=board.tables if board else (),
            charts=charts,
            suppress=Disclosure.for_user(self.request.user).suppress,
            edits_targets=self.request.user.role in COORDINATORS,
            export_query=self.request.GET.urlencode(),
            **kwargs,
        )

    def csv_heading(self, context, period: Period) -> list[list]:
        dates = f"{date_format(period.first)} to {date_format(period.last)}"
        return [["Period", f"{period.label}: {dates}"]]


class TargetsView(ActionFormMixin, RoleRequiredMixin, FormView):
    """A coordinator sets the dashboard's thresholds, every measure on one form; a save
    made by someone else since the form was opened is shown, never overwritten."""

    roles = COORDINATORS
    template_name = "reports/targets.html"
    form_class = TargetsForm

    def get_form_kwargs(self):
        service = self.request.user.service
        return {
            **super().get_form_kwargs(),
            "targets": service_targets(service),
            "satisfaction_target": service.satisfaction_target,
        }

    def act(self, form):
        try:
            save_targets(
                service=self.request.user.service,
                by=self.request.user,
                thresholds=form.thresholds(),
                versions=form.versions(),
            )
        except TargetsConflict as conflict:
            differences = [
                (
                    Measure(measure).label,
                    thresholds.shown(thresholds.green),
                    thresholds.shown(thresholds.amber),
                )
                for measure, thresholds in conflict.current.items()
                if (
                    None if measure == Measure.SATISFACTION else thresholds.green,
                    thresholds.amber,
                )
                != form.thresholds()[measure]
            ]
            form.take_versions(conflict.current)
            form.add_error(
                None,
                "Someone else saved the targets after you opened them. Nothing of yours has "
                "been saved yet: your changes are still in the form below. Check their "
                "values, then save again to keep yours.",
            )
            return self.render_to_response(self.get_context_data(form=form, conflict=differences))
        messages.success(self.request, "Targets saved.")
        return redirect("reports:dashboard")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            satisfaction_target=self.request.user.service.satisfaction_target, **kwargs
        )
