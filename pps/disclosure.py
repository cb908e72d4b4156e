"""Small numbers (docs/domain.md, "Small numbers"): for readers who may not see personal data, a
count from 1 to 4 is shown as "fewer than 5", and a percentage made from such a count is hidden.

Every page, export and frozen figure that suppresses small numbers asks these two.
"""

FEWER_THAN_5 = "fewer than 5"


def is_small(count) -> bool:
    """A count that could point at a family: 1 to 4 (0 points at nobody)."""
    return isinstance(count, int) and 0 < count < 5


def count_shown(count, *, public: bool):
    """The count as a reader sees it: "fewer than 5" for the public when it is small."""
    return FEWER_THAN_5 if public and is_small(count) else count
