"""Checks and helpers shared by the survey and feedback services."""

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cchc.accounts.permissions import has_unit_permission
from cchc.core.imports import ImportRefused  # noqa: F401 (the apps' services raise it from here)
from cchc.units.models import Unit

# No 0/O, 1/I/L: codes are read aloud on the phone and copied from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def require(actor: Any, action: str, unit: Unit) -> None:
    """Refuse unless the actor (None: the system or an anonymous citizen) may do `action` on `unit`."""
    if actor is not None and not has_unit_permission(actor, action, unit):
        raise PermissionDenied(_("You may not do this for %(unit)s.") % {"unit": unit.name})


def random_code(length: int, prefix: str = "") -> str:
    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def signed_in(actor: Any) -> Any:
    """The user to store as the author, or None for the system and anonymous citizens."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None
