"""Importing and exporting units as CSV or XLSX: one format both ways, all rows checked before any is written.

The command line and the upload page both call `import_file`, which returns an `ImportResult`:
either a list of row errors (and nothing written) or the counts of units created, updated and
left unchanged. Row numbers are those a spreadsheet shows: the header is row 1.
"""

import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.core import cells
from cchc.core.scoping import ADMINISTER, has_unit_permission
from cchc.core.tables import RowError, file_format, headings_row, read_table
from cchc.core.text import choice_value
from cchc.units.models import Unit, UnitCode, UnitType
from cchc.units.services import units as services

COLUMNS = ["code", "name", "type", "parent_code", "valid_from", "valid_to"]
# The header a person reads; the machine names above are still accepted on import.
HEADINGS = {
    "code": gettext_lazy("Unit code"),
    "name": gettext_lazy("Unit name"),
    "type": gettext_lazy("Unit type"),
    "parent_code": gettext_lazy("Parent unit code"),
    "valid_from": gettext_lazy("Valid from"),
    "valid_to": gettext_lazy("Valid until"),
}
QUERY_SLICE = 900
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LOCAL_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass(eq=False)
class ImportRow:
    number: int
    code: str
    name: str
    type: str
    parent_code: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    parsed: bool = True  # False when a field could not be read; such rows are not checked further
    existing: Unit | None = None
    action: str = ""
    parent_row: "ImportRow | None" = None
    parent_unit: Unit | None = None
    unit: Unit | None = None

    @property
    def reference_day(self) -> datetime.date:
        """The day the parent code is looked up on: the start, else the end, else today."""
        return self.valid_from or self.valid_to or timezone.localdate()

    @property
    def parent_missing(self) -> bool:
        """A parent code that matched no unit (reported on its own, so other checks stay quiet)."""
        return bool(self.parent_code) and self.parent_row is None and self.parent_unit is None

    def covers(self, day: datetime.date) -> bool:
        return _covers(self.valid_from, self.valid_to, day)


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int | None, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    @property
    def readable_errors(self) -> list[RowError]:
        """The errors with each column named by the heading a person sees in the file."""
        return [
            RowError(error.row, str(HEADINGS.get(error.column, error.column)), error.message)
            for error in self.errors
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "applied": self.applied,
            "dry_run": self.dry_run,
            "rows": len(self.rows),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [error._asdict() for error in self.errors],
        }


def _covers(start: datetime.date | None, end: datetime.date | None, day: datetime.date) -> bool:
    return (start is None or start <= day) and (end is None or end >= day)


def _overlap(
    a_from: datetime.date | None,
    a_to: datetime.date | None,
    b_from: datetime.date | None,
    b_to: datetime.date | None,
) -> bool:
    return (a_from or datetime.date.min) <= (b_to or datetime.date.max) and (b_from or datetime.date.min) <= (
        a_to or datetime.date.max
    )


def _period(start: datetime.date | None, end: datetime.date | None) -> str:
    def show(day: datetime.date | None) -> str:
        return f"{day:%d/%m/%Y}" if day else "…"

    return f"{show(start)} – {show(end)}"


# Checking rows --------------------------------------------------------------------------------


def _parse_date(value: Any) -> datetime.date | None:
    """A date cell, dd/mm/yyyy (what we export) or YYYY-MM-DD text; empty means open-ended. Raises
    ValueError otherwise."""
    if isinstance(value, datetime.date):
        return value
    if value == "":
        return None
    local = LOCAL_DATE.match(value)
    if local:
        day, month, year = (int(part) for part in local.groups())
        return datetime.date(year, month, day)
    if not ISO_DATE.match(value):
        raise ValueError(value)
    return datetime.date.fromisoformat(value)


def _type_value(written: str) -> str:
    """The unit type a cell means: its value ("commune") or its label in any language."""
    return choice_value(written, UnitType.choices) or written.lower()


def _parse_row(record: dict[str, Any], result: ImportResult) -> ImportRow:
    number = record["_row"]
    text = {
        column: record[column] if isinstance(record[column], str) else str(record[column])
        for column in COLUMNS
    }
    row = ImportRow(
        number, text["code"], text["name"], _type_value(text["type"]), text["parent_code"], None, None
    )
    if not row.code:
        result.error(number, "code", _("The code is empty."))
    if not row.name:
        result.error(number, "name", _("The name is empty."))
    if row.type not in UnitType.values:
        result.error(
            number,
            "type",
            _("Unknown type “%(type)s”: use one of %(types)s.")
            % {"type": row.type, "types": "; ".join(str(label) for label in UnitType.labels)},
        )
    for column in ("valid_from", "valid_to"):
        try:
            setattr(row, column, _parse_date(record[column]))
        except ValueError:
            row.parsed = False
            result.error(
                number,
                column,
                _("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": record[column]},
            )
    if row.valid_from and row.valid_to and row.valid_to < row.valid_from:
        result.error(number, "valid_to", _("The end date is before the start date."))
    row.parsed = row.parsed and bool(row.code) and row.type in UnitType.values
    return row


