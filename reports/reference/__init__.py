"""Reference figures shipped with the product: the national means, medians and shares of
services that a benchmarking return is read beside (docs/reporting.md, "The benchmarking
return").

`nppn-benchmarking-2009.csv` holds the figures of the 2009 national benchmarking survey of
parent partnership services in England, one row per measure, each row naming the table or
chart of the published report it was read from (its `source` column).
"""

import csv
import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

NATIONAL_2009_FILE = Path(__file__).parent / "nppn-benchmarking-2009.csv"


@dataclass(frozen=True)
class NationalFigure:
    measure: str
    table: str
    period: str
    mean: Decimal | None
    median: Decimal | None
    services_percent: int | None  # the share of services answering yes, for yes/no facts
    returns: int
    note: str
    source: str


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


@functools.cache
def national_2009() -> dict[str, NationalFigure]:
    """The 2009 national figures by measure, read once per process."""
    with NATIONAL_2009_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["measure"]: NationalFigure(
                measure=row["measure"],
                table=row["table"],
                period=row["period"],
                mean=_decimal(row["national_mean"]),
                median=_decimal(row["national_median"]),
                services_percent=int(row["services_percent"]) if row["services_percent"] else None,
                returns=int(row["returns"]),
                note=row["note"],
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        }
