"""Plans, areas, targets and measurements; cascading a plan to the units that implement it."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.permissions import ENTER, PLAN, has_unit_permission, require
from cchc.core import audit
from cchc.core.periods import Period
from cchc.kit import parsers
from cchc.plans.models import (
    Comparator,
    Measurement,
    Plan,
    PlanArea,
    PlanStatus,
    ReformArea,
    Target,
    TargetUnit,
    TargetUnitValue,
    Task,
    TaskStatus,
)
from cchc.units.models import Unit, UnitType

PLAN_FIELDS = ["issuing_unit", "number", "title", "issued_on", "year_from", "year_to", "parent", "status"]
TARGET_FIELDS = [
    "area",
    "code",
    "text",
    "measure",
    "comparator",
    "value",
    "unit",
    "scope_types",
    "data_source",
    "baseline",
]
MEASUREMENT_FIELDS = ["target", "unit", "period", "numerator", "denominator", "note"]


def _edit_action(plan: Plan) -> str:
    """The reform office edits the province's plans (PLAN); a unit's focal point edits its own unit
    plan (ENTER)."""
    return ENTER if plan.parent_id else PLAN


def require_plan_editor(actor: Any, plan: Plan) -> None:
    """PermissionDenied unless the actor may change the plan (the tasks services share this rule)."""
    require(actor, _edit_action(plan), plan.issuing_unit)


def may_edit(user: Any, plan: Plan) -> bool:
    """Whether `user` may change `plan`, by the rule the services enforce: pages ask it to decide
    which buttons to offer."""
    return plan.status != PlanStatus.CLOSED and has_unit_permission(
        user, _edit_action(plan), plan.issuing_unit
    )


def check_not_closed(plan: Plan) -> None:
    """A closed plan is history: refuse every change to it."""
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("The plan is closed; it can no longer be changed."))


@transaction.atomic
def create_plan(
    *,
    actor: Any,
    issuing_unit: Unit,
    title: str,
    year_from: int,
    year_to: int | None = None,
    number: str = "",
    issued_on: datetime.date | None = None,
    parent: Plan | None = None,
) -> Plan:
    plan = Plan(
        issuing_unit=issuing_unit,
        title=title.strip(),
        number=number.strip(),
        issued_on=issued_on,
        year_from=year_from,
        year_to=year_to or year_from,
        parent=parent,
    )
    require_plan_editor(actor, plan)
    if not plan.title:
        raise ValidationError({"title": _("The plan needs a title.")})
    if plan.year_to < plan.year_from:
        raise ValidationError({"year_to": _("The last year is before the first.")})
    if parent is not None and (
        parent.status != PlanStatus.ISSUED
        or parent.issuing_unit_id == issuing_unit.pk
        or not issuing_unit.path.startswith(parent.issuing_unit.path)
    ):
        raise ValidationError({"parent": _("A unit plan implements an issued plan of a unit above it.")})
    if parent is not None and Plan.objects.filter(issuing_unit=issuing_unit, parent=parent).exists():
        raise ValidationError(
            _("%(unit)s already has a plan implementing this one.") % {"unit": issuing_unit.name}
        )
    plan.save()
    audit.record(
        actor=actor,
        action="plan.create",
        obj=plan,
        unit=issuing_unit,
        after=audit.snapshot(plan, PLAN_FIELDS),
    )
    return plan


@transaction.atomic
def issue_plan(*, actor: Any, plan: Plan, number: str, issued_on: datetime.date) -> Plan:
    """Mark the plan as issued with its number and date; a unit plan's issue date is what the
    "units issued their plan" target counts."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require_plan_editor(actor, plan)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("Only a draft plan can be issued."))
    if not number.strip():
        raise ValidationError({"number": _("Give the plan's number and symbol, e.g. 95/KH-UBND.")})
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("The issue date cannot be in the future.")})
    before = audit.snapshot(plan, PLAN_FIELDS)
    plan.number, plan.issued_on, plan.status = number.strip(), issued_on, PlanStatus.ISSUED
    plan.save()
    audit.record(
        actor=actor,
        action="plan.issue",
        obj=plan,
        unit=plan.issuing_unit,
        before=before,
        after=audit.snapshot(plan, PLAN_FIELDS),
    )
    return plan


