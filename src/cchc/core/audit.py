"""Writing the audit trail. Services call `record` inside their transaction.

How the actor acted, when not in person on the web, travels as a plain attribute on the actor object
(core imports no app above it): an authenticator sets `actor.cchc_audit_via` (`AUDIT_VIA_ATTR`) to a
short phrase, e.g. accounts' API keys set "qua khoá API «Tên khoá»", and `record` stores it in the
entry's `via`, shown next to the person on the change log and in the audit API.
"""

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from cchc.core.models import AuditEntry

AUDIT_VIA_ATTR = "cchc_audit_via"


def json_value(value: Any) -> Any:
    """A JSON-safe form of a model field value that keeps its meaning (dates as ISO, decimals as text)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields` of `obj`, ready to store as `before` or `after`.

    Foreign keys are stored by id (field name without the `_id` suffix, value the id).
    """
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            values[name] = getattr(obj, field.attname)
        else:
            values[name] = json_value(getattr(obj, name))
    return values


def signed_in(actor: Any) -> Any:
    """The user to store as an author, or None for the system and anonymous citizens."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def actor_label(actor: Any) -> str:
    if actor is None:
        return "hệ thống"
    full_name = getattr(actor, "full_name", "") or ""
    return f"{full_name} ({actor.get_username()})" if full_name else actor.get_username()


def via_label(actor: Any) -> str:
    """How the actor acted (see the module's docstring); empty for a person on the web or the system."""
    return str(getattr(actor, AUDIT_VIA_ATTR, "") or "")[:200] if actor is not None else ""


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    unit: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Write one audit entry. Must run inside the service's transaction, so both land or neither does."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the service's transaction.atomic block")
    return AuditEntry.objects.create(
        actor=signed_in(actor),
        actor_label=actor_label(actor),
        via=via_label(actor),
        action=action,
        object_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        unit=unit,
        before=before,
        after=after,
        reason=reason,
    )
