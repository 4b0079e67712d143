"""Reading the plan pages: the list of plans, a plan's areas with their targets and tasks, which
units may cascade it, and the rows of a target's page."""

from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from cchc.accounts.permissions import ENTER, ROLE_ACTIONS
from cchc.core.metrics import Ratio
from cchc.core.periods import Period
from cchc.plans.metrics import unit_plans_issued
from cchc.plans.models import Measurement, Plan, PlanStatus, Target
from cchc.plans.queries.targets import applies, overlaps, root_target
from cchc.units.models import Unit

ENTER_ROLES = [role for role, actions in ROLE_ACTIONS.items() if ENTER in actions]


def plan_list(user: Any) -> QuerySet[Plan]:
    """The plans the user sees, newest first, with how many targets and tasks each has."""
    return (
        Plan.objects.for_user(user)
        .select_related("issuing_unit", "parent")
        .annotate(target_count=Count("targets", distinct=True), task_count=Count("tasks", distinct=True))
        .order_by("-year_from", "issuing_unit__path", "pk")  # grouping drops Meta.ordering
    )


def units_that_issued_plans(plan: Plan, year: Period) -> Ratio | None:
    """Share of the units under the issuer that issued their own plan: itself a target, so the same
    metric counts it here."""
    return unit_plans_issued([plan.issuing_unit], year)[plan.issuing_unit.pk]


def cascade_units(user: Any, plan: Plan) -> list[Unit]:
    """The user's own units under the issuer that have no plan implementing this one yet."""
    if plan.status != PlanStatus.ISSUED:
        return []
    units = (
        Unit.objects.filter(role_assignments__user=user, role_assignments__role__in=ENTER_ROLES)
        .subtree(plan.issuing_unit)
        .exclude(pk=plan.issuing_unit_id)
        .exclude(plans__parent=plan)
        .active_on(timezone.localdate())
        .distinct()
    )
    return list(units.order_by("path"))


def by_area(plan: Plan) -> list[dict[str, Any]]:
    """The plan's areas in order, each with its targets and tasks; unfiled ones come last."""
    areas: list[dict[str, Any]] = [{"area": area, "targets": [], "tasks": []} for area in plan.areas.all()]
    index = {entry["area"].pk: entry for entry in areas}
    loose: dict[str, Any] = {"area": None, "targets": [], "tasks": []}
    for target in plan.targets.all():
        index.get(target.area_id, loose)["targets"].append(target)
    for task in plan.tasks.select_related("lead_unit"):
        index.get(task.area_id, loose)["tasks"].append(task)
    return areas + ([loose] if loose["targets"] or loose["tasks"] else [])


def target_units(target: Target, period: Period) -> list[Unit]:
    """The plan's issuer (the value of its whole tree) and the units just below it that the target
    covers. Deeper units add into these rows; their own values show on their own plans."""
    issuer = target.plan.issuing_unit
    below = Unit.objects.filter(parent=issuer).filter(overlaps(period)).order_by("type", "name")
    return [issuer] + [unit for unit in below if applies(target, unit)]


def entered(target: Target, period: Period, units: list[Unit]) -> dict[int, Measurement]:
    """The figures each unit entered itself (on the root target), shown beside the summed value so
    that a correction is easy."""
    measurements = Measurement.objects.filter(target=root_target(target), period=period.key, unit__in=units)
    return {row.unit_id: row for row in measurements}
