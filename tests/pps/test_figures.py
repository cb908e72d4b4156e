"""Percentages are rounded one way everywhere (docs/domain.md, "Percentages")."""

import pytest

from pps.figures import one_decimal, percent


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (1, 16, 6.3),  # 6.25: a half rounded up (Python's round() would give 6.2)
        (3, 16, 18.8),  # 18.75
        (1, 3, 33.3),
        (2, 3, 66.7),
        (0, 7, 0.0),
        (7, 7, 100.0),
        (1, 0, None),  # a percentage of nothing is not shown
    ],
)
def test_a_percentage_is_to_one_decimal_with_a_half_rounded_up(part, whole, shown):
    assert percent(part, whole) == shown


def test_one_decimal_rounds_a_half_up_and_keeps_none():
    assert one_decimal(0.25) == 0.3
    assert one_decimal(2.45) == 2.5
    assert one_decimal(None) is None
