"""Summing rows up the unit tree in memory, for metrics computed for many units at once.

Units carry a materialised path; a unit's subtree is every path that starts with its own. A metric
reads the rows under the units' common ancestor in one query, then counts, for each unit, the rows
whose path lies under it: a sorted list and two binary searches per unit.
"""

from bisect import bisect_left
from collections.abc import Iterable, Sequence

from cchc.units.models import PATH_STEP, Unit

# Greater than every character of a path (digits and "/"), so `path + AFTER` bounds its subtree.
AFTER = "~"


def common_path(units: Sequence[Unit]) -> str:
    """The path of the deepest unit above (or equal to) all `units`; "" when they share none."""
    paths = [unit.path for unit in units]
    if not paths:
        return ""
    # The common prefix of all strings is that of the smallest and the largest.
    first, last = min(paths), max(paths)
    length = 0
    while length < min(len(first), len(last)) and first[length] == last[length]:
        length += 1
    prefix = first[:length]
    step = PATH_STEP + 1
    return prefix[: len(prefix) // step * step]


def count_under(units: Iterable[Unit], paths: Iterable[str]) -> dict[int, int]:
    """For each unit, how many of `paths` (one per row, repeats counted) lie in its subtree."""
    ordered = sorted(paths)
    return {
        unit.pk: bisect_left(ordered, unit.path + AFTER) - bisect_left(ordered, unit.path) for unit in units
    }
