"""Metrics the plans module publishes for targets such as "100 % of units issue their CCHC plan"."""

from decimal import Decimal

from django.utils import timezone

from cchc.core.metrics import Ratio, register
from cchc.core.periods import Period
from cchc.plans.models import Plan, PlanStatus, ReportSchedule, UnitReport
from cchc.plans.reporting import ON_TIME, expected_units, timeliness
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


@register("plans.reports_on_time", "Báo cáo CCHC định kỳ gửi đúng hạn", "%")
def reports_on_time(unit: Unit, period: Period) -> Ratio | None:
    """Of the reports expected from units under `unit` in rounds due within the period (and already due),
    how many reached the reform office (approved by the unit's leader) by the round's due date."""
    today = timezone.localdate()
    schedules = ReportSchedule.objects.filter(
        due_on__gte=period.start, due_on__lte=min(period.end, today)
    ).select_related("plan__issuing_unit")
    expected = on_time = 0
    for schedule in schedules:
        units = list(expected_units(schedule).filter(path__startswith=unit.path).values_list("pk", flat=True))
        if not units:
            continue
        reports = {
            report.unit_id: report for report in UnitReport.objects.filter(schedule=schedule, unit__in=units)
        }
        expected += len(units)
        on_time += sum(timeliness(schedule, reports.get(pk), today) == ON_TIME for pk in units)
    if expected == 0:
        return None
    return Ratio(Decimal(on_time), Decimal(expected))