class _Known:
    """What the database holds for the codes the file mentions, loaded in a few queries."""

    def __init__(self, rows: list[ImportRow]):
        codes = sorted({row.code for row in rows} | {row.parent_code for row in rows if row.parent_code})
        self.units: dict[tuple[str, datetime.date | None], Unit] = {}
        self.codes: dict[str, list[UnitCode]] = {}
        # In slices: databases cap the number of parameters in one query.
        for start in range(0, len(codes), QUERY_SLICE):
            some = codes[start : start + QUERY_SLICE]
            for unit in Unit.objects.filter(code__in=some):
                self.units.setdefault((unit.code, unit.valid_from), unit)
            for unit_code in UnitCode.objects.filter(code__in=some).select_related("unit"):
                self.codes.setdefault(unit_code.code, []).append(unit_code)

    def carrier(self, code: str, day: datetime.date) -> Unit | None:
        """The unit that carried `code` on `day`."""
        return next(
            (row.unit for row in self.codes.get(code, []) if _covers(row.valid_from, row.valid_to, day)), None
        )


def _find_duplicates(rows: list[ImportRow], result: ImportResult) -> None:
    by_code: dict[str, list[ImportRow]] = {}
    for row in rows:
        for earlier in by_code.get(row.code, []):
            if _overlap(row.valid_from, row.valid_to, earlier.valid_from, earlier.valid_to):
                result.error(
                    row.number,
                    "code",
                    _("Code %(code)s is already used in row %(row)s for an overlapping period.")
                    % {"code": row.code, "row": earlier.number},
                )
                break
        by_code.setdefault(row.code, []).append(row)


def _resolve_parent(
    row: ImportRow, by_code: dict[str, list[ImportRow]], known: _Known, broken: set[str], result: ImportResult
) -> None:
    """The parent is the unit, in this file or in the database, that carried `parent_code` on the row's
    reference day; when none did, the only unit that ever carried that code, if there is just one."""
    if not row.parent_code:
        return
    day = row.reference_day
    in_file = by_code.get(row.parent_code, [])
    on_day = next((other for other in in_file if other.covers(day)), None)
    if on_day is not None:
        row.parent_row, row.parent_unit = on_day, on_day.existing
        return
    row.parent_unit = known.carrier(row.parent_code, day)
    if row.parent_unit is not None:
        return
    # Dates of parents and children do not always line up; an unambiguous code is still clear.
    candidates: dict[tuple[str, int], ImportRow | Unit] = {}
    for other in in_file:
        candidates[("unit", other.existing.pk) if other.existing else ("row", other.number)] = other
    for unit_code in known.codes.get(row.parent_code, []):
        candidates.setdefault(("unit", unit_code.unit_id), unit_code.unit)
    if len(candidates) == 1:
        only = next(iter(candidates.values()))
        if isinstance(only, ImportRow):
            row.parent_row, row.parent_unit = only, only.existing
        else:
            row.parent_unit = only
    elif row.parent_code not in broken:  # a parent row that could not be read has its own error already
        result.error(
            row.number,
            "parent_code",
            _("No unit with code %(code)s on %(day)s, neither in the database nor in this file.")
            % {"code": row.parent_code, "day": f"{day:%d/%m/%Y}"},
        )


def _parent_type(row: ImportRow) -> str | None:
    if row.parent_row is not None:
        return row.parent_row.type
    return row.parent_unit.type if row.parent_unit else None


def _check_existing(row: ImportRow, result: ImportResult) -> None:
    unit = row.existing
    assert unit is not None
    if unit.type != row.type:
        result.error(
            row.number,
            "type",
            _("Unit %(code)s already exists as “%(type)s”; a unit's type cannot change.")
            % {"code": row.code, "type": unit.type},
        )
    parent_id = row.parent_unit.pk if row.parent_unit else None
    if not row.parent_missing and (
        unit.parent_id != parent_id or (row.parent_row is not None and row.parent_row.existing is None)
    ):
        result.error(
            row.number,
            "parent_code",
            _("Unit %(code)s already exists under another parent; a unit's parent cannot change.")
            % {"code": row.code},
        )
    row.action = UPDATE if (unit.name, unit.valid_to) != (row.name, row.valid_to) else UNCHANGED


