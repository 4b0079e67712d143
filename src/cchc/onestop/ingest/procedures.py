"""Reading and saving procedure rows (code, name, field, level, time_limit, time_unit, online, …)."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.kit.parsers import parse_date, parse_yes_no
from cchc.onestop.models import LEGACY_ONLINE_LEVELS, OnlineLevel, Procedure, TimeUnit

REQUIRED = ("code", "name", "field", "time_limit", "time_unit", "online")
TIME_UNITS = {
    "working_day": TimeUnit.WORKING_DAY,
    "ngày làm việc": TimeUnit.WORKING_DAY,
    "day": TimeUnit.DAY,
    "ngày": TimeUnit.DAY,
    "hour": TimeUnit.HOUR,
    "giờ": TimeUnit.HOUR,
}
ONLINE = {
    "none": OnlineLevel.NONE,
    "không": OnlineLevel.NONE,
    "partial": OnlineLevel.PARTIAL,
    "một phần": OnlineLevel.PARTIAL,
    "full": OnlineLevel.FULL,
    "toàn trình": OnlineLevel.FULL,
    **LEGACY_ONLINE_LEVELS,
}
FIELDS = (
    "name",
    "field",
    "level",
    "time_limit",
    "time_unit",
    "online",
    "has_fee",
    "written_result",
    "valid_from",
    "valid_to",
)


def missing_columns(columns: list[str]) -> list[str]:
    return [name for name in REQUIRED if name not in columns]


def _text(record: dict[str, Any], name: str) -> str:
    return str(record.get(name) or "").strip()


# A spreadsheet's date cell with a time of day comes through the reader as "2026-01-31 08:00:00".
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def read(record: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The procedure's values from one row, and the row's problems as (column, message)."""
    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {"row": record["_row"], "code": _text(record, "code")}
    if not values["code"]:
        problems.append(("code", _("The procedure code is missing.")))
    elif len(values["code"]) > 64:
        problems.append(("code", _("The procedure code is longer than 64 characters.")))
    for name in ("name", "field"):
        values[name] = _text(record, name)
        if not values[name]:
            problems.append((name, _("This column must not be empty.")))
    values["level"] = _text(record, "level")
    for name, longest in (("field", 255), ("level", 60)):
        if len(values[name]) > longest:
            problems.append((name, _("This column holds at most %(n)d characters.") % {"n": longest}))
    limit = _text(record, "time_limit").replace(",", ".")
    try:
        values["time_limit"] = Decimal(limit).quantize(Decimal("0.01")) if limit else None
        if values["time_limit"] is not None and not (0 <= values["time_limit"] < 100_000):
            raise InvalidOperation
    except InvalidOperation:
        problems.append(
            ("time_limit", _("“%(value)s” is not a time limit (a number, 0 or more).") % {"value": limit})
        )
    unit = _text(record, "time_unit").lower() or "working_day"
    values["time_unit"] = TIME_UNITS.get(unit)
    if values["time_unit"] is None:
        problems.append(
            (
                "time_unit",
                _("“%(value)s” is not a time unit: write working_day, day or hour.") % {"value": unit},
            )
        )
    online = _text(record, "online").lower() or "none"
    values["online"] = ONLINE.get(online)
    if values["online"] is None:
        problems.append(
            (
                "online",
                _("“%(value)s” is not an online level: write none, partial or full.") % {"value": online},
            )
        )
    for name, default in (("has_fee", False), ("written_result", True)):
        flag = _text(record, name).lower()
        answer = parse_yes_no(flag)
        if not flag:
            values[name] = default
        elif answer is not None:
            values[name] = answer
        else:
            problems.append((name, _("“%(value)s” is not yes or no.") % {"value": flag}))
    for name in ("valid_from", "valid_to"):
        text = _text(record, name)
        try:
            values[name] = parse_date(text[:10] if _MOMENT.match(text) else text, field=name)
        except ValidationError:
            problems.append(
                (name, _("“%(value)s” is not a date (write 2026-01-31 or 31/01/2026).") % {"value": text})
            )
    if values.get("valid_from") and values.get("valid_to") and values["valid_to"] < values["valid_from"]:
        problems.append(("valid_to", _("The end of validity is before its start.")))
    return values, problems


# What the rollups count by: a change of these makes the stored monthly figures stale.
ROLLUP_FIELDS = ("field", "online", "has_fee", "written_result")


def save(values: dict[str, Any], *, actor: Any) -> tuple[str, bool]:
    """Create or update one procedure with an audit row.

    Returns created, updated or unchanged, and whether a field the rollups count by changed.
    """
    procedure = Procedure.objects.filter(code=values["code"]).first()
    new = {name: values[name] for name in FIELDS}
    if procedure is None:
        procedure = Procedure.objects.create(code=values["code"], **new)
        audit.record(
            actor=actor,
            action="onestop.procedure_create",
            obj=procedure,
            before={},
            after=audit.snapshot(procedure, FIELDS),
        )
        return "created", False
    before = audit.snapshot(procedure, FIELDS)
    for name, value in new.items():
        setattr(procedure, name, value)
    after = audit.snapshot(procedure, FIELDS)
    if before == after:
        return "unchanged", False
    procedure.save()
    audit.record(actor=actor, action="onestop.procedure_update", obj=procedure, before=before, after=after)
    return "updated", any(before[name] != after[name] for name in ROLLUP_FIELDS)
