"""Early warning for targets: each target's cumulative monthly series this year and its year-end
projection (`cchc.kit.projection`), for one unit at a time (the plan dashboard, the overview).

The series is the target's value over January..month m for every month m already over: for a
published metric, the metric over that cumulative span; for a manual target, the sums of its monthly
measurements up to m, or, when it is entered by part of year only, its Q1, H1 and nine-month figures
(months 3, 6 and 9). Everything is read with a fixed number of queries whatever the number of units:
one per metric and month, one for all the manual measurements.
"""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from cchc.core import metrics
from cchc.core.metrics import Ratio
from cchc.core.periods import Period
from cchc.kit.projection import Projection, project
from cchc.plans.models import Measurement, Target, TargetUnit
from cchc.plans.queries.targets import ADDITIVE_UNITS, root_target
from cchc.units.models import Unit

# Part-of-year periods that start in January: their figures are cumulative by construction.
CUMULATIVE_PARTS = {"Q1": 3, "H1": 6, "M9": 9}


def cumulative_period(year: int, month: int) -> Period:
    """January..`month` of `year`, named by the usual key where there is one (Q1, H1, M9, the year)."""
    end = datetime.date(year, month, calendar.monthrange(year, month)[1])
    names = {1: f"{year}-01", 3: f"{year}-Q1", 6: f"{year}-H1", 9: f"{year}-M9", 12: str(year)}
    return Period(datetime.date(year, 1, 1), end, names.get(month, f"{year}-M{month}"))


def months_so_far(year: int, today: datetime.date) -> int:
    """Months of `year` whose figures are complete: all twelve for a past year, none for a future
    one, else those before the current month (a month under way would read as a slow month)."""
    if today.year > year:
        return 12
    if today.year < year:
        return 0
    return today.month - 1


def _value(ratio: Ratio | None) -> float | None:
    value = None if ratio is None else ratio.value
    return None if value is None else float(value)


def _manual_series(
    targets: Sequence[Target], unit: Unit, year: int, last: int
) -> dict[int, list[tuple[int, float]]]:
    """Cumulative points of manual targets from their measurements under `unit` (one query)."""
    roots = {target.pk: root_target(target) for target in targets}
    rows = Measurement.objects.filter(
        target__in={root.pk for root in roots.values()},
        unit__path__startswith=unit.path,
        period__startswith=str(year),
    ).values_list("target_id", "period", "numerator", "denominator")
    sums: dict[tuple[int, str], Ratio] = {}
    for target_id, period, numerator, denominator in rows:
        ratio = Ratio(numerator, denominator)
        key = (target_id, period[5:])
        before = sums.get(key)
        try:
            sums[key] = ratio if before is None else before + ratio
        except ValueError:
            continue  # a rate entered beside a quantity: not a series
    series: dict[int, list[tuple[int, float]]] = {}
    for pk, root in roots.items():
        monthly = {
            int(part): ratio for (tid, part), ratio in sums.items() if tid == root.pk and part.isdigit()
        }
        points: list[tuple[int, float]] = []
        if monthly:
            running: Ratio | None = None
            for month in range(1, last + 1):
                if month in monthly:
                    running = monthly[month] if running is None else running + monthly[month]
                value = _value(running)
                if value is not None and month in monthly:
                    points.append((month, value))
        else:
            for part, month in CUMULATIVE_PARTS.items():
                value = _value(sums.get((root.pk, part)))
                if value is not None and month <= last:
                    points.append((month, value))
        series[pk] = points
    return series


def series_for(targets: Sequence[Target], unit: Unit, year: int, today: datetime.date) -> dict[int, list]:
    """For each target, its points (month, cumulative value) at `unit` in `year` so far."""
    last = months_so_far(year, today)
    series: dict[int, list[tuple[int, float]]] = {target.pk: [] for target in targets}
    if last == 0 or not targets:
        return series
    # A rank does not add up month by month (nor over units): it has no cumulative series.
    manual = [
        target for target in targets if target.data_source == "manual" and target.unit in ADDITIVE_UNITS
    ]
    if manual:
        series.update(_manual_series(manual, unit, year, last))
    sources: dict[str, list[Target]] = defaultdict(list)
    for target in targets:
        if target.data_source != "manual":
            sources[target.data_source].append(target)
    for key, of_source in sources.items():
        for month in range(1, last + 1):
            value = _value(metrics.compute_many(key, [unit], cumulative_period(year, month)).get(unit.pk))
            if value is not None:
                for target in of_source:
                    series[target.pk].append((month, value))
    return series


def bounds_for(target: Target) -> tuple[float | None, float | None]:
    """What a target's figure can be: a rate stays within 0–100, a count or an amount is never negative."""
    if target.unit == TargetUnit.PERCENT:
        return (0.0, 100.0)
    if target.unit == TargetUnit.RANK:
        return (1.0, None)
    return (0.0, None)


def projections(
    targets: Sequence[Target],
    unit: Unit,
    year: int,
    today: datetime.date,
    goals: dict[int, Decimal] | None = None,
) -> dict[int, Projection | None]:
    """Each target's year-end projection at `unit` (None: fewer than 3 months, or the year is over).
    `goals`: the goal per target where it differs from the target's value (a unit's own value)."""
    if today.year != year:
        return {target.pk: None for target in targets}
    goals = goals or {}
    series = series_for(targets, unit, year, today)
    return {
        target.pk: project(
            series[target.pk],
            goals.get(target.pk, target.value),
            target.comparator,
            bounds=bounds_for(target),
        )
        for target in targets
    }
