"""The steering group dashboard's figures (docs/reporting.md, "The steering group dashboard"):
the key figures of a period against the service's targets, the casework counts of the
period, and the trends over the eight quarters up to it, as presenters.Table objects shown
as the reader may see them.

Every figure comes from the report functions that count it everywhere else
(reports.queries); the period and the eight quarters are counted together: one round trip
for the casework, response and volunteer figures (grouping.together), one for the parent
evaluations (parent_results_by_period) and one for the targets.
"""

import datetime as dt
from dataclasses import dataclass

from evaluations.results import FormResults
from pps.disclosure import FEWER_THAN_5
from pps.figures import percent
from pps.models import Service
from reports.charts import Chart, bar_chart
from reports.periods import Period, distinct_periods, quarter_containing, quarters_up_to
from reports.presenters import MOVEMENT_LABELS, Disclosure, Table, movement_cells
from reports.queries.casework import (
    CaseMovements,
    ContactFigures,
    pending_case_movements,
    pending_monthly_contact_figures,
)
from reports.queries.evaluations import parent_results_by_period, satisfaction
from reports.queries.grouping import together
from reports.queries.response_times import ResponseTimes, pending_response_times
from reports.queries.volunteers import pending_supervision_up_to_date, pending_volunteer_counts
from reports.targets import Measure, Status, Thresholds, service_targets

TREND_QUARTERS = 8
NO_FIGURE = "no figure"
NOT_RATED = "Not rated: no figure for the period"
NOT_SHOWN = "Not shown: the figure is hidden"


@dataclass(frozen=True)
class PeriodFigures:
    """What the dashboard counts of one period, as the report functions return it."""

    response: ResponseTimes
    evaluations: FormResults
    satisfaction_percent: float | None
    satisfied: int
    answered: int
    active_ips: int
    supervised: int
    movements: CaseMovements
    contacts: ContactFigures

    @property
    def supervision_percent(self) -> float | None:
        """Share of the IPS active at the period's end whose supervision was up to date."""
        return percent(self.supervised, self.active_ips)

    def measure(self, measure: str) -> tuple[float | int | None, tuple[int, ...], int | None]:
        """A measure's value, the counts it is made from (small ones hide it) and what it
        is out of (None for a count)."""
        if measure == Measure.RESPONSE_TIME:
            r = self.response
            return r.share_within, (r.within, r.received), r.received
        if measure == Measure.SATISFACTION:
            return self.satisfaction_percent, (self.satisfied, self.answered), self.answered
        if measure == Measure.RETURN_RATE:
            e = self.evaluations
            return e.return_rate, (e.returned, e.sent), e.sent
        if measure == Measure.IPS_AVAILABLE:
            return self.active_ips, (self.active_ips,), None
        # An overdue count of 1 to 4 would point at the volunteers concerned as well.
        overdue = self.active_ips - self.supervised
        return (
            self.supervision_percent,
            (self.supervised, self.active_ips, overdue),
            self.active_ips,
        )


@dataclass(frozen=True)
class KeyFigure:
    measure: str
    label: str
    value: str
    out_of: str
    green: str
    amber: str
    # None when the figure is hidden or there is none: no status is shown then.
    status: Status | None
    status_words: str


@dataclass(frozen=True)
class Dashboard:
    period: Period
    quarters: tuple[Period, ...]
    key_figures: tuple[KeyFigure, ...]
    key_table: Table
    casework: Table
    trend_measures: Table
    trend_counts: Table
    trend_shares: Table

    @property
    def tables(self) -> tuple[Table, ...]:
        return (self.key_table, self.casework, self.trend_measures, self.trend_counts)


def count_figures(
    service: Service, periods: tuple[Period, ...], today: dt.date
) -> dict[Period, PeriodFigures]:
    """Every figure of every period for the one service in scope: two queries."""
    response, movements, contacts, volunteers, supervised = together(
        pending_response_times(periods, service.response_standard_days, today),
        pending_case_movements(periods),
        # Terms, quarters and years are whole months: each contact is counted in its month once.
        pending_monthly_contact_figures(periods),
        pending_volunteer_counts(years=periods),
        pending_supervision_up_to_date(periods),
    )
    # Return rates and the satisfaction question: the other questions are not shown here.
    parents = parent_results_by_period(periods, measures_only=True)
    figures = {}
    for period in periods:
        key = (service.pk, period)
        measured = satisfaction(period, service, results=parents[period])
        figures[period] = PeriodFigures(
            response=response.get(
                key, ResponseTimes(service.response_standard_days, 0, 0, 0, 0, 0)
            ),
            evaluations=parents[period],
            satisfaction_percent=measured.percent if measured else None,
            satisfied=measured.positive if measured else 0,
            answered=measured.answered if measured else 0,
            active_ips=volunteers.figures[key].active_ips_at_end
            if key in volunteers.figures
            else 0,
            supervised=supervised.get(key, 0),
            movements=movements.get(key, CaseMovements(0, 0, 0, 0, 0, 0)),
            contacts=contacts.get(key, ContactFigures(0, 0, 0.0)),
        )
    return figures


def _shown(thresholds: Thresholds, figures: PeriodFigures, disclosure: Disclosure):
    """(the figure as shown, whether it is hidden, its value)."""
    value, made_from, _ = figures.measure(thresholds.measure)
    if not thresholds.is_percent:
        shown = disclosure.count(value)
        return shown, shown == FEWER_THAN_5, value
    shown = disclosure.percent(value, *made_from)
    return shown or NO_FIGURE, shown == Disclosure.HIDDEN, value


