"""Checks shared by the PAR Index services."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from cchc.accounts.permissions import has_global_permission
from cchc.core.imports import ImportRefused  # noqa: F401 (the apps' services raise it from here)


class Conflict(ValidationError):
    """Someone else saved the same item since it was read: the save is refused, nothing is overwritten."""


def require_global(actor: Any, action: str) -> None:
    """Criteria sets belong to no unit: changing them needs the right on the whole province."""
    if actor is not None and not has_global_permission(actor, action):
        raise PermissionDenied(_("Only the reform office may change criteria sets."))
