"""Reading plans: a target's value for a unit and period, and its state against the goal."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from cchc.core import metrics
from cchc.core.metrics import Ratio
from cchc.core.periods import Period
from cchc.plans.models import Measurement, Plan, Target
from cchc.plans.models.plans import compare
from cchc.plans.scoping import plan_filter
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
        return metrics.get(target.data_source).compute(unit, period)
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


def plans_for(user):
    return Plan.objects.filter(plan_filter(user)).select_related("issuing_unit", "parent")


def overdue_tasks(plan_ids, on: datetime.date | None = None):
    from cchc.plans.models import DeadlineKind, Task, TaskStatus

    on = on or timezone.localdate()
    return (
        Task.objects.filter(plan_id__in=plan_ids, deadline__lt=on)
        .exclude(deadline_kind=DeadlineKind.RECURRING)
        .exclude(status__in=[TaskStatus.DONE, TaskStatus.CANCELLED])
        .select_related("lead_unit", "plan")
    )
