"""Reading plans: a target's value for a unit and period, its state against the goal, and the same
for many targets and units at once (the plan pages and the dashboard)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from cchc.core import metrics
from cchc.core.metrics import Ratio
from cchc.core.periods import Period
from cchc.plans.models import (
    DeadlineKind,
    Measurement,
    Plan,
    PlanStatus,
    Target,
    TargetUnitValue,
    Task,
    TaskStatus,
)
from cchc.plans.models.plans import compare
from cchc.units.models import Unit

MET = "met"
AT_RISK = "at_risk"
MISSED = "missed"
NO_DATA = "no_data"


def root_target(target: Target) -> Target:
    """Measurements live on the province's target; a cascaded copy reads them through its parents."""
    seen = set()
    while target.parent_id and target.parent_id not in seen:
        seen.add(target.pk)
        target = target.parent  # type: ignore[assignment]
    return target


def goal_for(target: Target, unit: Unit) -> Decimal:
    own = target.unit_values.filter(unit=unit).values_list("value", flat=True).first()
    return own if own is not None else target.value


def measured(target: Target, unit: Unit, period: Period) -> Ratio | None:
    """The target's value over `unit` and everything below it: sums of numerators and denominators.

    The same reading as the dashboard and the reports (`read_many`), for one pair."""
    return read_many([(target, unit)], period)[0].ratio


@dataclass(frozen=True)
class TargetReading:
    target: Target
    unit: Unit
    period: Period
    ratio: Ratio | None
    goal: Decimal
    units_with_data: int | None = None  # manual targets: how many units' figures the value sums

    @property
    def value(self) -> Decimal | None:
        return None if self.ratio is None else self.ratio.value

    @property
    def state(self) -> str:
        value = self.value
        if value is None:
            return NO_DATA
        if compare(value, self.target.comparator, self.goal):
            return MET
        return AT_RISK if self.period.end >= timezone.localdate() else MISSED


def read_target(target: Target, unit: Unit, period: Period) -> TargetReading:
    return read_many([(target, unit)], period)[0]


def overdue_tasks(plan_ids, on: datetime.date | None = None):
    on = on or timezone.localdate()
    return (
        Task.objects.filter(plan_id__in=plan_ids, deadline__lt=on)
        .exclude(deadline_kind=DeadlineKind.RECURRING)
        .exclude(status__in=[TaskStatus.DONE, TaskStatus.CANCELLED])
        .select_related("lead_unit", "plan")
    )


# Reading many targets at once.


def overlaps(period: Period) -> Q:
    """Units that existed at some point of the period."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=period.end)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=period.start)
    )


def applies(target: Target, unit: Unit) -> bool:
    """Like services.plans.applies_to, but on prefetched scope_units (no query per unit)."""
    return target.applies_to_type(unit.type) or any(named.pk == unit.pk for named in target.scope_units.all())


# A period a unit did not report on as a whole is read from the parts it did report on: the year
# from its halves, a half or the nine months from quarters, a quarter from months. Only figures
# that add up over time are read this way; a rank belongs to the period it was given for.
ADDITIVE_UNITS = ("%", "count", "tỷ đồng")


def period_parts(key: str) -> list[str]:
    """The periods that together make up `key` (none for a month): the tree the readings follow."""
    period = Period.parse(key)
    year, first, last = period.year, period.start.month, period.end.month
    if first == last:
        return []
    if (first, last) == (1, 12):
        return [f"{year:04d}-H1", f"{year:04d}-H2"]
    if (first, last) == (1, 9):
        return [f"{year:04d}-H1", f"{year:04d}-Q3"]
    if last - first == 5:
        quarter = first // 3 + 1
        return [f"{year:04d}-Q{quarter}", f"{year:04d}-Q{quarter + 1}"]
    return [f"{year:04d}-{month:02d}" for month in range(first, last + 1)]


def period_and_parts(key: str) -> set[str]:
    keys = {key}
    for part in period_parts(key):
        keys |= period_and_parts(part)
    return keys


Figure = tuple[Decimal, Decimal | None]


def unit_figure(by_period: dict[str, Figure], key: str, additive: bool) -> Figure | None:
    """One unit's figure for `key`: the one it gave for that period, else (additive figures only)
    the sum of its figures for every part of the period; None when a part is missing."""
    if key in by_period:
        return by_period[key]
    parts = period_parts(key) if additive else []
    figures = [unit_figure(by_period, part, additive) for part in parts]
    if not figures or any(figure is None for figure in figures):
        return None
    numerator = sum((figure[0] for figure in figures if figure), Decimal(0))
    denominators = [figure[1] for figure in figures if figure and figure[1] is not None]
    return numerator, (sum(denominators, Decimal(0)) if denominators else None)


def _summed(rows: list[tuple[str, int, str, Any, Any]], path: str, key: str, additive: bool):
    """The manual value over the unit at `path` and everything below it, and how many units it sums.

    A figure that does not add up (a rank) is never summed over units either: it is the unit's own,
    or the one unit below that entered one; several units' ranks and none of its own read as no data."""
    by_unit: dict[int, dict[str, Figure]] = defaultdict(dict)
    own: int | None = None
    for row_path, unit_id, period, numerator, denominator in rows:
        if row_path.startswith(path):
            by_unit[unit_id][period] = (numerator, denominator)
            own = unit_id if row_path == path else own
    figures = {unit_id: unit_figure(periods, key, additive) for unit_id, periods in by_unit.items()}
    found = {unit_id: figure for unit_id, figure in figures.items() if figure is not None}
    if not additive and len(found) > 1:
        found = {own: found[own]} if own in found else {}
    if not found:
        return None, 0
    denominators = [denominator for _n, denominator in found.values() if denominator is not None]
    numerator = sum((n for n, _d in found.values()), Decimal(0))
    return Ratio(numerator, sum(denominators, Decimal(0)) if denominators else None), len(found)