def _check_code_free(row: ImportRow, known: _Known, moving: set[int], result: ImportResult) -> None:
    for unit_code in known.codes.get(row.code, []):
        if unit_code.unit_id in moving:
            continue  # its new period is in the file, and rows of the file were compared with each other
        if _overlap(row.valid_from, row.valid_to, unit_code.valid_from, unit_code.valid_to):
            result.error(
                row.number,
                "code",
                _("Code %(code)s already belongs to %(unit)s (%(period)s), which overlaps this row's period.")
                % {
                    "code": row.code,
                    "unit": unit_code.unit.name,
                    "period": _period(unit_code.valid_from, unit_code.valid_to),
                },
            )
            return


def _find_cycles(rows: list[ImportRow], result: ImportResult) -> None:
    for row in rows:
        seen = {id(row)}
        step = row.parent_row
        while step is not None and step.existing is None:
            if step is row:
                result.error(
                    row.number,
                    "parent_code",
                    _("The parent codes in this file form a cycle: unit %(code)s ends up under itself.")
                    % {"code": row.code},
                )
                break
            if id(step) in seen:
                break  # a cycle further up: its own rows report it
            seen.add(id(step))
            step = step.parent_row


def _check_scope(row: ImportRow, actor: Any, result: ImportResult) -> None:
    """Through the web page, units may be created or changed only inside the user's administer scope."""
    if row.action == UPDATE and not has_unit_permission(actor, ADMINISTER, row.existing):
        result.error(
            row.number, "code", _("Unit %(code)s is outside the units you administer.") % {"code": row.code}
        )
    elif row.action == CREATE and (row.parent_row is None or row.parent_row.action != CREATE):
        # A new parent in the file is checked on its own row; here the parent already exists.
        if row.parent_missing:
            return
        if row.parent_unit is None:
            result.error(row.number, "parent_code", _("You may not create a unit without a parent."))
        elif not has_unit_permission(actor, ADMINISTER, row.parent_unit):
            result.error(
                row.number,
                "parent_code",
                _("The parent unit %(unit)s is outside the units you administer.")
                % {"unit": row.parent_unit},
            )


def check_rows(records: list[dict[str, Any]], *, actor: Any = None) -> ImportResult:
    """Check every row against the file and the database, and decide whether to create, update or skip it."""
    result = ImportResult()
    result.rows = [_parse_row(record, result) for record in records]
    rows = [row for row in result.rows if row.parsed]
    broken = {row.code for row in result.rows if not row.parsed}
    known = _Known(rows)
    _find_duplicates(rows, result)
    by_code: dict[str, list[ImportRow]] = {}
    for row in rows:
        by_code.setdefault(row.code, []).append(row)
        row.existing = known.units.get((row.code, row.valid_from))
        row.action = CREATE if row.existing is None else ""
    for row in rows:
        _resolve_parent(row, by_code, known, broken, result)
    moving = set()
    for row in rows:
        if row.existing is not None:
            _check_existing(row, result)
            if row.action == UPDATE:
                moving.add(row.existing.pk)
    for row in rows:
        if row.action in (CREATE, UPDATE):
            _check_code_free(row, known, moving, result)
        if (
            row.action == CREATE
            and not row.parent_missing
            and _parent_type(row) not in services.ALLOWED_PARENTS[row.type]
        ):
            result.error(
                row.number,
                "parent_code",
                _("A unit of type “%(type)s” cannot sit under %(parent)s.")
                % {"type": row.type, "parent": _parent_type(row) or _("no parent")},
            )
    _find_cycles([row for row in rows if row.action == CREATE], result)
    # An active superuser may act everywhere: the per-row scope checks would all pass.
    if actor is not None and not (actor.is_superuser and actor.is_active):
        for row in rows:
            _check_scope(row, actor, result)
    result.errors.sort(
        key=lambda error: (error.row or 0, COLUMNS.index(error.column) if error.column else -1)
    )
    if result.ok:
        result.created = sum(row.action == CREATE for row in result.rows)
        result.updated = sum(row.action == UPDATE for row in result.rows)
        result.unchanged = sum(row.action == UNCHANGED for row in result.rows)
    return result


# Writing ---------------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def _creation_order(rows: list[ImportRow]) -> list[ImportRow]:
    """New units after the new units they sit under."""

    def depth(row: ImportRow) -> int:
        steps = 0
        while row.parent_row is not None and row.parent_row.action == CREATE:
            row, steps = row.parent_row, steps + 1
        return steps

    return sorted((row for row in rows if row.action == CREATE), key=depth)


