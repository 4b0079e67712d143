"""Checks shared by the PAR Index services."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.permissions import has_global_permission
from cchc.core.imports import ImportRefused  # noqa: F401 (the apps' services raise it from here)
from cchc.parindex.models import Campaign, Phase


class Conflict(ValidationError):
    """Someone else saved the same item since it was read: the save is refused, nothing is overwritten."""


def require_global(actor: Any, action: str) -> None:
    """Criteria sets belong to no unit: changing them needs the right on the whole province."""
    if actor is not None and not has_global_permission(actor, action):
        raise PermissionDenied(_("Only the reform office may change criteria sets."))


def require_phase(campaign: Campaign, phase: str) -> None:
    """Refuse a change outside its phase or after the phase's deadline (the end of that day)."""
    if campaign.phase != phase:
        raise ValidationError(
            _("This can only be done during the “%(phase)s” phase; the campaign is in “%(current)s”.")
            % {"phase": Phase(phase).label, "current": Phase(campaign.phase).label}
        )
    deadline = campaign.deadline(phase)
    if deadline is not None and timezone.localdate() > deadline:
        raise ValidationError(
            _("The deadline of the “%(phase)s” phase (%(day)s) has passed.")
            % {"phase": Phase(phase).label, "day": deadline.strftime("%d/%m/%Y")}
        )