@transaction.atomic
def close_plan(*, actor: Any, plan: Plan) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require_plan_editor(actor, plan)
    before = audit.snapshot(plan, PLAN_FIELDS)
    plan.status = PlanStatus.CLOSED
    plan.save()
    audit.record(
        actor=actor,
        action="plan.close",
        obj=plan,
        unit=plan.issuing_unit,
        before=before,
        after=audit.snapshot(plan, PLAN_FIELDS),
    )
    return plan


@transaction.atomic
def add_area(
    *, actor: Any, plan: Plan, title: str, reform_area: ReformArea | None = None, order: int = 0
) -> PlanArea:
    require_plan_editor(actor, plan)
    check_not_closed(plan)
    title = (title or (reform_area.name if reform_area else "")).strip()
    if not title:
        raise ValidationError({"title": _("The area needs a title.")})
    area = PlanArea.objects.create(plan=plan, title=title, reform_area=reform_area, order=order)
    audit.record(actor=actor, action="plan.add_area", obj=plan, unit=plan.issuing_unit, after={"area": title})
    return area


def parse_number(value: Any, field: str, whole_digits: int = 11) -> Decimal:
    """A number typed by a person (the kit's reading: decimal comma or point), kept with three
    decimals, as the columns hold it, so that the audit trail shows what the database stores."""
    return parsers.parse_number(value, field=field, whole_digits=whole_digits).quantize(Decimal("0.001"))


def _validate_target(target: Target) -> None:
    if not target.text.strip():
        raise ValidationError({"text": _("The target needs a text.")})
    if target.comparator not in Comparator.values:
        raise ValidationError(
            {"comparator": _("Unknown comparator %(value)s.") % {"value": target.comparator}}
        )
    if target.unit not in TargetUnit.values:
        raise ValidationError({"unit": _("Unknown unit %(value)s.") % {"value": target.unit}})
    if target.unit == TargetUnit.PERCENT and not Decimal(0) <= target.value <= Decimal(100):
        raise ValidationError({"value": _("A percentage lies between 0 and 100.")})
    unknown = set(target.scope_types) - set(UnitType.values)
    if unknown:
        raise ValidationError(
            {"scope_types": _("Unknown unit types: %(types)s") % {"types": ", ".join(sorted(unknown))}}
        )
    if target.data_source != "manual":
        from cchc.core import metrics

        try:
            metrics.get(target.data_source)
        except KeyError:
            raise ValidationError(
                {"data_source": _("No metric is published as %(key)s.") % {"key": target.data_source}}
            ) from None
    if target.area is not None and target.area.plan_id != target.plan_id:
        raise ValidationError({"area": _("The area belongs to another plan.")})


@transaction.atomic
def add_target(
    *, actor: Any, plan: Plan, text: str, comparator: str, value: Any, unit: str = "%", **fields: Any
) -> Target:
    require_plan_editor(actor, plan)
    check_not_closed(plan)
    scope_units = fields.pop("scope_units", [])
    target = Target(
        plan=plan,
        text=text.strip(),
        comparator=comparator,
        value=parse_number(value, "value"),
        unit=unit,
        **fields,
    )
    if target.baseline is not None:
        target.baseline = parse_number(target.baseline, "baseline")
    _validate_target(target)
    target.save()
    if scope_units:
        target.scope_units.set(scope_units)
    audit.record(
        actor=actor,
        action="target.create",
        obj=target,
        unit=plan.issuing_unit,
        after=audit.snapshot(target, TARGET_FIELDS),
    )
    return target


@transaction.atomic
def update_target(*, actor: Any, target: Target, reason: str = "", **changes: Any) -> Target:
    target = Target.objects.select_for_update().select_related("plan").get(pk=target.pk)
    require_plan_editor(actor, target.plan)
    check_not_closed(target.plan)
    before = audit.snapshot(target, TARGET_FIELDS)
    for field, value in changes.items():
        if field not in TARGET_FIELDS:
            raise ValidationError(_("These fields cannot be changed here: %(fields)s") % {"fields": field})
        if field in {"value", "baseline"} and value is not None:
            value = parse_number(value, field)
        setattr(target, field, value)
    _validate_target(target)
    target.save()
    audit.record(
        actor=actor,
        action="target.update",
        obj=target,
        unit=target.plan.issuing_unit,
        before=before,
        after=audit.snapshot(target, TARGET_FIELDS),
        reason=reason,
    )
    return target


