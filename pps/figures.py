"""How a figure is rounded where readers see it (docs/domain.md, "Percentages"): to one
decimal, a half rounded up, as a person working it out by hand would."""

from decimal import ROUND_HALF_UP, Decimal


def one_decimal(value) -> float | None:
    """The value to one decimal, a half rounded up (12.25 is 12.3); None stays None."""
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def percent(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole` to one decimal, a half rounded up; None of 0."""
    if not whole:
        return None
    return one_decimal(Decimal(100 * part) / Decimal(whole))
