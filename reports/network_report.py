"""The network report of a financial year (docs/reporting.md, "The network report"): the
benchmarking comparisons of the services that take part, each service under a number,
with the mean and median, as tables a reader may see and bar charts drawn from them.

Every reader is shown small numbers suppressed (Disclosure(exact=False)), a coordinator's
own service among the others too: the report is read beside other services' figures. A
figure made from a count of 1 to 4 (a ratio, a share) is hidden with it (decision 0006).
The mean and median are of the figures shown, never of a hidden one, so that neither can
give a hidden figure back by subtraction; the table says how many services they are of.
"""

import hashlib
import hmac
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from pps.figures import percent
from reports.models import YearlyDenominators
from reports.periods import Period
from reports.presenters import NOT_RECORDED, Disclosure, Table
from reports.queries.network import NO_FIGURES, NetworkFigures

NOT_APPLICABLE = "not applicable"

# Tables of the report counted by apps above reports (quality's self-assessment levels),
# registered at start-up: each builder takes the year, the taking-part services and the
# reader's own service (None for an analyst, to mark nothing) and runs inside their scope.
TableBuilder = Callable[[Period, list[int], int | None], list[Table]]
TABLE_BUILDERS: list[TableBuilder] = []


def register_tables(builder: TableBuilder) -> None:
    if builder not in TABLE_BUILDERS:
        TABLE_BUILDERS.append(builder)


# The columns of a registered table that summarise a row rather than count services in it:
# a chart draws the other columns only (reports.network_views).
MEAN_LEVEL, MEDIAN_LEVEL, YOUR_LEVEL = "Mean level", "Median level", "Your service"
SUMMARY_COLUMNS = (MEAN_LEVEL, MEDIAN_LEVEL, YOUR_LEVEL)


def counted_columns(table: Table) -> tuple[int, ...]:
    """The positions of a registered table's counting columns (not its label, nor its
    summaries)."""
    return tuple(i for i, name in enumerate(table.header) if i and name not in SUMMARY_COLUMNS)


def registered_tables(year: Period, services: list[int], own: int | None = None) -> list[Table]:
    return [table for builder in TABLE_BUILDERS for table in builder(year, services, own)]


YOUR_SERVICE = " (your service)"


def service_numbers(year: Period, services) -> dict[int, int]:
    """Each taking-part service's number for the year, 1 upwards: the order of a keyed
    digest of the service and the year, so the numbers say nothing of the services'
    names, sizes or age, stay the same all year (while the same services take part) and
    cannot be worked out without the installation's secret key."""

    def digest(service: int) -> str:
        message = f"network:{year.first.year}:{service}".encode()
        return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()

    return {service: n for n, service in enumerate(sorted(services, key=digest), start=1)}


@dataclass(frozen=True)
class Inputs:
    """One service's year: its counted figures and its entered denominators (None where
    not entered)."""

    figures: NetworkFigures
    population: int | None
    sen_pupils: int | None
    fsm_pupils: int | None
    funding: Decimal | None
    staff_fte: Decimal | None


def _inputs(figures: NetworkFigures, entered: YearlyDenominators | None) -> Inputs:
    def read(name):
        return getattr(entered, name) if entered is not None else None

    return Inputs(
        figures=figures,
        population=read("population_0_19"),
        sen_pupils=read("pupils_with_sen"),
        fsm_pupils=read("pupils_on_fsm"),
        funding=read("funding"),
        staff_fte=read("paid_staff_fte"),
    )


@dataclass(frozen=True)
class Measure:
    slug: str
    title: str
    unit: str
    # The figure as shown (a number, or words) for one service.
    shown: Callable[[Inputs, Disclosure], object]


def _ratio(part, whole, scale: int = 1, places: int = 2):
    """part / whole * scale to `places` decimals; words when either is missing or the
    whole is 0."""
    if part is None or whole is None:
        return NOT_RECORDED
    if not whole:
        return NOT_APPLICABLE
    return round(float(part) * scale / float(whole), places)


def _beside(count: int, value, shown: Disclosure):
    """A ratio made from a count is hidden when the count shows as fewer than 5."""
    return Disclosure.HIDDEN if shown.hides_beside(count) else value


def _users(i: Inputs) -> int:
    return i.figures.service_users


def _ips(i: Inputs) -> int:
    return i.figures.active_ips_at_end


def _share_within(i: Inputs, shown: Disclosure):
    f = i.figures
    value = percent(f.answered_within_2_days, f.approaches)
    if value is None:
        return NOT_APPLICABLE
    text = shown.percent(
        value, f.approaches, f.answered_within_2_days, f.approaches - f.answered_within_2_days
    )
    # A shown share is a number, so that the chart draws it and the CSV keeps it numeric.
    return value if text == f"{value:g}%" else text