@transaction.atomic
def record_measurement(
    *,
    actor: Any,
    target: Target,
    unit: Unit,
    period: str,
    numerator: Any,
    denominator: Any = None,
    note: str = "",
) -> Measurement:
    """Enter (or correct) a unit's measured value of a manual target for a period.

    The value is stored on the target of the top plan (a cascaded copy passes it on), because that
    is where readings at every level sum it up.
    """
    from cchc.plans.queries import root_target

    require(actor, ENTER, unit)
    target = root_target(target)
    check_not_closed(target.plan)
    if not unit.path.startswith(target.plan.issuing_unit.path):
        raise ValidationError(
            _("%(unit)s is not under the unit that issued this plan.") % {"unit": unit.name}
        )
    if target.data_source != "manual":
        raise ValidationError(
            _("This target measures itself from %(key)s; it takes no manual value.")
            % {"key": target.data_source}
        )
    try:
        Period.parse(period)
    except ValueError as error:
        raise ValidationError({"period": str(error)}) from None
    numerator = parse_number(numerator, "numerator", whole_digits=13)
    denominator = (
        None if denominator in (None, "") else parse_number(denominator, "denominator", whole_digits=13)
    )
    if numerator < 0 or (denominator is not None and denominator < 0):
        raise ValidationError(_("Counts cannot be negative."))
    if target.unit == TargetUnit.PERCENT:
        if denominator is None:
            raise ValidationError(
                {"denominator": _("A percentage target needs the count measured against (the denominator).")}
            )
        if numerator > denominator:
            raise ValidationError({"numerator": _("The numerator cannot exceed the denominator.")})
    _refuse_if_period_accepted(target, unit, period)
    existing = Measurement.objects.select_for_update().filter(target=target, unit=unit, period=period).first()
    before = audit.snapshot(existing, MEASUREMENT_FIELDS) if existing else None
    measurement = existing or Measurement(target=target, unit=unit, period=period)
    measurement.numerator, measurement.denominator, measurement.note = numerator, denominator, note
    measurement.entered_by = actor if actor is not None and actor.is_authenticated else None
    measurement.save()
    audit.record(
        actor=actor,
        action="measurement.update" if existing else "measurement.create",
        obj=measurement,
        unit=unit,
        before=before,
        after=audit.snapshot(measurement, MEASUREMENT_FIELDS),
    )
    return measurement


def _refuse_if_period_accepted(target: Target, unit: Unit, period: str) -> None:
    """Once the reform office accepts a unit's report for a period, that unit's figures for it are final."""
    from cchc.plans.models import ReportStatus, UnitReport
    from cchc.plans.queries import root_target

    plan_id = root_target(target).plan_id
    # A unit's accepted figures include those of the units below it: their figures are final too.
    if UnitReport.objects.filter(
        unit__path__in=unit.ancestor_paths(),
        status=ReportStatus.ACCEPTED,
        schedule__period=period,
        schedule__plan_id=plan_id,
    ).exists():
        raise ValidationError(
            _("The report of %(unit)s for %(period)s has been accepted; its figures can no longer change.")
            % {"unit": unit.name, "period": period}
        )


def applies_to(target: Target, unit: Unit) -> bool:
    return target.applies_to_type(unit.type) or target.scope_units.filter(pk=unit.pk).exists()


