"""Who holds a role where: the people a rule notifies."""

from collections.abc import Iterable
from typing import Any

from cchc.accounts.models import RoleAssignment, User


def holders(unit: Any, roles: Iterable[str], *, covering: bool = False) -> list[User]:
    """Active users holding one of `roles` on `unit` itself or, with `covering`, on it or a unit above.

    A focal point or a leader acts for their own unit; the reform office of the province covers every
    unit under it, so it is found with `covering`.
    """
    if unit is None:
        return []
    condition = {"unit__path__in": unit.ancestor_paths()} if covering else {"unit": unit}
    assignments = RoleAssignment.objects.filter(role__in=list(roles), user__is_active=True, **condition)
    users = {a.user.pk: a.user for a in assignments.select_related("user").order_by("user__username")}
    return list(users.values())


def holders_by_unit(unit_ids: Iterable[int], roles: Iterable[str]) -> dict[int, list[User]]:
    """For many units at once (one query): unit id -> active users holding one of `roles` on that unit."""
    found: dict[int, list[User]] = {}
    assignments = RoleAssignment.objects.filter(
        unit_id__in=set(unit_ids), role__in=list(roles), user__is_active=True
    ).select_related("user")
    for assignment in assignments.order_by("user__username"):
        people = found.setdefault(assignment.unit_id, [])
        if assignment.user not in people:
            people.append(assignment.user)
    return found


def but(people: Iterable[User], actor_id: int | None) -> tuple[User, ...]:
    """Everyone except the person who caused the event: nobody is told of their own act."""
    return tuple(person for person in people if person.pk != actor_id)
