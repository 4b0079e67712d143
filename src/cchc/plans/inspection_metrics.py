"""Metrics the inspections publish for targets such as "≥ 30 % of agencies inspected" and
"100 % of findings remedied". Registered when this module is imported (from the app's ready()).

Exact definitions are in docs/inspections.md.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import cast

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from cchc.core.metrics import Ratio, register
from cchc.core.periods import Period
from cchc.plans.models import Finding, Inspection, InspectionPlan
from cchc.units.models import Unit, UnitType

# Since 1/7/2025 there is no district tier: coverage is over agencies (sở) and communes.
COVERED_TYPES = [UnitType.AGENCY, UnitType.COMMUNE]


def coverage(
    unit: Unit, period: Period, types: Sequence[str], plan: InspectionPlan | None = None
) -> Ratio | None:
    """Units of `types` in `unit`'s subtree (active on the period's last day) that had an inspection
    carried out within the period, over all those units; only `plan`'s inspections when given."""
    units = Unit.objects.subtree(unit).active_on(period.end).filter(type__in=types)
    total = units.count()
    if total == 0:
        return None
    done = Inspection.objects.filter(done_on__gte=period.start, done_on__lte=period.end)
    if plan is not None:
        done = done.filter(plan=plan)
    inspected = units.filter(pk__in=done.values("inspected_unit_id")).count()
    return Ratio(Decimal(inspected), Decimal(total))


# Labels stay lazy (cast only for the registry's type) so they show in the reader's language.
@register("inspections.coverage", cast(str, _("Agencies and communes inspected")), "%")
def coverage_all(unit: Unit, period: Period) -> Ratio | None:
    return coverage(unit, period, COVERED_TYPES)


@register("inspections.coverage_agencies", cast(str, _("Provincial agencies inspected")), "%")
def coverage_agencies(unit: Unit, period: Period) -> Ratio | None:
    return coverage(unit, period, [UnitType.AGENCY])


@register("inspections.coverage_communes", cast(str, _("Communes inspected")), "%")
def coverage_communes(unit: Unit, period: Period) -> Ratio | None:
    return coverage(unit, period, [UnitType.COMMUNE])


@register("inspections.findings_remedied", cast(str, _("Inspection findings remedied")), "%")
def findings_remedied(unit: Unit, period: Period) -> Ratio | None:
    """Findings falling due by the period's end (earlier periods included) whose responsible unit is in
    `unit`'s subtree; of those, how many are verified as remedied now."""
    counts = Finding.objects.filter(
        responsible_unit__path__startswith=unit.path, deadline__lte=period.end
    ).aggregate(total=Count("pk"), verified=Count("pk", filter=Q(state=Finding.VERIFIED)))
    if counts["total"] == 0:
        return None
    return Ratio(Decimal(counts["verified"]), Decimal(counts["total"]))
