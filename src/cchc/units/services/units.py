"""Every change to units, codes and lineage goes through here and leaves an audit entry."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core.models import LegalDocument
from cchc.units.models import PATH_STEP, LineageRelation, Unit, UnitCode, UnitLineage, UnitType, active_on_q

UNIT_FIELDS = ["name", "type", "kind", "code", "parent", "valid_from", "valid_to"]

# Which unit types may sit under which. Sub-units (divisions, centres) can sit under anything.
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    UnitType.PROVINCE: {None},
    UnitType.AGENCY: {UnitType.PROVINCE, None},
    UnitType.CENTRAL: {UnitType.PROVINCE},
    UnitType.DISTRICT: {UnitType.PROVINCE},
    UnitType.COMMUNE: {UnitType.PROVINCE, UnitType.DISTRICT},
    UnitType.SUBUNIT: {
        UnitType.PROVINCE,
        UnitType.AGENCY,
        UnitType.CENTRAL,
        UnitType.DISTRICT,
        UnitType.COMMUNE,
        UnitType.SUBUNIT,
    },
}


def _periods_overlap(
    a_from: datetime.date | None,
    a_to: datetime.date | None,
    b_from: datetime.date | None,
    b_to: datetime.date | None,
) -> bool:
    start_a = a_from or datetime.date.min
    end_a = a_to or datetime.date.max
    start_b = b_from or datetime.date.min
    end_b = b_to or datetime.date.max
    return start_a <= end_b and start_b <= end_a


def check_code_free(
    code: str,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    exclude_unit: Unit | None = None,
) -> None:
    """A code may be reused, but never by two units at the same time."""
    others = UnitCode.objects.filter(code=code).select_related("unit")
    if exclude_unit is not None:
        others = others.exclude(unit=exclude_unit)
    for other in others:
        if _periods_overlap(valid_from, valid_to, other.valid_from, other.valid_to):
            raise ValidationError(
                {
                    "code": _("Code %(code)s already belongs to %(unit)s in an overlapping period.")
                    % {"code": code, "unit": other.unit.name}
                }
            )


def _validate(unit: Unit) -> None:
    if not unit.name.strip():
        raise ValidationError({"name": _("The unit needs a name.")})
    if not unit.code.strip():
        raise ValidationError({"code": _("The unit needs a code.")})
    if unit.type not in UnitType.values:
        raise ValidationError({"type": _("Unknown unit type %(type)s.") % {"type": unit.type}})
    if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    parent_type = unit.parent.type if unit.parent else None
    if parent_type not in ALLOWED_PARENTS[unit.type]:
        raise ValidationError(
            {
                "parent": _("A unit of type “%(type)s” cannot sit under “%(parent)s”.")
                % {"type": unit.get_type_display(), "parent": unit.parent or "—"}
            }
        )


def _set_path(unit: Unit) -> None:
    prefix = unit.parent.path if unit.parent else ""
    unit.path = f"{prefix}{unit.pk:0{PATH_STEP}d}/"
    unit.depth = unit.parent.depth + 1 if unit.parent else 0


@transaction.atomic
def create_unit(
    *,
    actor: Any,
    name: str,
    type: str,
    code: str,
    parent: Unit | None = None,
    kind: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    legal_basis: LegalDocument | None = None,
) -> Unit:
    unit = Unit(
        name=name.strip(),
        type=type,
        code=code.strip(),
        parent=parent,
        kind=kind.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
    )
    _validate(unit)
    check_code_free(unit.code, valid_from, valid_to)
    unit.save()
    _set_path(unit)
    unit.save(update_fields=["path", "depth"])
    UnitCode.objects.create(
        unit=unit, code=unit.code, valid_from=valid_from, valid_to=valid_to, legal_basis=legal_basis
    )
    audit.record(
        actor=actor, action="unit.create", obj=unit, unit=unit, after=audit.snapshot(unit, UNIT_FIELDS)
    )
    return unit


@transaction.atomic
def update_unit(*, actor: Any, unit: Unit, reason: str = "", **changes: Any) -> Unit:
    """Change a unit's name, kind or validity. Codes change through `change_code`, parents never."""
    allowed = {"name", "kind", "valid_from", "valid_to"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = audit.snapshot(unit, UNIT_FIELDS)
    for field, value in changes.items():
        setattr(unit, field, value.strip() if isinstance(value, str) else value)
    _validate(unit)
    if before == audit.snapshot(unit, UNIT_FIELDS):
        return unit
    unit.save()
    # The unit's only code follows its validity; a unit with a code history keeps its rows.
    codes = list(unit.codes.all())
    if len(codes) == 1:
        check_code_free(codes[0].code, unit.valid_from, unit.valid_to, exclude_unit=unit)
        codes[0].valid_from, codes[0].valid_to = unit.valid_from, unit.valid_to
        codes[0].save()
    audit.record(
        actor=actor,
        action="unit.update",
        obj=unit,
        unit=unit,
        before=before,
        after=audit.snapshot(unit, UNIT_FIELDS),
        reason=reason,
    )
    return unit


@transaction.atomic
def change_code(
    *,
    actor: Any,
    unit: Unit,
    new_code: str,
    effective: datetime.date,
    legal_basis: LegalDocument | None = None,
) -> Unit:
    """Give the unit a new code from `effective` on; the old code stays in its history."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    new_code = new_code.strip()
    if not new_code:
        raise ValidationError({"code": _("The unit needs a code.")})
    current = unit.codes.filter(active_on_q(effective)).first()
    if current is None:
        raise ValidationError(
            {"effective": _("The unit has no code on %(date)s.") % {"date": f"{effective:%d/%m/%Y}"}}
        )
    if current.valid_from and current.valid_from >= effective:
        raise ValidationError({"effective": _("The new code must start after the current one started.")})
    check_code_free(new_code, effective, unit.valid_to, exclude_unit=unit)
    before = audit.snapshot(unit, UNIT_FIELDS)
    current.valid_to = effective - datetime.timedelta(days=1)
    current.save()
    UnitCode.objects.create(
        unit=unit, code=new_code, valid_from=effective, valid_to=unit.valid_to, legal_basis=legal_basis
    )
    unit.code = new_code
    unit.save(update_fields=["code", "updated_at"])
    audit.record(
        actor=actor,
        action="unit.change_code",
        obj=unit,
        unit=unit,
        before=before,
        after=audit.snapshot(unit, UNIT_FIELDS),
    )
    return unit


@transaction.atomic
def add_lineage(
    *,
    actor: Any,
    predecessor: Unit,
    successor: Unit,
    relation: str,
    effective_date: datetime.date,
    weight: Decimal = Decimal(1),
    area_share: Decimal | None = None,
    population_share: Decimal | None = None,
    legal_basis: LegalDocument | None = None,
    note: str = "",
) -> UnitLineage:
    if predecessor.pk == successor.pk:
        raise ValidationError(_("A unit cannot succeed itself."))
    if relation not in LineageRelation.values:
        raise ValidationError({"relation": _("Unknown relation %(relation)s.") % {"relation": relation}})
    weight = Decimal(weight)
    if not Decimal(0) < weight <= Decimal(1):
        raise ValidationError({"weight": _("The inherited share must be above 0 and at most 1.")})
    already = UnitLineage.objects.filter(predecessor=predecessor, effective_date=effective_date).exclude(
        successor=successor
    ).aggregate(total=Sum("weight"))["total"] or Decimal(0)
    if already + weight > Decimal("1.000001"):
        raise ValidationError(
            {"weight": _("The shares of %(unit)s would add up to more than 1.") % {"unit": predecessor.name}}
        )
    link, created = UnitLineage.objects.update_or_create(
        predecessor=predecessor,
        successor=successor,
        effective_date=effective_date,
        defaults={
            "relation": relation,
            "weight": weight,
            "area_share": area_share,
            "population_share": population_share,
            "legal_basis": legal_basis,
            "note": note,
        },
    )
    fields = [
        "predecessor",
        "successor",
        "relation",
        "effective_date",
        "weight",
        "area_share",
        "population_share",
    ]
    audit.record(
        actor=actor,
        action="lineage.create" if created else "lineage.update",
        obj=link,
        unit=successor,
        after=audit.snapshot(link, fields),
    )
    return link
