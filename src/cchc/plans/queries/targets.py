"""Reading plans: a target's value for a unit and period, its state against the goal, and the same
for many targets and units at once (the plan pages and the dashboard)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from cchc.core import metrics
from cchc.core.metrics import Ratio
from cchc.core.periods import Period
from cchc.plans.models import DeadlineKind, Measurement, Target, TargetUnitValue, Task, TaskStatus
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
    """The target's value over `unit` and everything below it: sums of numerators and denominators."""
    if target.data_source != "manual":
        # A metric no installed module publishes reads as "no data", as on the dashboard.
        metric = metrics.find(target.data_source)
        return None if metric is None else metric.compute(unit, period)
    rows = Measurement.objects.filter(
        target=root_target(target), unit__path__startswith=unit.path, period=period.key
    ).aggregate(numerator=Sum("numerator"), denominator=Sum("denominator"))
    if rows["numerator"] is None:
        return None
    return Ratio(rows["numerator"], rows["denominator"])


@dataclass(frozen=True)
class TargetReading:
    target: Target
    unit: Unit
    period: Period
    ratio: Ratio | None
    goal: Decimal

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
    return TargetReading(target, unit, period, measured(target, unit, period), goal_for(target, unit))


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


def _summed(rows: list[tuple[str, Any, Any]], path: str) -> Ratio | None:
    """What queries.measured computes in SQL: sums over the unit and everything below it."""
    matching = [
        (numerator, denominator) for row_path, numerator, denominator in rows if row_path.startswith(path)
    ]
    if not matching:
        return None
    denominators = [denominator for _n, denominator in matching if denominator is not None]
    return Ratio(sum(n for n, _d in matching), sum(denominators) if denominators else None)


def read_many(pairs: Iterable[tuple[Target, Unit]], period: Period) -> list[TargetReading]:
    """`read_target` for many (target, unit) pairs at a fixed cost: two queries for all the manual
    targets, and one `metrics.compute_many` per published metric for all the units it is read for.
    A metric no installed module publishes reads as no data."""
    pairs = list(pairs)
    targets = {target.pk: target for target, _unit in pairs}
    roots = {pk: root_target(t) for pk, t in targets.items() if t.data_source == "manual"}
    rows: dict[int, list[tuple[str, Any, Any]]] = defaultdict(list)
    if roots:
        found = Measurement.objects.filter(
            target__in={root.pk for root in roots.values()}, period=period.key
        ).values_list("target_id", "unit__path", "numerator", "denominator")
        for target_id, path, numerator, denominator in found:
            rows[target_id].append((path, numerator, denominator))
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
        if target.pk in roots:
            ratio = _summed(rows[roots[target.pk].pk], unit.path)
        else:
            ratio = published[target.data_source].get(unit.pk)
        goal = goals.get((target.pk, unit.pk), target.value)
        readings.append(TargetReading(target, unit, period, ratio, goal))
    return readings
