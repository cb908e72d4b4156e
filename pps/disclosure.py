"""Small numbers (docs/domain.md, "Small numbers"): for readers who may not see personal data, a
count from 1 to 4 is shown as "fewer than 5", and a percentage made from such a count is hidden.

Every page, export and frozen figure that suppresses small numbers asks these, and
`hidden_cells` keeps a hidden count from being worked out from the figures beside it. Who
sees exact figures is decided here once, by `sees_exact_figures`.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from pps.roles import STAFF

FEWER_THAN_5 = "fewer than 5"


def sees_exact_figures(user) -> bool:
    """The disclosure policy: paid staff of the service see exact figures; everyone else
    (the steering group, network analysts, anything published) sees small numbers
    suppressed (docs/domain.md, "Small numbers")."""
    return getattr(user, "role", None) in STAFF


def is_small(count) -> bool:
    """A count that could point at a family: 1 to 4 (0 points at nobody)."""
    return isinstance(count, int) and 0 < count < 5


def count_shown(count, *, public: bool):
    """The count as a reader sees it: "fewer than 5" for the public when it is small."""
    return FEWER_THAN_5 if public and is_small(count) else count


# A count hidden although it is 5 or more, because with the figures beside it it would give
# a count from 1 to 4 away.
HIDDEN = "hidden"


@dataclass(frozen=True)
class Line:
    """Cells a reader can add up: the parts and, when one is shown, their total. Any cells
    tied by a sum or a difference make a line (brought forward + new + re-opened - closed =
    carried forward); two cells that must show the same number make a line of two parts."""

    parts: tuple[Hashable, ...]
    total: Hashable | None = None


def hidden_cells(
    counts: Mapping[Hashable, int | None], lines: Iterable[Line], *, total_first: bool = False
) -> frozenset:
    """The cells to hide so that no count from 1 to 4 can be worked out by subtraction.

    Every small count is hidden (primary suppression). Then, until nothing changes, a line
    with exactly one hidden cell has one more hidden (complementary suppression): its
    smallest part above 0 not yet hidden, or its total when no such part is left (the total
    first when `total_first`), or at last a part of 0. With two cells unknown a line no
    longer gives either away. A cell missing from `counts`, or None (not recorded), is not
    a count and takes no part. Sorting is by value then by the order of the line, so the
    same table always loses the same cells.
    """
    lines = [
        Line(
            tuple(p for p in line.parts if counts.get(p) is not None),
            line.total if counts.get(line.total) is not None else None,
        )
        for line in lines
    ]
    hidden = {key for key, count in counts.items() if is_small(count)}
    changed = True
    while changed:
        changed = False
        for line in lines:
            cells = (*line.parts, *(() if line.total is None else (line.total,)))
            if sum(cell in hidden for cell in cells) != 1:
                continue
            pick = _complement(counts, line, hidden, total_first=total_first)
            if pick is not None:
                hidden.add(pick)
                changed = True
    return frozenset(hidden)


def _complement(counts, line: Line, hidden, *, total_first: bool):
    open_parts = [p for p in line.parts if p not in hidden]
    positive = sorted(
        (p for p in open_parts if counts[p] > 0), key=lambda p: (counts[p], line.parts.index(p))
    )
    total = line.total if line.total is not None and line.total not in hidden else None
    choices = [total, *positive] if total_first else [*positive, total]
    choices += [p for p in open_parts if counts[p] == 0]
    return next((cell for cell in choices if cell is not None), None)
