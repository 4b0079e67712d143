"""Summing rows up the unit tree in memory, for figures computed for many units at once.

Units carry a materialised path; a unit's subtree is every path that starts with its own. A metric or
a statistic reads the rows under the units' common ancestor (or under each separate subtree) in one
query, then gives each row to every asked unit above it: `owners` finds them by looking up the row's
ancestor paths, so the cost grows with the rows, not with rows times units.
"""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Q

from cchc.units.models import PATH_STEP, Unit

# Greater than every character of a path (digits and "/"), so `path + AFTER` bounds its subtree.
AFTER = "~"
LEVEL = PATH_STEP + 1  # characters of one level of a path, the slash included
# Beyond this many separate subtrees a filter reads whole provinces instead: SQLite limits the depth
# of an expression, and a long chain of ORs is slower than reading a little more.
MAX_SUBTREES = 100


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
    return prefix[: len(prefix) // LEVEL * LEVEL]


def count_under(units: Iterable[Unit], paths: Iterable[str]) -> dict[int, int]:
    """For each unit, how many of `paths` (one per row, repeats counted) lie in its subtree."""
    ordered = sorted(paths)
    return {
        unit.pk: bisect_left(ordered, unit.path + AFTER) - bisect_left(ordered, unit.path) for unit in units
    }


def by_path(units: Iterable[Unit]) -> dict[str, set[int]]:
    """The asked units by their path (a unit asked twice is one entry)."""
    found: dict[str, set[int]] = defaultdict(set)
    for unit in units:
        found[unit.path].add(unit.pk)
    return found


def owners(path: str, index: dict[str, set[int]]) -> set[int]:
    """The asked units (`index` from `by_path`) whose subtree holds a row at `path`."""
    found: set[int] = set()
    for end in range(LEVEL, len(path) + 1, LEVEL):
        found |= index.get(path[:end], set())
    return found


def under(index: dict[str, set[int]], field: str) -> Q:
    """Rows whose `field` (a unit path) lies under one of the asked units: one prefix match per
    separate subtree."""
    minimal: list[str] = []
    for path in sorted(index):
        # In sorted order a path under a kept root comes right after it, so the last root suffices.
        if not (minimal and path.startswith(minimal[-1])):
            minimal.append(path)
    if len(minimal) > MAX_SUBTREES:
        minimal = sorted({path[:LEVEL] for path in minimal})
    condition = Q(pk__in=[])
    for path in minimal:
        condition |= Q(**{f"{field}__startswith": path})
    return condition