@transaction.atomic
def cascade_plan(*, actor: Any, parent: Plan, unit: Unit) -> Plan:
    """Create `unit`'s own plan from `parent`, pre-filled with the targets and tasks that concern it.

    Targets come when their scope covers the unit's type or names the unit (with the unit's own value
    where the parent sets one); tasks come when the unit leads or coordinates them.
    """
    require(actor, ENTER, unit)
    if parent.status != PlanStatus.ISSUED:
        raise ValidationError(_("Only an issued plan can be cascaded."))
    if not unit.path.startswith(parent.issuing_unit.path) or unit.pk == parent.issuing_unit_id:
        raise ValidationError(
            _("%(unit)s is not under the unit that issued this plan.") % {"unit": unit.name}
        )
    years = (
        f"{parent.year_from}"
        if parent.year_from == parent.year_to
        else f"{parent.year_from}–{parent.year_to}"
    )
    plan = create_plan(
        actor=actor,
        issuing_unit=unit,
        parent=parent,
        year_from=parent.year_from,
        year_to=parent.year_to,
        title=_("Administrative reform plan %(years)s of %(unit)s") % {"years": years, "unit": unit.name},
    )
    areas: dict[int | None, PlanArea] = {}
    for area in parent.areas.all():
        areas[area.pk] = PlanArea.objects.create(
            plan=plan, title=area.title, reform_area=area.reform_area, order=area.order
        )
    for target in parent.targets.prefetch_related("scope_units", "unit_values"):
        if not applies_to(target, unit):
            continue
        own_value = next(
            (row.value for row in target.unit_values.all() if row.unit_id == unit.pk), target.value
        )
        Target.objects.create(
            plan=plan,
            area=areas.get(target.area_id),
            code=target.code,
            text=target.text,
            measure=target.measure,
            comparator=target.comparator,
            value=own_value,
            unit=target.unit,
            data_source=target.data_source,
            baseline=target.baseline,
            parent=target,
            order=target.order,
        )
    concerned = (
        parent.tasks.filter(lead_unit=unit) | parent.tasks.filter(coordinating_units=unit)
    ).distinct()
    for task in concerned.order_by("order", "id"):
        copy = Task.objects.create(
            plan=plan,
            area=areas.get(task.area_id),
            code=task.code,
            text=task.text,
            lead_unit=unit,
            deadline_kind=task.deadline_kind,
            deadline=task.deadline,
            expected_product=task.expected_product,
            status=TaskStatus.NOT_STARTED,
            parent=task,
            order=task.order,
        )
        if task.lead_unit_id != unit.pk:
            copy.coordinating_units.add(task.lead_unit)
    audit.record(
        actor=actor,
        action="plan.cascade",
        obj=plan,
        unit=unit,
        after={"parent": parent.pk, "targets": plan.targets.count(), "tasks": plan.tasks.count()},
    )
    return plan


@transaction.atomic
def set_unit_value(*, actor: Any, target: Target, unit: Unit, value: Any) -> TargetUnitValue:
    """Give one unit its own target value (e.g. 95 % for communes where the province asks 98,5 %)."""
    require_plan_editor(actor, target.plan)
    check_not_closed(target.plan)
    if not unit.path.startswith(target.plan.issuing_unit.path):
        raise ValidationError(
            _("%(unit)s is not under the unit that issued this plan.") % {"unit": unit.name}
        )
    number = parse_number(value, "value")
    if target.unit == TargetUnit.PERCENT and not Decimal(0) <= number <= Decimal(100):
        raise ValidationError({"value": _("A percentage lies between 0 and 100.")})
    row = TargetUnitValue.objects.filter(target=target, unit=unit).first()
    before = {"unit": unit.pk, "value": audit.json_value(row.value)} if row else None
    row, _created = TargetUnitValue.objects.update_or_create(
        target=target, unit=unit, defaults={"value": number}
    )
    audit.record(
        actor=actor,
        action="target.set_unit_value",
        obj=target,
        unit=unit,
        before=before,
        after={"unit": unit.pk, "value": audit.json_value(number)},
    )
    return row


@transaction.atomic
def attach_source_document(*, actor: Any, plan: Plan, name: str, content: Any) -> Plan:
    """Keep the document the plan was issued as (or imported from) with the plan."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require_plan_editor(actor, plan)
    before = {"source_document": plan.source_document.name or None, "source_name": plan.source_name}
    plan.source_name = name[:255]
    plan.source_document.save(name, content, save=True)
    audit.record(
        actor=actor,
        action="plan.attach_document",
        obj=plan,
        unit=plan.issuing_unit,
        before=before,
        after={"source_document": plan.source_document.name, "source_name": plan.source_name},
    )
    return plan
