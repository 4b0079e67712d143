"""Metrics the plans module publishes for targets such as "100 % of units issue their CCHC plan",
"≥ 30 % of agencies inspected" and "100 % of findings remedied" (definitions of the inspection
metrics: docs/inspections.md). Registered when this module is imported (from the app's ready()).

Each is computed for many units at once with a fixed number of queries: the rows under the units'
common ancestor are read once, then each unit's figure sums the rows under its own path (a unit's
figure includes its sub-units). `paths.count_under` does that summing.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import cast

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.core.metrics import Ratio, register_many
from cchc.core.periods import Period
from cchc.plans.models import (
    Finding,
    Inspection,
    InspectionPlan,
    Plan,
    PlanStatus,
    ReportSchedule,
    UnitReport,
)
from cchc.plans.submissions import ON_TIME, expected_units, timeliness
from cchc.units.models import Unit, UnitType
from cchc.units.subtrees import common_path, count_under

PLANNING_TYPES = [UnitType.AGENCY, UnitType.COMMUNE]

Figures = dict[int, Ratio | None]


@register_many("plans.unit_plans_issued", "Đơn vị ban hành kế hoạch CCHC", "%")
def unit_plans_issued(units: Sequence[Unit], period: Period) -> dict[int, Ratio | None]:
    """Of the agencies and communes under each unit on the period's last day, how many had issued, by
    then, a plan of their own implementing a plan that covers the period's year. Two queries."""
    expected = (
        Unit.objects.filter(path__startswith=common_path(units))
        .active_on(period.end)
        .filter(type__in=PLANNING_TYPES)
    )
    expected_paths = list(expected.values_list("path", flat=True))
    issued_paths = list(
        Plan.objects.filter(
            issuing_unit__in=expected,
            parent__isnull=False,
            status__in=[PlanStatus.ISSUED, PlanStatus.CLOSED],
            issued_on__lte=period.end,
            year_from__lte=period.year,
            year_to__gte=period.year,
        )
        .values_list("issuing_unit__path", flat=True)
        # Plan's default ordering would add its columns to the DISTINCT and count a unit once per year.
        .order_by()
        .distinct()
    )
    totals = count_under(units, expected_paths)
    issued = count_under(units, issued_paths)
    return {
        unit.pk: Ratio(Decimal(issued[unit.pk]), Decimal(totals[unit.pk])) if totals[unit.pk] else None
        for unit in units
    }


@register_many("plans.reports_on_time", "Báo cáo CCHC định kỳ gửi đúng hạn", "%")
def reports_on_time(units: Sequence[Unit], period: Period) -> dict[int, Ratio | None]:
    """Of the reports expected from units under each unit in rounds due within the period (and already
    due), how many reached the reform office (approved by the unit's leader) by the round's due date.
    One query for the rounds and two per round, whatever the number of units."""
    today = timezone.localdate()
    base = common_path(units)
    schedules = ReportSchedule.objects.filter(
        due_on__gte=period.start, due_on__lte=min(period.end, today)
    ).select_related("plan__issuing_unit")
    expected_paths: list[str] = []
    on_time_paths: list[str] = []
    for schedule in schedules:
        expected = list(expected_units(schedule).filter(path__startswith=base).values_list("pk", "path"))
        if not expected:
            continue
        reports = {
            report.unit_id: report
            for report in UnitReport.objects.filter(
                schedule=schedule, unit__in=[pk for pk, _path in expected]
            )
        }
        expected_paths += [path for _pk, path in expected]
        on_time_paths += [
            path for pk, path in expected if timeliness(schedule, reports.get(pk), today) == ON_TIME
        ]
    totals = count_under(units, expected_paths)
    on_time = count_under(units, on_time_paths)
    return {
        unit.pk: Ratio(Decimal(on_time[unit.pk]), Decimal(totals[unit.pk])) if totals[unit.pk] else None
        for unit in units
    }


# Inspections

# Since 1/7/2025 there is no district tier: coverage is over agencies (sở) and communes.
COVERED_TYPES = [UnitType.AGENCY, UnitType.COMMUNE]


def coverage_many(
    units: Sequence[Unit], period: Period, types: Sequence[str], plan: InspectionPlan | None = None
) -> Figures:
    """For each unit: units of `types` in its subtree (active on the period's last day) that had an
    inspection carried out within the period, over all those units; only `plan`'s inspections when
    given. Two queries."""
    covered = (
        Unit.objects.filter(path__startswith=common_path(units)).active_on(period.end).filter(type__in=types)
    )
    done = Inspection.objects.filter(done_on__gte=period.start, done_on__lte=period.end)
    if plan is not None:
        done = done.filter(plan=plan)
    totals = count_under(units, covered.values_list("path", flat=True))
    inspected = count_under(
        units, covered.filter(pk__in=done.values("inspected_unit_id")).values_list("path", flat=True)
    )
    return {
        unit.pk: Ratio(Decimal(inspected[unit.pk]), Decimal(totals[unit.pk])) if totals[unit.pk] else None
        for unit in units
    }


def coverage(
    unit: Unit, period: Period, types: Sequence[str], plan: InspectionPlan | None = None
) -> Ratio | None:
    """`coverage_many` for one unit (the inspection plan's page)."""
    return coverage_many([unit], period, types, plan)[unit.pk]


# Labels stay lazy (cast only for the registry's type) so they show in the reader's language.
@register_many("inspections.coverage", cast(str, _("Agencies and communes inspected")), "%")
def coverage_all(units: Sequence[Unit], period: Period) -> Figures:
    return coverage_many(units, period, COVERED_TYPES)


@register_many("inspections.coverage_agencies", cast(str, _("Provincial agencies inspected")), "%")
def coverage_agencies(units: Sequence[Unit], period: Period) -> Figures:
    return coverage_many(units, period, [UnitType.AGENCY])


@register_many("inspections.coverage_communes", cast(str, _("Communes inspected")), "%")
def coverage_communes(units: Sequence[Unit], period: Period) -> Figures:
    return coverage_many(units, period, [UnitType.COMMUNE])


@register_many("inspections.findings_remedied", cast(str, _("Inspection findings remedied")), "%")
def findings_remedied(units: Sequence[Unit], period: Period) -> Figures:
    """Findings falling due by the period's end (earlier periods included) whose responsible unit is in
    each unit's subtree; of those, how many are verified as remedied now. One query."""
    rows = list(
        Finding.objects.filter(
            responsible_unit__path__startswith=common_path(units), deadline__lte=period.end
        ).values_list("responsible_unit__path", "state")
    )
    totals = count_under(units, [path for path, _state in rows])
    verified = count_under(units, [path for path, state in rows if state == Finding.VERIFIED])
    return {
        unit.pk: Ratio(Decimal(verified[unit.pk]), Decimal(totals[unit.pk])) if totals[unit.pk] else None
        for unit in units
    }
