"""Checks shared by the plan services."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cchc.accounts.permissions import has_unit_permission
from cchc.units.models import Unit


def require(actor: Any, action: str, unit: Unit) -> None:
    """Refuse unless the actor (None: the system) may do `action` on `unit`."""
    if actor is not None and not has_unit_permission(actor, action, unit):
        raise PermissionDenied(_("You may not do this for %(unit)s.") % {"unit": unit.name})