def read_many(pairs: Iterable[tuple[Target, Unit]], period: Period) -> list[TargetReading]:
    """The one way a target's value for (unit, period) is read — plan pages, dashboard, reports,
    API — for many (target, unit) pairs at a fixed cost: one query for all the manual targets'
    figures, one for the per-unit goals, and one `metrics.compute_many` per published metric for
    all the units it is read for. A metric no installed module publishes reads as no data."""
    pairs = list(pairs)
    targets = {target.pk: target for target, _unit in pairs}
    roots = {pk: root_target(t) for pk, t in targets.items() if t.data_source == "manual"}
    rows: dict[int, list[tuple[str, int, str, Any, Any]]] = defaultdict(list)
    if roots:
        found = Measurement.objects.filter(
            target__in={root.pk for root in roots.values()}, period__in=period_and_parts(period.key)
        ).values_list("target_id", "unit__path", "unit_id", "period", "numerator", "denominator")
        for target_id, *row in found:
            rows[target_id].append(tuple(row))  # type: ignore[arg-type]
    wanted: dict[str, dict[int, Unit]] = defaultdict(dict)
    for target, unit in pairs:
        if target.pk not in roots:
            wanted[target.data_source][unit.pk] = unit
    published = {
        key: metrics.compute_many(key, list(units.values()), period) for key, units in wanted.items()
    }
    goals = {
        (target_id, unit_id): value
        for target_id, unit_id, value in TargetUnitValue.objects.filter(target__in=targets).values_list(
            "target_id", "unit_id", "value"
        )
    }
    readings = []
    for target, unit in pairs:
        count: int | None = None
        if target.pk in roots:
            additive = target.unit in ADDITIVE_UNITS
            ratio, count = _summed(rows[roots[target.pk].pk], unit.path, period.key, additive)
        else:
            ratio = published[target.data_source].get(unit.pk)
        goal = goals.get((target.pk, unit.pk), target.value)
        readings.append(TargetReading(target, unit, period, ratio, goal, count))
    return readings


def issued_readings(unit: Unit, period: Period) -> list[TargetReading]:
    """Every target of the plans `unit` issued (status issued) covering the period's year, read for
    the unit and the period (the exchange package's plan targets), in plan and target order."""
    plans = Plan.objects.filter(
        issuing_unit=unit,
        status=PlanStatus.ISSUED,
        year_from__lte=period.year,
        year_to__gte=period.year,
    )
    targets = (
        Target.objects.filter(plan__in=plans)
        .select_related("plan", "parent")
        .order_by("plan__year_from", "plan_id", "order", "id")
    )
    return read_many([(target, unit) for target in targets], period)