MEASURES = (
    Measure(
        "funding",
        "Funding for the year",
        "£",
        lambda i, s: NOT_RECORDED if i.funding is None else round(float(i.funding)),
    ),
    Measure(
        "funding-per-head",
        "Funding per head of the population aged 0-19",
        "£ per head",
        lambda i, s: _ratio(i.funding, i.population),
    ),
    Measure(
        "funding-per-service-user",
        "Funding per parent/carer service user",
        "£ per service user",
        lambda i, s: _beside(_users(i), _ratio(i.funding, _users(i)), s),
    ),
    Measure(
        "funding-per-sen-pupil",
        "Funding per pupil with special educational needs",
        "£ per pupil with SEN",
        lambda i, s: _ratio(i.funding, i.sen_pupils),
    ),
    Measure(
        "funding-per-fsm-pupil",
        "Funding per pupil on free school meals",
        "£ per pupil on free school meals",
        lambda i, s: _ratio(i.funding, i.fsm_pupils),
    ),
    Measure(
        "staff-per-1000",
        "Paid staff (FTE at 31 March) per 1,000 population aged 0-19",
        "FTE per 1,000",
        lambda i, s: _ratio(i.staff_fte, i.population, 1000, 3),
    ),
    Measure(
        "active-ips",
        "IPS volunteers active at 31 March",
        "IPS",
        lambda i, s: s.count(i.figures.active_ips_at_end),
    ),
    Measure(
        "ips-per-1000",
        "Active IPS per 1,000 population aged 0-19",
        "IPS per 1,000",
        lambda i, s: _beside(_ips(i), _ratio(_ips(i), i.population, 1000, 3), s),
    ),
    Measure(
        "ips-newly-trained",
        "IPS newly trained in the year",
        "IPS",
        lambda i, s: s.count(i.figures.ips_newly_trained),
    ),
    Measure(
        "service-users",
        "Parent/carer service users in the year",
        "service users",
        lambda i, s: s.count(_users(i)),
    ),
    Measure(
        "service-users-per-1000",
        "Service users per 1,000 population aged 0-19",
        "service users per 1,000",
        lambda i, s: _beside(_users(i), _ratio(_users(i), i.population, 1000), s),
    ),
    Measure(
        "service-users-per-fte",
        "Service users per paid staff FTE",
        "service users per FTE",
        lambda i, s: _beside(_users(i), _ratio(_users(i), i.staff_fte, 1, 1), s),
    ),
    Measure(
        "service-users-per-ips",
        "Service users per active IPS",
        "service users per IPS",
        lambda i, s: _beside(_users(i), _beside(_ips(i), _ratio(_users(i), _ips(i), 1, 1), s), s),
    ),
    Measure(
        "response-within-2-days",
        "Approaches answered within 2 working days",
        "% of approaches received",
        _share_within,
    ),
)


def _number(cell) -> float | None:
    return float(cell) if isinstance(cell, int | float) and not isinstance(cell, bool) else None


def _average(value: float) -> float:
    return round(value, 3 if abs(value) < 1 else 2)


@dataclass(frozen=True)
class Comparison:
    measure: Measure
    table: Table
    # Positions in the table of the reader's own service (none for an analyst).
    highlight: tuple[int, ...]


def comparisons(
    year: Period,
    figures: dict[int, NetworkFigures],
    denominators: dict[int, YearlyDenominators],
    services: list[int],
    own: int | None,
) -> list[Comparison]:
    """Every measure's table: one row a service ("Service 3", "Service 3 (your service)"
    for the reader's own), highest first and words last, then the mean and median of the
    figures shown. A taking-part service with nothing recorded still has its row."""
    numbers = service_numbers(year, services)
    shown = Disclosure(exact=False)
    inputs = {s: _inputs(figures.get(s, NO_FIGURES), denominators.get(s)) for s in services}
    found = []
    for measure in MEASURES:
        cells = [(s, measure.shown(inputs[s], shown)) for s in services]
        # Highest first, as the benchmarking charts rank them; ties and words by number.
        cells.sort(key=lambda c: (_number(c[1]) is None, -(_number(c[1]) or 0), numbers[c[0]]))
        rows = tuple(
            (f"Service {numbers[s]}{YOUR_SERVICE if s == own else ''}", cell) for s, cell in cells
        )
        values = [v for _, cell in cells if (v := _number(cell)) is not None]
        foot = (
            ("Services with a figure shown", len(values)),
            ("Mean", _average(statistics.fmean(values)) if values else NOT_APPLICABLE),
            ("Median", _average(statistics.median(values)) if values else NOT_APPLICABLE),
        )
        hides = any(cell in (Disclosure.HIDDEN, "fewer than 5") for _, cell in cells)
        note = (
            "The mean and median are of the figures shown. Counts from 1 to 4 show as "
            "“fewer than 5”, and a figure made from such a count is hidden."
            if hides
            else "The mean and median are of the figures shown."
        )
        found.append(
            Comparison(
                measure=measure,
                table=Table(
                    slug=measure.slug,
                    caption=f"{measure.title}, {year.label}",
                    header=("Service", measure.unit),
                    rows=rows,
                    foot=foot,
                    note=note,
                ),
                highlight=tuple(i for i, (s, _) in enumerate(cells) if s == own),
            )
        )
    return found
