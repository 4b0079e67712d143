"""Who sees which rows of the plans app: the `for_user` querysets of its models.

A plan is public inside the unit tree it governs: whoever may view a unit sees the plans of that
unit, of the units below it, and of the units above it (a commune officer reads the province plan
it implements). What belongs to a plan (areas, targets, tasks, progress updates, reporting rounds)
follows its plan. Measurements and unit reports belong to the unit they are about. An inspection is
seen from the issuer's side and from the inspected unit's side; a finding from the issuer's side and
from the responsible unit's. Changing anything still needs a role on the unit concerned, which the
services check.
"""

from typing import Any

from django.db.models import Q

from cchc.core.scoping import VIEW, ScopedQuerySet, scope_filter, scope_paths
from cchc.units.models import PATH_STEP


def _ancestor_paths(path: str) -> list[str]:
    step = PATH_STEP + 1
    return [path[: i * step] for i in range(1, len(path) // step + 1)]


def plan_scope(user: Any, action: str, prefix: str = "") -> Q:
    """A Q on Plan (or on a model reaching its plan through `prefix`, e.g. "task__plan__").

    For viewing, a plan is also seen from below its issuer; any other action needs the action on the
    issuer itself (or above it), as everywhere else."""
    field = f"{prefix}issuing_unit__path"
    if action != VIEW:
        return scope_filter(user, action, field)
    paths = scope_paths(user, action)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path}) | Q(**{f"{field}__in": _ancestor_paths(path)})
    return condition


class PlanQuerySet(ScopedQuerySet):
    """Plans: seen by the units of the tree they govern, above and below the issuer."""

    plan_prefix = ""

    def scope(self, user: Any, action: str) -> Q:
        return plan_scope(user, action, self.plan_prefix)


class PlanPartQuerySet(PlanQuerySet):
    """Areas, targets, tasks and reporting rounds: seen by whoever sees their plan."""

    plan_prefix = "plan__"


class TargetPartQuerySet(PlanQuerySet):
    """A target's values for named units: seen by whoever sees the target's plan."""

    plan_prefix = "target__plan__"


class TaskPartQuerySet(PlanQuerySet):
    """Progress updates and deadline changes: seen by whoever sees the task's plan."""

    plan_prefix = "task__plan__"


class UnitRowQuerySet(ScopedQuerySet):
    """Rows about one unit (measurements, unit reports): seen within that unit's scope."""

    scope_path = "unit__path"


class InspectionPlanQuerySet(ScopedQuerySet):
    scope_path = "issuing_unit__path"


class InspectionQuerySet(ScopedQuerySet):
    """Seen by the issuer of the inspection plan and by the inspected unit."""

    def scope(self, user: Any, action: str) -> Q:
        return scope_filter(user, action, "plan__issuing_unit__path") | scope_filter(
            user, action, "inspected_unit__path"
        )


class FindingQuerySet(ScopedQuerySet):
    """Seen by the issuer of the inspection plan and by the unit that must remedy it."""

    def scope(self, user: Any, action: str) -> Q:
        return scope_filter(user, action, "inspection__plan__issuing_unit__path") | scope_filter(
            user, action, "responsible_unit__path"
        )
