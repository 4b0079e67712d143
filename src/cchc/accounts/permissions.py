"""Who may do what where: the one place that turns role assignments into query filters.

Every role assignment covers its unit and all units below it (the unit's path is a prefix
of theirs), so "may user U do A on unit X" is "does U hold a role allowing A on a unit whose
path starts X's path". Querysets call `scope_filter`; views call `has_unit_permission`.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from cchc.accounts.models import Role

# The actions are named in core.scoping, the door through which models reach these rules.
from cchc.core.scoping import ACTIONS, ADMINISTER, APPRAISE, APPROVE, ENTER, PLAN, SUBMIT, VIEW  # noqa: F401
from cchc.units.models import PATH_STEP, Unit, UnitLineage, UnitType

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(ACTIONS),
    Role.REFORM_OFFICE: frozenset({VIEW, ENTER, APPRAISE, PLAN}),
    Role.FOCAL_POINT: frozenset({VIEW, ENTER, SUBMIT}),
    Role.LEADER: frozenset({VIEW, SUBMIT, APPROVE}),
    Role.APPRAISER: frozenset({VIEW, APPRAISE}),
    Role.VIEWER: frozenset({VIEW}),
}

_CACHE_ATTR = "_cchc_scope_paths"
# Set on the request's user by accounts.api_token_auth when the call came with a named API key (an
# ApiToken): the user then acts with that key's one role assignment only, and never as a superuser.
API_TOKEN_ATTR = "cchc_api_token"


def api_token_of(user):
    """The ApiToken the user's request came with, or None (a web session, a command, the old tokens)."""
    return getattr(user, API_TOKEN_ATTR, None)


def acts_as_superuser(user) -> bool:
    """A superuser acting as such: not through an API key, which carries only its own role."""
    return bool(getattr(user, "is_superuser", False)) and api_token_of(user) is None


def _held_roles(user):
    """(role, unit path) of the roles the user acts with now: the key's one role, or all they hold."""
    token = api_token_of(user)
    if token is None:
        return user.role_assignments.values_list("role", "unit__path")
    assignment = token.role_assignment
    return [] if assignment is None else [(assignment.role, assignment.unit.path)]


def scope_paths(user, action: str) -> list[str] | None:
    """Paths of the units whose subtrees the user may `action` on; None means everywhere."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if acts_as_superuser(user):
        return None
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        for role, path in _held_roles(user):
            for allowed in ROLE_ACTIONS.get(role, ()):
                cache.setdefault(allowed, set()).add(path)
        _extend_to_provinces(cache)
        if VIEW in cache:
            cache[VIEW] |= _predecessor_paths(cache[VIEW])
        # Drop paths already covered by a shorter one so the filters stay small.
        cache = {key: _minimal(paths) for key, paths in cache.items()}
        setattr(user, _CACHE_ATTR, cache)
    return cache.get(action, [])


def _extend_to_provinces(cache: dict[str, set[str]]) -> None:
    """On the national instance, a role on the Ministry's unit reaches every province, old and new.

    The provinces are top-level units loaded from the official data, not units below the Ministry,
    so its people would otherwise see none of them; a province instance has no such unit."""
    code = settings.CCHC_NATIONAL_AUTHORITY_CODE
    if not (settings.CCHC_NATIONAL and code and cache):
        return
    authority = Unit.objects.filter(code=code, parent__isnull=True).values_list("path", flat=True).first()
    reaching = [paths for paths in cache.values() if authority in paths]
    if not reaching:
        return
    provinces = set(
        Unit.objects.filter(type=UnitType.PROVINCE, parent__isnull=True).values_list("path", flat=True)
    )
    for paths in reaching:
        paths |= provinces


def _predecessor_paths(paths: set[str]) -> set[str]:
    """Paths of the units that the units in `paths` (and below) continue, through any number of steps.

    Whoever sees a unit sees its history: the reform office of a province formed in 2025 reads the
    old provinces, districts and communes it came from. Only reading; changes stay within the roles.
    """
    found: set[str] = set()
    frontier = set(paths)
    while frontier:
        condition = Q()
        for path in frontier:
            condition |= Q(successor__path__startswith=path)
        older = set(UnitLineage.objects.filter(condition).values_list("predecessor__path", flat=True))
        frontier = {
            path for path in older - found - paths if not any(path.startswith(p) for p in found | paths)
        }
        found |= frontier
    return found


def _minimal(paths: set[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return sorted(kept)


def forget_cached_scope(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_filter(user, action: str, path_field: str) -> Q:
    """A Q object limiting rows to those whose unit path lies in the user's scope for `action`."""
    paths = scope_paths(user, action)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path_field}__startswith": path})
    return condition


def has_unit_permission(user, action: str, unit) -> bool:
    paths = scope_paths(user, action)
    if paths is None:
        return True
    return any(unit.path.startswith(path) for path in paths)


def has_global_permission(user, action: str) -> bool:
    """For settings that belong to no unit (the calendar): a role on a top-level unit, or superuser."""
    paths = scope_paths(user, action)
    if paths is None:
        return True
    return any(len(path) == PATH_STEP + 1 for path in paths)


def has_any_permission(user, action: str) -> bool:
    paths = scope_paths(user, action)
    return paths is None or bool(paths)


def require(actor, action: str, unit) -> None:
    """Refuse (PermissionDenied) unless the actor may do `action` on `unit`; None is the system.

    Services call this first, so a view, a command or the API cannot skip the check.
    """
    if actor is not None and not has_unit_permission(actor, action, unit):
        raise PermissionDenied(_("You may not do this for %(unit)s.") % {"unit": unit.name})
