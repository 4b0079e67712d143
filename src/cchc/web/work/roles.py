"""Whose work is it: the units on which the user holds each role, read once per request.

Permissions say what a user *may* do; this page lists what is *theirs* to do. The administrator of a
province may submit any commune's report, but it is the commune's focal point who is waiting to.
So the work is tied to roles (docs/work.md has the table):

- the work a unit does itself (report progress, write its report, remedy a finding, self-assess,
  explain, answer feedback) waits for the focal points of that unit itself; what its leader does
  (approve a report, submit the self-assessment) for the leaders of that unit itself;
- the work of reviewing (accept reports and progress, decide deadline changes, verify remedies, route
  feedback) waits for the reform office, for the units it holds the role on and every unit below;
  appraising the PAR Index for the reform office and the appraisers likewise.

The domain querysets' `for_user` still limits every list, so nothing out of the user's sight appears.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from cchc.accounts.models import Role

_CACHE_ATTR = "_cchc_work_roles"


@dataclass
class Roles:
    """The user's role assignments, as unit ids (own-unit work) and paths (reviewing work)."""

    units: dict[str, set[int]] = field(default_factory=dict)
    paths: dict[str, set[str]] = field(default_factory=dict)

    def unit_ids(self, *roles: str) -> set[int]:
        return set().union(*(self.units.get(role, set()) for role in roles))

    def under(self, field_name: str, *roles: str) -> Q | None:
        """A Q keeping rows whose unit path (`field_name`) lies under a unit where the user holds one
        of `roles`; None when they hold none of them (the caller then skips the query)."""
        paths = sorted(set().union(*(self.paths.get(role, set()) for role in roles)))
        if not paths:
            return None
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{field_name}__startswith": path})
        return condition

    @property
    def focal(self) -> set[int]:
        return self.unit_ids(Role.FOCAL_POINT)

    @property
    def leading(self) -> set[int]:
        return self.unit_ids(Role.LEADER)


def roles_of(user) -> Roles:
    """The user's roles (one query, remembered on the user object for the rest of the request)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles = Roles()
    if user.is_authenticated and user.is_active:
        for role, unit_id, path in user.role_assignments.values_list("role", "unit_id", "unit__path"):
            roles.units.setdefault(role, set()).add(unit_id)
            roles.paths.setdefault(role, set()).add(path)
    setattr(user, _CACHE_ATTR, roles)
    return roles


REVIEWERS = (Role.REFORM_OFFICE,)
APPRAISERS = (Role.REFORM_OFFICE, Role.APPRAISER)