def _apply(result: ImportResult, actor: Any, reason: str) -> None:
    # Updates go first: a unit whose end date moves earlier may free its code for a new row.
    updates = [row for row in result.rows if row.action == UPDATE]
    try:
        with transaction.atomic():
            for row in [*updates, *_creation_order(result.rows)]:
                try:
                    if row.existing is not None:
                        row.unit = services.update_unit(
                            actor=actor,
                            unit=row.existing,
                            name=row.name,
                            valid_to=row.valid_to,
                            reason=reason,
                        )
                    else:
                        parent = (
                            (row.parent_row.existing or row.parent_row.unit)
                            if row.parent_row
                            else row.parent_unit
                        )
                        row.unit = services.create_unit(
                            actor=actor,
                            name=row.name,
                            type=row.type,
                            code=row.code,
                            parent=parent,
                            valid_from=row.valid_from,
                            valid_to=row.valid_to,
                        )
                except ValidationError as error:
                    details = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
                    for column, messages in details.items():
                        for message in messages:
                            result.error(row.number, column if column in COLUMNS else "", message)
                    raise _Rollback from error
    except _Rollback:
        return
    result.applied = True


def import_file(
    content: bytes, filename: str, *, actor: Any = None, dry_run: bool = False, reason: str = ""
) -> ImportResult:
    """Read, check and, when every row is good and this is not a dry run, write the units in one transaction.

    `actor` None is the system (the command line): no scope limit. A user may only create or
    change units inside the units they administer.
    """
    records, errors = read_table(content, filename, COLUMNS, headings=HEADINGS)
    if errors:
        return ImportResult(errors=errors, dry_run=dry_run)
    result = check_rows(records, actor=actor)
    result.dry_run = dry_run
    if result.ok and not dry_run:
        _apply(result, actor, reason or _("Imported from %(file)s") % {"file": Path(filename).name})
    return result


# Exporting -------------------------------------------------------------------------------------


class UnknownProvince(LookupError):
    pass


def export_rows(province_code: str | None = None) -> list[list[str]]:
    """The units as rows of COLUMNS (header first); with a province code, only the provinces that carried it
    at any time and everything under them."""
    selected = Unit.objects.select_related("parent").order_by("path")
    if province_code:
        roots = list(Unit.objects.filter(type=UnitType.PROVINCE, codes__code=province_code).distinct())
        if not roots:
            raise UnknownProvince(province_code)
        within = Q()
        for root in roots:
            within |= Q(path__startswith=root.path)
        selected = selected.filter(within)
    units = list(selected)
    parent_codes: dict[int, list[UnitCode]] = {}
    for unit_code in UnitCode.objects.filter(
        unit_id__in={unit.parent_id for unit in units if unit.parent_id}
    ):
        parent_codes.setdefault(unit_code.unit_id, []).append(unit_code)
    table = [headings_row(COLUMNS, HEADINGS)]
    types = dict(UnitType.choices)
    for unit in units:
        parent_code = ""
        if unit.parent is not None:
            # The parent as it was called on the day the import will look it up.
            day = unit.valid_from or unit.valid_to or timezone.localdate()
            codes = parent_codes.get(unit.parent_id, [])
            parent_code = next(
                (row.code for row in codes if _covers(row.valid_from, row.valid_to, day)), unit.parent.code
            )
        table.append(
            [
                unit.code,
                unit.name,
                str(types.get(unit.type, unit.type)),
                parent_code,
                unit.valid_from.strftime("%d/%m/%Y") if unit.valid_from else "",
                unit.valid_to.strftime("%d/%m/%Y") if unit.valid_to else "",
            ]
        )
    return table


def write_csv(table: list[list[str]], stream: IO[str]) -> None:
    cells.csv_writer(stream, lineterminator="\n").writerows(table)


def csv_bytes(table: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    write_csv(table, buffer)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read the file as UTF-8


def xlsx_bytes(table: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "units"
    cells.write_rows(sheet, table)  # strings stay text, so codes keep their leading zeros
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_file(path: str | Path, province_code: str | None = None) -> int:
    """Write the units to a .csv or .xlsx file; returns the number of units written."""
    kind = file_format(str(path))
    if kind is None:
        raise ValueError("The export file must end in .csv or .xlsx")
    table = export_rows(province_code)
    Path(path).write_bytes(csv_bytes(table) if kind == "csv" else xlsx_bytes(table))
    return len(table) - 1