def key_figure(thresholds: Thresholds, figures: PeriodFigures, disclosure: Disclosure) -> KeyFigure:
    shown, hidden, value = _shown(thresholds, figures, disclosure)
    _, _, out_of = figures.measure(thresholds.measure)
    status = None if hidden else thresholds.rate(value)
    if hidden:
        words = NOT_SHOWN
    elif status is None:
        words = NOT_RATED
    else:
        words = status.words
    return KeyFigure(
        measure=thresholds.measure,
        label=Measure(thresholds.measure).label,
        value=str(shown),
        out_of="" if out_of is None else str(disclosure.count(out_of)),
        green=thresholds.shown(thresholds.green),
        amber=thresholds.shown(thresholds.amber),
        status=status,
        status_words=words,
    )


def _key_table(period: Period, key_figures) -> Table:
    return Table(
        slug="key-figures",
        caption=f"Key figures against the targets, {period.label}",
        header=("Measure", "Figure", "Out of", "Green from", "Amber from", "Status"),
        rows=tuple(
            (f.label, f.value, f.out_of, f.green, f.amber, f.status_words) for f in key_figures
        ),
        note="Green at or above its threshold, amber at or above the amber threshold, red below.",
    )


def _casework_table(period: Period, figures: PeriodFigures, disclosure: Disclosure) -> Table:
    cells = movement_cells(figures.movements, disclosure)
    return Table(
        slug="casework",
        caption=f"Casework, {period.label}",
        header=("Figure", "Count"),
        rows=(
            (
                "Contacts (casework and substantial enquiries)",
                disclosure.count(figures.contacts.contacts),
            ),
            *((label, cells[name]) for name, label in MOVEMENT_LABELS),
            ("Casework total (cases open during the period)", cells["casework_total"]),
        ),
    )


def _quarter_label(quarter: Period, today: dt.date) -> str:
    return f"{quarter.label} (so far)" if quarter.last >= today else quarter.label


def _trend_measures(quarters, figures, targets, disclosure, today) -> Table:
    measures = list(Measure)
    return Table(
        slug="trend-key-figures",
        caption=f"Key figures by quarter, {quarters[0].label} to {quarters[-1].label}",
        header=("Quarter", *(Measure(m).label for m in measures)),
        rows=tuple(
            (
                _quarter_label(q, today),
                *(_shown(targets[m], figures[q], disclosure)[0] for m in measures),
            )
            for q in quarters
        ),
    )


def _trend_shares(quarters, figures, targets, disclosure, today) -> Table:
    """The percentages of the trends as numbers, for a chart: a hidden figure, or none,
    stays text and draws no bar."""
    measures = [m for m in Measure if targets[m].is_percent]

    def cell(m, q):
        shown, hidden, value = _shown(targets[m], figures[q], disclosure)
        return shown if hidden or value is None else value

    return Table(
        slug="trend-shares",
        caption="Key percentages by quarter",
        header=("Quarter", *(Measure(m).label for m in measures)),
        rows=tuple((_quarter_label(q, today), *(cell(m, q) for m in measures)) for q in quarters),
    )


def _trend_counts(quarters, figures, disclosure, today) -> Table:
    def row(q):
        f = figures[q]
        return (
            _quarter_label(q, today),
            disclosure.count(f.contacts.contacts),
            disclosure.count(f.movements.new),
            disclosure.count(f.movements.closed),
            disclosure.count(f.movements.casework_total),
        )

    return Table(
        slug="trend-casework",
        caption=f"Casework by quarter, {quarters[0].label} to {quarters[-1].label}",
        header=("Quarter", "Contacts", "New cases", "Cases closed", "Casework total"),
        rows=tuple(row(q) for q in quarters),
    )


def trend_quarters(period: Period, today: dt.date) -> tuple[Period, ...]:
    """The eight quarters up to the one holding the period's last day (or today, for a
    period not yet over)."""
    return quarters_up_to(quarter_containing(min(period.last, today)), TREND_QUARTERS)


def dashboard(
    service: Service, period: Period, today: dt.date, disclosure: Disclosure
) -> Dashboard:
    """The dashboard of `period` for the one service in scope: three queries, whatever
    the period and the size of the service."""
    quarters = trend_quarters(period, today)
    figures = count_figures(service, distinct_periods([period, *quarters]), today)
    targets = service_targets(service)
    key_figures = tuple(key_figure(targets[m], figures[period], disclosure) for m in Measure)
    return Dashboard(
        period=period,
        quarters=quarters,
        key_figures=key_figures,
        key_table=_key_table(period, key_figures),
        casework=_casework_table(period, figures[period], disclosure),
        trend_measures=_trend_measures(quarters, figures, targets, disclosure, today),
        trend_counts=_trend_counts(quarters, figures, disclosure, today),
        trend_shares=_trend_shares(quarters, figures, targets, disclosure, today),
    )


def dashboard_charts(board: Dashboard) -> tuple[Chart, ...]:
    """The trends as bar charts (reports.charts), drawn from the tables as the reader
    may see them: a suppressed figure draws no bar."""
    shares = board.trend_shares
    return (
        bar_chart(
            shares,
            title="Key percentages by quarter",
            value_columns=range(1, len(shares.header)),
        ),
        bar_chart(
            board.trend_counts, title="Contacts and new cases by quarter", value_columns=(1, 2)
        ),
    )
