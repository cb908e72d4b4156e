"""Figures as a reader may see them: the one presentation and disclosure layer between the
reporting queries and every page, PDF, CSV, XLSX and JSON document (docs/reporting.md).

Templates and exports receive `Table`s whose cells are already shown as text: whether a
reader sees exact figures is decided once, by `sees_exact_figures`.
"""

from dataclasses import dataclass

from pps.disclosure import FEWER_THAN_5, count_shown, is_small
from pps.roles import STAFF

# A figure with no record behind it (a month whose calls were never entered): never 0.
NOT_RECORDED = "not recorded"


def sees_exact_figures(user) -> bool:
    """The disclosure policy: paid staff of the service see exact figures; everyone else
    (the steering group, network analysts, anything published) sees small numbers
    suppressed (docs/domain.md, "Small numbers")."""
    return getattr(user, "role", None) in STAFF


@dataclass(frozen=True)
class Table:
    """A table as laid out on a page and written to a CSV, a sheet or JSON: every cell
    already shown as the reader may see it."""

    slug: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple, ...]
    foot: tuple[tuple, ...] = ()
    note: str = ""


class Disclosure:
    """Shows counts for one reader: exact, or with small numbers suppressed."""

    HIDDEN = f"hidden ({FEWER_THAN_5})"

    def __init__(self, *, exact: bool):
        self.exact = exact

    @classmethod
    def for_user(cls, user) -> "Disclosure":
        return cls(exact=sees_exact_figures(user))

    @property
    def suppress(self) -> bool:
        return not self.exact

    def _small(self, count) -> bool:
        return self.suppress and is_small(count)

    def count(self, count):
        if count is None:
            return NOT_RECORDED
        return count_shown(count, public=self.suppress)

    def total(self, total, *parts):
        """A total is hidden beside a part shown as "fewer than 5": it would give it away."""
        if any(self._small(part) for part in parts):
            return self.HIDDEN
        return self.count(total)

    def percent(self, value: float | None, *made_from) -> str:
        if any(self._small(count) for count in made_from):
            return self.HIDDEN
        return "" if value is None else f"{value:g}%"
