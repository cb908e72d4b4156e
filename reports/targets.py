"""The steering group dashboard's targets (docs/reporting.md, "The steering group dashboard"):
each measure's green and amber thresholds for a service, the defaults of a measure the
service has not set, the red/amber/green rating, and the one write that changes them."""

from dataclasses import dataclass
from enum import Enum

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pps.models import Service
from reports.models import Target

Measure = Target.Measure

# Thresholds of a measure a service has not set: (green, amber). Satisfaction's green is
# the service's own target; its amber, when not set, is 10 points below it.
DEFAULTS = {
    Measure.RESPONSE_TIME: (90, 75),
    Measure.RETURN_RATE: (30, 20),
    Measure.IPS_AVAILABLE: (10, 5),
    Measure.SUPERVISION: (90, 75),
}
SATISFACTION_AMBER_BELOW_TARGET = 10
PERCENTAGES = frozenset(set(Measure) - {Measure.IPS_AVAILABLE})


class Status(Enum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def words(self) -> str:
        """The status as a reader reads it: never the colour alone."""
        return {
            Status.GREEN: "Green: on target",
            Status.AMBER: "Amber: below target",
            Status.RED: "Red: well below target",
        }[self]


@dataclass(frozen=True)
class Thresholds:
    measure: str
    green: int
    amber: int
    # The version of the service's row (0: none yet, the defaults), for the edit form.
    version: int = 0

    @property
    def is_percent(self) -> bool:
        return self.measure in PERCENTAGES

    def shown(self, value: int) -> str:
        return f"{value}%" if self.is_percent else str(value)

    def rate(self, value: float | None) -> Status | None:
        """Green at or above the green threshold, amber at or above the amber one, red
        below it; None with no figure (nothing to rate)."""
        if value is None:
            return None
        if value >= self.green:
            return Status.GREEN
        if value >= self.amber:
            return Status.AMBER
        return Status.RED


def default_satisfaction_amber(target: int) -> int:
    return max(target - SATISFACTION_AMBER_BELOW_TARGET, 0)


def service_targets(service: Service) -> dict[str, Thresholds]:
    """Each measure's thresholds for `service` (the service's rows, else the defaults):
    one query."""
    rows = {row.measure: row for row in Target.objects.filter(service=service)}
    targets = {}
    for measure in Measure:
        row = rows.get(measure)
        if measure == Measure.SATISFACTION:
            green = service.satisfaction_target
            amber = row.amber if row else default_satisfaction_amber(green)
        else:
            green, amber = (row.green, row.amber) if row else DEFAULTS[measure]
        targets[measure] = Thresholds(measure, green, amber, row.version if row else 0)
    return targets


class TargetsConflict(Exception):
    """Someone saved the service's targets after the form was opened: nothing saved."""

    def __init__(self, current: dict[str, Thresholds]):
        super().__init__("The targets were saved by someone else since they were opened.")
        self.current = current


def save_targets(
    *, service: Service, by, thresholds: dict[str, tuple[int | None, int]], versions: dict[str, int]
) -> None:
    """Save the service's thresholds ({measure: (green, amber)}, satisfaction's green
    None), each measure's row only if it changed, unless someone saved a row since the
    form was opened at `versions` ({measure: version, 0 for none}): then TargetsConflict,
    nothing saved. Two first saves at once meet the unique constraint: the second is told
    of the conflict the same way."""
    _check(service, thresholds)
    try:
        with transaction.atomic():
            rows = {
                row.measure: row
                for row in Target.objects.select_for_update().filter(service=service)
            }
            if any((rows[m].version if m in rows else 0) != versions.get(m) for m in Measure):
                raise TargetsConflict(service_targets(service))
            for measure, (green, amber) in thresholds.items():
                row = rows.get(measure)
                if row is None:
                    row = Target(service=service, measure=measure)
                elif (row.green, row.amber) == (green, amber):
                    continue
                row.green, row.amber, row.updated_by = green, amber, by
                row.save()
    except IntegrityError:
        raise TargetsConflict(service_targets(service)) from None


def _check(service: Service, thresholds) -> None:
    errors = {}
    for measure, (green, amber) in thresholds.items():
        top = service.satisfaction_target if measure == Measure.SATISFACTION else green
        if top is not None and amber > top:
            errors[f"{measure}_amber"] = (
                f"The amber threshold must not be above the green one ({top})."
            )
        if measure in PERCENTAGES and max(amber, green or 0) > 100:
            errors[f"{measure}_amber"] = "A percentage cannot be above 100."
    if errors:
        raise ValidationError(errors)
