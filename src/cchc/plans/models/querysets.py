"""Who sees which rows of the plans app: the `for_user` querysets of its models.

A plan is public inside the unit tree it governs: whoever may view a unit sees the plans of that
unit, of the units below it, and of the units above it (a commune officer reads the province plan
it implements). What belongs to a plan (areas, targets, tasks, deadline changes, reporting rounds)
follows its plan: their `visibility` is PLAN_WIDE. Progress updates are not plan-wide: their
narrative and evidence file can hold personal data, so they are seen by the reporting (lead) unit,
the units above it and whoever appraises it (the reform office, appraisers), not by the sibling units
that share the plan: OWN_UNIT_AND_ABOVE (docs/plans.md lists every model's rule). Measurements
and unit reports belong to the unit they are about. An inspection is
seen from the issuer's side and from the inspected unit's side; a finding from the issuer's side and
from the responsible unit's. Changing anything still needs a role on the unit concerned, which the
services check.
"""

from enum import StrEnum
from typing import Any

from django.db.models import Q

from cchc.core.scoping import VIEW, ScopedQuerySet, scope_filter, scope_paths, unit_and_above
from cchc.units.models import PATH_STEP


class Visibility(StrEnum):
    """Who sees the rows of a plan's parts, declared by each queryset (`visibility`)."""

    PLAN_WIDE = "plan-wide"  # whoever sees the plan
    OWN_UNIT_AND_ABOVE = "own-unit-and-above"  # the unit concerned, units above it, its appraisers


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
    """Plans: seen by the units of the tree they govern, above and below the issuer. A part of a plan
    names the way to its plan (`plan_prefix`), its `visibility` and, when that is not plan-wide, the
    way to the unit concerned (`unit_path`); viewing follows the visibility, any other action needs
    the action on the plan's issuer."""

    plan_prefix = ""
    visibility = Visibility.PLAN_WIDE
    unit_path = ""

    def scope(self, user: Any, action: str) -> Q:
        if action == VIEW and self.visibility == Visibility.OWN_UNIT_AND_ABOVE:
            return unit_and_above(user, self.unit_path)
        return plan_scope(user, action, self.plan_prefix)


class PlanPartQuerySet(PlanQuerySet):
    """Areas, targets, tasks and reporting rounds: seen by whoever sees their plan."""

    plan_prefix = "plan__"


class TargetPartQuerySet(PlanQuerySet):
    """A target's values for named units: seen by whoever sees the target's plan."""

    plan_prefix = "target__plan__"


class TaskPartQuerySet(PlanQuerySet):
    """Deadline changes: seen by whoever sees the task's plan."""

    plan_prefix = "task__plan__"


class ProgressQuerySet(TaskPartQuerySet):
    """Progress updates and their evidence: seen by the task's lead unit (which reports them), the
    units above it and whoever appraises it, not by sibling units of the same plan."""

    visibility = Visibility.OWN_UNIT_AND_ABOVE
    unit_path = "task__lead_unit__path"


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
