"""The one way to scope rows: `Model.objects.for_user(user, action)`.

The rules that turn role assignments into filters live in `accounts.permissions`; this module is
the door every model goes through to reach them. It sits in `core`, the lowest floor, so that models
of any floor (units, the audit trail, the domain apps) can scope themselves without importing
`accounts`, which itself needs `units`. `accounts` installs its rules when Django starts
(`AccountsConfig.ready`).

A model whose rows belong to a unit gets a manager from `ScopedQuerySet` and names the lookup of
that unit's path (`scope_path`); `for_user` then keeps the rows in the user's scope for the action.
A model whose visibility follows another rule (a plan is also seen by the units below its issuer)
overrides `scope(user, action)`, or declares one of the named rules below as data (the plans
querysets' `visibility`, listed in docs/plans.md), so that the rule can be read, tested and changed
in one place:

- `unit_and_above(user, path_field, also)`: the row is seen by roles on its unit or on a unit above
  it, and by whoever may do one of the `also` actions on that unit (appraise: the reform office and
  appraisers), never by a sibling unit. Progress reports and their evidence files, which can hold
  personal data, follow it.
"""

from typing import Any, Protocol

from django.db import models

VIEW = "view"  # read a unit's data
ENTER = "enter"  # enter and edit a unit's data
SUBMIT = "submit"  # send a unit's data onwards (report, self-assessment)
APPROVE = "approve"  # approve the unit's submissions as its leader
APPRAISE = "appraise"  # appraise other units' submissions
PLAN = "plan"  # issue plans, targets and criteria; accept or return reports
ADMINISTER = "administer"  # manage units, users, roles and configuration

ACTIONS = (VIEW, ENTER, SUBMIT, APPROVE, APPRAISE, PLAN, ADMINISTER)


class Rules(Protocol):
    """What `accounts.permissions` provides."""

    def scope_paths(self, user: Any, action: str) -> list[str] | None: ...
    def scope_filter(self, user: Any, action: str, path_field: str) -> models.Q: ...
    def has_unit_permission(self, user: Any, action: str, unit: Any) -> bool: ...
    def has_global_permission(self, user: Any, action: str) -> bool: ...
    def has_any_permission(self, user: Any, action: str) -> bool: ...
    def require(self, actor: Any, action: str, unit: Any) -> None: ...


_rules: Rules | None = None


def install(rules: Rules) -> None:
    global _rules
    _rules = rules


def _installed() -> Rules:
    if _rules is None:  # only when accounts is missing from INSTALLED_APPS: a set-up mistake
        raise RuntimeError("No scoping rules are installed: is cchc.accounts in INSTALLED_APPS?")
    return _rules


def scope_paths(user: Any, action: str) -> list[str] | None:
    """The paths of the units whose subtrees the user may `action` on; None means everywhere. For
    querysets whose rule is more than a prefix match (plans are also seen from below)."""
    return _installed().scope_paths(user, action)


def scope_filter(user: Any, action: str, path_field: str) -> models.Q:
    """A Q keeping rows whose unit path (`path_field`) lies in the user's scope for `action`."""
    return _installed().scope_filter(user, action, path_field)


def has_unit_permission(user: Any, action: str, unit: Any) -> bool:
    return _installed().has_unit_permission(user, action, unit)


def has_global_permission(user: Any, action: str) -> bool:
    """For what belongs to no unit (the calendar): a role on a top-level unit, or a superuser."""
    return _installed().has_global_permission(user, action)


def has_any_permission(user: Any, action: str) -> bool:
    return _installed().has_any_permission(user, action)


def require(actor: Any, action: str, unit: Any) -> None:
    """PermissionDenied unless the actor may do `action` on `unit`; None is the system."""
    _installed().require(actor, action, unit)


def unit_and_above(user: Any, path_field: str, also: tuple[str, ...] = (APPRAISE,)) -> models.Q:
    """A Q keeping rows whose unit (`path_field`) the user may view, or may do one of `also` on: the
    unit itself and the units above it, never its siblings."""
    paths: set[str] = set()
    for action in (VIEW, *also):
        found = scope_paths(user, action)
        if found is None:
            return models.Q()
        paths.update(found)
    if not paths:
        return models.Q(pk__in=[])
    condition = models.Q()
    for path in sorted(paths):
        condition |= models.Q(**{f"{path_field}__startswith": path})
    return condition


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows which unit its rows belong to (`scope_path`, a lookup to a unit's path)."""

    scope_path = "unit__path"

    def scope(self, user: Any, action: str) -> models.Q:
        return scope_filter(user, action, self.scope_path)

    def for_user(self, user: Any, action: str = VIEW) -> "ScopedQuerySet":
        return self.filter(self.scope(user, action))
