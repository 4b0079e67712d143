"""A plan's targets and tasks as an XLSX workbook: exported and imported in the same format.

Import checks every row first and writes nothing unless all rows are right; rows are matched to
existing targets and tasks by their code (or, without a code, by their text), so importing the exported
file again changes nothing.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from cchc.core import metrics, tables, untrusted
from cchc.core.text import choice_value
from cchc.core.untrusted import TableLimits
from cchc.kit import parsers, xlsx
from cchc.plans.models import Comparator, DeadlineKind, Plan, PlanArea, TargetUnit
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services
from cchc.units.models import Unit, UnitType

TARGET_SHEET = "Chỉ tiêu"
TASK_SHEET = "Nhiệm vụ"
TARGET_COLUMNS = [
    "code",
    "area",
    "text",
    "measure",
    "comparator",
    "value",
    "unit",
    "scope_types",
    "data_source",
    "baseline",
]
TASK_COLUMNS = [
    "code",
    "area",
    "text",
    "lead_unit_code",
    "coordinating_unit_codes",
    "deadline_kind",
    "deadline",
    "expected_product",
]
# The headings a person reads; the machine names above are still accepted on import, and so are
# the stored values of choices ("date", "commune", ">=") beside their names ("Theo ngày", "≥").
TARGET_HEADINGS = {
    "code": gettext_lazy("Code"),
    "area": gettext_lazy("Area"),
    "text": gettext_lazy("Target"),
    "measure": gettext_lazy("What is measured"),
    "comparator": gettext_lazy("Comparison"),
    "value": gettext_lazy("Target value"),
    "unit": gettext_lazy("Unit of measure"),
    "scope_types": gettext_lazy("Unit types in scope"),
    "data_source": gettext_lazy("Data source"),
    "baseline": gettext_lazy("Baseline"),
}
TASK_HEADINGS = {
    "code": gettext_lazy("Code"),
    "area": gettext_lazy("Area"),
    "text": gettext_lazy("Task"),
    "lead_unit_code": gettext_lazy("Lead unit code"),
    "coordinating_unit_codes": gettext_lazy("Coordinating unit codes"),
    "deadline_kind": gettext_lazy("Kind of deadline"),
    "deadline": gettext_lazy("Deadline"),
    "expected_product": gettext_lazy("Expected product"),
}
MANUAL = "manual"
MANUAL_LABEL = gettext_lazy("Entered by hand")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral() else int(value)
    return value


def _write(sheet: Worksheet, header: list[str], rows: list[list[Any]]) -> None:
    """The header and the rows from A1; text stays text (kit.xlsx.put), so a task typed as "=..."
    never becomes a live formula in the exported workbook."""
    for number, values in enumerate([header, *rows], start=1):
        for column, value in enumerate(values, start=1):
            xlsx.put(sheet, number, column, value)


def _source_choices() -> list[tuple[str, Any]]:
    return [(MANUAL, MANUAL_LABEL), *((metric.key, metric.label) for metric in metrics.available())]


def _label(value: str, choices: Any) -> str:
    return str(dict(choices).get(value, value))


def export_plan(plan: Plan) -> bytes:
    workbook = Workbook()
    targets = workbook.active
    targets.title = TARGET_SHEET
    unit_types = dict(UnitType.choices)
    _write(
        targets,
        tables.headings_row(TARGET_COLUMNS, TARGET_HEADINGS),
        [
            [
                target.code,
                target.area.title if target.area else "",
                target.text,
                target.measure,
                _label(target.comparator, Comparator.choices),
                _plain(target.value),
                _label(target.unit, TargetUnit.choices),
                "; ".join(str(unit_types.get(kind, kind)) for kind in target.scope_types),
                _label(target.data_source, _source_choices()),
                _plain(target.baseline) if target.baseline is not None else None,
            ]
            for target in plan.targets.select_related("area").order_by("order", "id")
        ],
    )
    tasks = workbook.create_sheet(TASK_SHEET)
    _write(
        tasks,
        tables.headings_row(TASK_COLUMNS, TASK_HEADINGS),
        [
            [
                task.code,
                task.area.title if task.area else "",
                task.text,
                task.lead_unit.code,
                ",".join(sorted(unit.code for unit in task.coordinating_units.all())),
                _label(task.deadline_kind, DeadlineKind.choices),
                task.deadline,
                task.expected_product,
            ]
            for task in plan.tasks.select_related("area", "lead_unit")
            .prefetch_related("coordinating_units")
            .order_by("order", "id")
        ],
    )
    for sheet in (targets, tasks):
        for cell in sheet[1]:
            cell.font, cell.fill = Font(bold=True), HEADER_FILL
        sheet.freeze_panes = "A2"
        for number, column in enumerate(sheet.columns):
            sheet.column_dimensions[column[0].column_letter].width = 60 if number == 2 else 18
            for cell in column[1:]:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = xlsx.DAY
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class ImportResult:
    errors: list[tuple[str, int, str, str]] = field(default_factory=list)  # sheet, row, column, message
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _rows(
    sheet, columns: list[str], headings: dict[str, Any], result: ImportResult
) -> list[tuple[int, dict[str, Any]]]:
    """The sheet's rows as dicts of `columns`; `UntrustedFile` at the first row over a limit."""
    limits = TableLimits.from_settings()
    rows = tables.bounded_rows(tables.sheet_rows(sheet, limits), limits)
    first = next(rows, None)
    if first is None:
        return []
    positions = tables.header_positions(first[1], columns, headings)
    missing = [column for column in columns if column not in positions]
    if missing:
        named = ", ".join(tables.headings_row(missing, headings))
        result.errors.append((sheet.title, 1, named, _("Missing columns.")))
        return []
    found = []
    for number, values in rows:
        if all(value in (None, "") for value in values):
            continue
        found.append(
            (number, {column: values[at] if at < len(values) else None for column, at in positions.items()})
        )
    return found


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _number(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    # One parser for every way a number comes in: the services' own, with its size limits.
    try:
        return plan_services.parse_number(value, "value")
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None


def _day(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    # The kit's reading: a date cell, or text written dd/mm/yyyy or yyyy-mm-dd.
    try:
        return parsers.parse_date(value, field="deadline")
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None


def _unit(code: str, on: datetime.date) -> Unit:
    unit = Unit.objects.by_code(code, on).first()
    if unit is None:
        raise ValueError(_("No unit with code %(code)s.") % {"code": code})
    return unit


def _choice(written: str, choices: Any, default: str, message: str) -> str:
    """The stored value of a choice cell; `default` when empty; ValueError(message) when unknown."""
    if not written:
        return default
    value = choice_value(written, choices)
    if value is None:
        raise ValueError(message % {"value": written})
    return value


def _scope(written: str) -> list[str]:
    """Unit types: names separated by ";" as exported (a name may hold a comma, "Xã, phường, đặc
    khu"), or stored values separated by commas as older files were written."""
    scope, unknown = [], []
    for part in (item.strip() for item in written.split(";")):
        whole = choice_value(part, UnitType.choices) if part else None
        pieces = [whole] if whole else [piece.strip() for piece in part.split(",") if piece.strip()]
        for piece in pieces:
            value = whole or choice_value(piece, UnitType.choices)
            (scope if value else unknown).append(value or piece)
    if unknown:
        raise ValueError(_("Unknown unit types: %(types)s") % {"types": ", ".join(sorted(unknown))})
    return scope


def _check_target(row: dict[str, Any]) -> dict[str, Any]:
    comparator = _choice(_text(row["comparator"]), Comparator.choices, "", _("Unknown comparator %(value)s."))
    if not comparator:
        raise ValueError(_("Unknown comparator %(value)s.") % {"value": ""})
    unit = _choice(_text(row["unit"]), TargetUnit.choices, TargetUnit.PERCENT, _("Unknown unit %(value)s."))
    value = _number(row["value"])
    if value is None:
        raise ValueError(_("The value is empty."))
    source = _text(row["data_source"])
    return {
        "code": _text(row["code"]),
        "text": _text(row["text"]),
        "measure": _text(row["measure"]),
        "comparator": comparator,
        "value": value,
        "unit": unit,
        "scope_types": _scope(_text(row["scope_types"])),
        # A key no installed module publishes yet is kept as written: the target shows "no data".
        "data_source": (choice_value(source, _source_choices()) or source) if source else MANUAL,
        "baseline": _number(row["baseline"]),
    }


def import_plan(*, actor: Any, plan: Plan, content: bytes) -> ImportResult:
    """Validate the workbook, then create or update the plan's targets and tasks in one transaction."""
    result = ImportResult()
    # Permission first: the workbook of someone who may not change the plan is never opened.
    try:
        plan_services.require_plan_editor(actor, plan)
    except PermissionDenied as error:
        result.errors.append(("", 0, "", str(error) or _("You may not change this plan.")))
        return result
    try:
        untrusted.check_size(len(content))
        untrusted.check_zip(content, kind="XLSX")
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
    except untrusted.UntrustedFile as error:
        result.errors.append(("", 0, "", str(error)))
        return result
    except Exception:  # openpyxl raises several kinds of errors on files that are not workbooks
        result.errors.append(("", 0, "", _("The file cannot be read as an XLSX workbook.")))
        return result
    try:
        planned_targets, planned_tasks = _read(workbook, plan, result)
    except untrusted.UntrustedFile as error:
        result.errors = [("", 0, "", str(error))]
        return result
    finally:
        workbook.close()
    if result.errors:
        return result
    try:
        with transaction.atomic():
            _apply(actor, plan, planned_targets, planned_tasks, result)
            if result.errors:
                raise _Abort
    except _Abort:
        result.created = result.updated = result.unchanged = 0
    except PermissionDenied as error:
        result.errors.append(("", 0, "", str(error) or _("You may not change this plan.")))
    return result


def _read(workbook: Any, plan: Plan, result: ImportResult) -> tuple[list[Any], list[Any]]:
    """The targets and tasks the workbook plans, checked row by row (problems go to `result`)."""
    on = datetime.date(plan.year_from, 1, 1)
    planned_targets, planned_tasks = [], []
    if TARGET_SHEET in workbook.sheetnames:
        for number, row in _rows(workbook[TARGET_SHEET], TARGET_COLUMNS, TARGET_HEADINGS, result):
            try:
                planned_targets.append((number, _text(row["area"]), _check_target(row)))
            except ValueError as error:
                result.errors.append((TARGET_SHEET, number, "", str(error)))
    if TASK_SHEET in workbook.sheetnames:
        for number, row in _rows(workbook[TASK_SHEET], TASK_COLUMNS, TASK_HEADINGS, result):
            try:
                kind = _choice(
                    _text(row["deadline_kind"]),
                    DeadlineKind.choices,
                    DeadlineKind.DATE,
                    _("Unknown kind of deadline %(value)s."),
                )
                coordinating = [
                    _unit(code.strip(), on)
                    for code in _text(row["coordinating_unit_codes"]).split(",")
                    if code.strip()
                ]
                planned_tasks.append(
                    (
                        number,
                        _text(row["area"]),
                        {
                            "code": _text(row["code"]),
                            "text": _text(row["text"]),
                            "lead_unit": _unit(_text(row["lead_unit_code"]), on),
                            "coordinating_units": coordinating,
                            "deadline_kind": kind,
                            "deadline": _day(row["deadline"]),
                            "expected_product": _text(row["expected_product"]),
                        },
                    )
                )
            except ValueError as error:
                result.errors.append((TASK_SHEET, number, "", str(error)))
    if TARGET_SHEET not in workbook.sheetnames and TASK_SHEET not in workbook.sheetnames:
        result.errors.append(
            (
                "",
                0,
                "",
                _("The workbook has neither a “%(a)s” nor a “%(b)s” sheet.")
                % {"a": TARGET_SHEET, "b": TASK_SHEET},
            )
        )
    return planned_targets, planned_tasks


class _Abort(Exception):
    """Rolls the import back when a service refuses a row."""


def _area(actor: Any, plan: Plan, title: str) -> PlanArea | None:
    if not title:
        return None
    area = plan.areas.filter(title=title).first()
    return area or plan_services.add_area(actor=actor, plan=plan, title=title, order=plan.areas.count())


def _match(rows, fields: dict[str, Any]):
    """The existing row a workbook row stands for: same code, or same text where there is no code."""
    if fields["code"]:
        return rows.filter(code=fields["code"]).first()
    return rows.filter(code="", text=fields["text"]).first()


def _apply(actor: Any, plan: Plan, planned_targets, planned_tasks, result: ImportResult) -> None:
    for number, area_title, fields in planned_targets:
        try:
            area = _area(actor, plan, area_title)
            existing = _match(plan.targets, fields)
            if existing is None:
                plan_services.add_target(actor=actor, plan=plan, area=area, **fields)
                result.created += 1
                continue
            changes = {
                key: value
                for key, value in {**fields, "area": area}.items()
                if getattr(existing, key) != value
            }
            if changes:
                plan_services.update_target(
                    actor=actor, target=existing, reason=_("Imported from a workbook"), **changes
                )
                result.updated += 1
            else:
                result.unchanged += 1
        except ValidationError as error:
            result.errors.append((TARGET_SHEET, number, "", " ".join(error.messages)))
    for number, area_title, fields in planned_tasks:
        try:
            area = _area(actor, plan, area_title)
            existing = _match(plan.tasks, fields)
            if existing is None:
                task_services.add_task(actor=actor, plan=plan, area=area, **fields)
                result.created += 1
                continue
            editable = {
                "text": fields["text"],
                "lead_unit": fields["lead_unit"],
                "area": area,
                "expected_product": fields["expected_product"],
            }
            changes = {key: value for key, value in editable.items() if getattr(existing, key) != value}
            if changes:
                task_services.update_task(
                    actor=actor, task=existing, reason=_("Imported from a workbook"), **changes
                )
                result.updated += 1
            else:
                result.unchanged += 1
        except ValidationError as error:
            result.errors.append((TASK_SHEET, number, "", " ".join(error.messages)))
