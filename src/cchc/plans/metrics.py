"""Metrics the plans module publishes for targets such as "100 % of units issue their CCHC plan"."""

from decimal import Decimal

from cchc.core.metrics import Ratio, register
from cchc.core.periods import Period
from cchc.plans.models import Plan, PlanStatus
from cchc.units.models import Unit, UnitType

PLANNING_TYPES = [UnitType.AGENCY, UnitType.COMMUNE]


@register("plans.unit_plans_issued", "Đơn vị ban hành kế hoạch CCHC", "%")
def unit_plans_issued(unit: Unit, period: Period) -> Ratio | None:
    """Of the agencies and communes under `unit` on the period's last day, how many had issued, by then,
    a plan of their own implementing a plan that covers the period's year."""
    expected = Unit.objects.subtree(unit).active_on(period.end).filter(type__in=PLANNING_TYPES)
    total = expected.count()
    if total == 0:
        return None
    issued = (
        Plan.objects.filter(
            issuing_unit__in=expected,
            parent__isnull=False,
            status__in=[PlanStatus.ISSUED, PlanStatus.CLOSED],
            issued_on__lte=period.end,
            year_from__lte=period.year,
            year_to__gte=period.year,
        )
        .values("issuing_unit")
        .distinct()
        .count()
    )
    return Ratio(Decimal(issued), Decimal(total))
