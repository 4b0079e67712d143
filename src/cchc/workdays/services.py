"""Every change to the calendar's overrides goes through here and leaves an audit entry."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.accounts.permissions import ADMINISTER, has_global_permission
from cchc.core import audit
from cchc.core.models import LegalDocument
from cchc.workdays import calendar
from cchc.workdays.models import CalendarOverride, OverrideKind

OVERRIDE_FIELDS = ["date", "kind", "name", "legal_basis", "note"]
EDITABLE_FIELDS = {"date", "kind", "name", "legal_basis", "note"}


def can_edit_calendar(user: Any) -> bool:
    """The calendar belongs to the whole province: only its administrators change it (None is the system)."""
    return user is None or has_global_permission(user, ADMINISTER)


def _check_permission(actor: Any) -> None:
    if not can_edit_calendar(actor):
        raise PermissionDenied(_("Only administrators of the province may change the working-day calendar."))


def _validate(override: CalendarOverride) -> None:
    if not isinstance(override.date, datetime.date):
        raise ValidationError({"date": _("A date is required.")})
    day = override.date
    shown = f"{day:%d/%m/%Y}"
    if not calendar.FIRST_YEAR <= day.year <= calendar.LAST_YEAR:
        raise ValidationError(
            {
                "date": _("The calendar covers the years %(first)s to %(last)s.")
                % {"first": calendar.FIRST_YEAR, "last": calendar.LAST_YEAR}
            }
        )
    if override.kind not in OverrideKind.values:
        raise ValidationError({"kind": _("Unknown kind of override “%(kind)s”.") % {"kind": override.kind}})
    if not override.name.strip():
        raise ValidationError({"name": _("Give the day a name, e.g. what it replaces.")})
    clash = CalendarOverride.objects.filter(date=day).exclude(pk=override.pk).first()
    if clash is not None:
        raise ValidationError(
            {"date": _("%(date)s already has an override: %(name)s.") % {"date": shown, "name": clash.name}}
        )
    # Checked against the statutory rule alone: an override that changes nothing would hide a mistake.
    base_working = calendar.is_base_working_day(day)
    if override.kind == OverrideKind.WORKING and base_working:
        raise ValidationError(
            {
                "kind": _("%(date)s is already a working day; an extra working day there changes nothing.")
                % {"date": shown}
            }
        )
    if override.kind == OverrideKind.DAY_OFF and not base_working:
        raise ValidationError(
            {
                "kind": _("%(date)s is already a day off; an extra day off there changes nothing.")
                % {"date": shown}
            }
        )


@transaction.atomic
def add_override(
    *,
    actor: Any,
    date: datetime.date,
    kind: str,
    name: str,
    legal_basis: LegalDocument | None = None,
    note: str = "",
    reason: str = "",
) -> CalendarOverride:
    """Open a day that is normally closed ("working") or close one that is normally open ("day_off")."""
    _check_permission(actor)
    override = CalendarOverride(
        date=date, kind=kind, name=name.strip(), legal_basis=legal_basis, note=note.strip()
    )
    _validate(override)
    override.save()
    audit.record(
        actor=actor,
        action="calendar_override.create",
        obj=override,
        after=audit.snapshot(override, OVERRIDE_FIELDS),
        reason=reason,
    )
    return override


@transaction.atomic
def update_override(
    *, actor: Any, override: CalendarOverride, reason: str = "", **changes: Any
) -> CalendarOverride:
    """Change an override's date, kind, name, legal basis or note."""
    _check_permission(actor)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    override = CalendarOverride.objects.select_for_update().get(pk=override.pk)
    before = audit.snapshot(override, OVERRIDE_FIELDS)
    for field, value in changes.items():
        setattr(override, field, value.strip() if isinstance(value, str) else value)
    _validate(override)
    after = audit.snapshot(override, OVERRIDE_FIELDS)
    if after == before:
        return override
    override.save()
    audit.record(
        actor=actor,
        action="calendar_override.update",
        obj=override,
        before=before,
        after=after,
        reason=reason,
    )
    return override


@transaction.atomic
def delete_override(*, actor: Any, override: CalendarOverride, reason: str = "") -> None:
    """Remove an override: the day follows the statutory rule again."""
    _check_permission(actor)
    override = CalendarOverride.objects.select_for_update().get(pk=override.pk)
    # Recorded before the row goes, while it still has its id.
    audit.record(
        actor=actor,
        action="calendar_override.delete",
        obj=override,
        before=audit.snapshot(override, OVERRIDE_FIELDS),
        reason=reason,
    )
    override.delete()
