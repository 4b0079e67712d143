"""Checks shared by the PAR Index services."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from cchc.accounts.permissions import has_global_permission, has_unit_permission
from cchc.units.models import Unit


class ImportRefused(ValidationError):
    """A file with problems: every (row, column, message) is listed and nothing was written."""

    def __init__(self, errors: list[tuple[int | None, str, str]]):
        self.rows = errors
        super().__init__(
            [message if row is None else f"{row}/{column}: {message}" for row, column, message in errors]
        )


class Conflict(ValidationError):
    """Someone else saved the same item since it was read: the save is refused, nothing is overwritten."""


def require(actor: Any, action: str, unit: Unit) -> None:
    """Refuse unless the actor (None: the system) may do `action` on `unit`."""
    if actor is not None and not has_unit_permission(actor, action, unit):
        raise PermissionDenied(_("You may not do this for %(unit)s.") % {"unit": unit.name})


def require_global(actor: Any, action: str) -> None:
    """Criteria sets belong to no unit: changing them needs the right on the whole province."""
    if actor is not None and not has_global_permission(actor, action):
        raise PermissionDenied(_("Only the reform office may change criteria sets."))
