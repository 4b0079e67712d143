"""Which plans, tasks and targets a user sees.

A plan is public inside the unit tree it governs: whoever sees a unit sees the plans of that unit,
of the units below it, and of the units above it (a commune officer reads the province plan it
implements). Changing anything still needs a role on the unit concerned.
"""

from django.db.models import Q

from cchc.accounts.permissions import scope_paths
from cchc.units.models import PATH_STEP


def _ancestor_paths(path: str) -> list[str]:
    step = PATH_STEP + 1
    return [path[: i * step] for i in range(1, len(path) // step + 1)]


def plan_filter(user, prefix: str = "") -> Q:
    """A Q object on Plan (or on a related model via `prefix`, e.g. "plan__")."""
    paths = scope_paths(user, "view")
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    field = f"{prefix}issuing_unit__path"
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path}) | Q(**{f"{field}__in": _ancestor_paths(path)})
    return condition
