"""Criteria sets: import from CSV/XLSX, the shipped defaults, cloning a year, export in the same columns."""

import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.accounts.permissions import PLAN
from cchc.core import audit, cells
from cchc.core.metrics import available as available_metrics
from cchc.core.tables import headings_row, read_table
from cchc.core.text import choice_value
from cchc.kit import xlsx
from cchc.kit.parsers import parse_number, parse_yes_no
from cchc.parindex.models import (
    COMPUTED,
    OUTSIDE_MAXIMUM,
    CriteriaSet,
    Criterion,
    Level,
    Method,
    NotApplicableRule,
    level_of,
)
from cchc.parindex.scoring import format_tiers, parse_tiers
from cchc.parindex.services.common import ImportRefused, require_global
from cchc.units.models import UnitType

COLUMNS = [
    "code",
    "parent_code",
    "title",
    "max_points",
    "method",
    "threshold",
    "evidence_required",
    "not_applicable_rule",
    "metric",
]
OPTIONAL_COLUMNS = ("tiers", "per_occurrence", "floor", "legal_basis")
# The headings a person reads in an exported file; the machine names are still accepted on import,
# and so are the stored values of the choices beside their names.
HEADINGS = {
    "code": gettext_lazy("Criterion code"),
    "parent_code": gettext_lazy("Parent criterion code"),
    "title": gettext_lazy("Criterion"),
    "max_points": gettext_lazy("Maximum points"),
    "method": gettext_lazy("Scoring method"),
    "threshold": gettext_lazy("Threshold"),
    "evidence_required": gettext_lazy("Evidence required"),
    "not_applicable_rule": gettext_lazy("When not applicable"),
    "metric": gettext_lazy("Metric"),
    "tiers": gettext_lazy("Tiers"),
    "per_occurrence": gettext_lazy("Points per occurrence"),
    "floor": gettext_lazy("Lowest total"),
    "legal_basis": gettext_lazy("Legal basis"),
}
DATA = Path(__file__).resolve().parent.parent / "data"
DEFAULT_SETS = {
    UnitType.AGENCY: "criteria_agency.json",
    UnitType.COMMUNE: "criteria_commune.json",
    UnitType.PROVINCE: "criteria_province.json",  # the provincial PAR Index: national instance only
}
CENT = Decimal("0.01")


@dataclass
class CriterionRow:
    row: int | None
    code: str
    parent_code: str
    title: str
    max_points: Decimal
    method: str
    threshold: Decimal | None
    evidence_required: bool
    not_applicable_rule: str
    metric: str
    tiers: list[dict[str, str]]
    per_occurrence: Decimal | None
    floor: Decimal | None
    legal_basis: str


def parse_flag(value: Any) -> bool:
    """A yes or no in the kit's one vocabulary (1/0, x, có/không, yes/no…); an empty cell is no."""
    if str(value if value is not None else "").strip() == "":
        return False
    said = parse_yes_no(value)
    if said is not None:
        return said
    raise ValidationError(_("“%(value)s” is not yes or no.") % {"value": value})


def _optional_decimal(value: Any, field: str) -> Decimal | None:
    return None if str(value).strip() == "" else parse_number(value, field=field)


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def parse_rows(records: list[dict[str, Any]]) -> list[CriterionRow]:
    """Check every row and the tree as a whole; raise ImportRefused listing all problems."""
    errors: list[tuple[int | None, str, str]] = []
    rows: list[CriterionRow] = []
    metric_keys = {metric.key for metric in available_metrics()}
    metric_choices = [(metric.key, metric.label) for metric in available_metrics()]
    for record in records:
        number = record.get("_row")
        row_errors = len(errors)

        def fail(column: str, message: str, number: int | None = number) -> None:
            errors.append((number, column, message))

        code = str(record.get("code", "")).strip()
        title = str(record.get("title", "")).strip()
        if not code:
            fail("code", _("The code is empty."))
        if not title:
            fail("title", _("The title is empty."))
        written_method = str(record.get("method", "")).strip()
        method = choice_value(written_method, Method.choices) or written_method.lower()
        if method and method not in Method.values:
            fail(
                "method",
                _("Unknown method “%(value)s”; use one of %(methods)s.")
                % {"value": written_method, "methods": "; ".join(str(label) for label in Method.labels)},
            )
        written_rule = str(record.get("not_applicable_rule", "")).strip()
        rule = choice_value(written_rule, NotApplicableRule.choices) or written_rule.lower()
        rule = rule or NotApplicableRule.EXCLUDE
        if rule not in NotApplicableRule.values:
            fail(
                "not_applicable_rule",
                _("Write one of: %(rules)s.")
                % {"rules": "; ".join(str(label) for label in NotApplicableRule.labels)},
            )
        values: dict[str, Any] = {}
        for column in ("max_points", "threshold", "per_occurrence", "floor"):
            try:
                values[column] = _optional_decimal(record.get(column, ""), column)
            except ValidationError as error:
                fail(column, _message(error))
        if values.get("max_points") is None and "max_points" not in [e[1] for e in errors[row_errors:]]:
            fail("max_points", _("The maximum points are missing."))
        elif values.get("max_points") is not None and values["max_points"] < 0:
            fail("max_points", _("The maximum points cannot be negative."))
        threshold = values.get("threshold")
        if threshold is not None and not 0 < threshold <= 100:
            fail("threshold", _("A threshold is a percent above 0 and at most 100."))
        try:
            evidence = parse_flag(record.get("evidence_required", ""))
        except ValidationError as error:
            fail("evidence_required", _message(error))
            evidence = False
        try:
            tiers = parse_tiers(str(record.get("tiers", "")))
        except ValidationError as error:
            fail("tiers", _message(error))
            tiers = []
        written_metric = str(record.get("metric", "")).strip()
        metric = choice_value(written_metric, metric_choices) or written_metric if written_metric else ""
        if method == Method.METRIC and metric not in metric_keys:
            fail("metric", _("No metric is published under “%(key)s”.") % {"key": metric})
        if method != Method.METRIC and metric:
            fail("metric", _("Only a leaf with method metric names a metric."))
        if method == Method.TIERED and not tiers:
            fail("tiers", _("A tiered criterion needs its tiers, e.g. Đúng hạn=100|Chậm=50|Không=0."))
        if method == Method.DEDUCTION and not values.get("per_occurrence"):
            fail("per_occurrence", _("A deduction criterion needs the points deducted per occurrence."))
        if len(errors) == row_errors:
            rows.append(
                CriterionRow(
                    row=number,
                    code=code,
                    parent_code=str(record.get("parent_code", "")).strip(),
                    title=title,
                    max_points=values["max_points"],
                    method=method,
                    threshold=threshold,
                    evidence_required=evidence,
                    not_applicable_rule=rule,
                    metric=metric,
                    tiers=tiers,
                    per_occurrence=values.get("per_occurrence"),
                    floor=values.get("floor"),
                    legal_basis=str(record.get("legal_basis", "")).strip(),
                )
            )
    if not errors:
        errors = _check_tree(rows)
    if errors:
        raise ImportRefused(errors)
    return rows


def _check_tree(rows: list[CriterionRow]) -> list[tuple[int | None, str, str]]:
    errors: list[tuple[int | None, str, str]] = []
    seen: dict[str, CriterionRow] = {}
    children: dict[str, list[CriterionRow]] = {}
    for row in rows:
        if row.code in seen:
            errors.append((row.row, "code", _("The code %(code)s appears twice.") % {"code": row.code}))
            continue
        if row.parent_code and row.parent_code not in seen:
            errors.append(
                (
                    row.row,
                    "parent_code",
                    _("The parent %(code)s must come on an earlier row.") % {"code": row.parent_code},
                )
            )
        seen[row.code] = row
        if row.parent_code:
            children.setdefault(row.parent_code, []).append(row)
    for row in rows:
        kids = children.get(row.code, [])
        if kids and row.method:
            errors.append(
                (
                    row.row,
                    "method",
                    _("%(code)s has sub-criteria, so it has no method of its own.") % {"code": row.code},
                )
            )
        if not kids and not row.method:
            errors.append(
                (
                    row.row,
                    "method",
                    _("%(code)s has no sub-criteria, so it needs a method.") % {"code": row.code},
                )
            )
        if kids and not row.method:
            total = sum((kid.max_points for kid in kids if kid.method not in OUTSIDE_MAXIMUM), Decimal(0))
            if total != row.max_points:
                errors.append(
                    (
                        row.row,
                        "max_points",
                        _("%(code)s has %(max)s points but its sub-criteria add up to %(total)s.")
                        % {"code": row.code, "max": row.max_points, "total": total},
                    )
                )
    if not any(row.method for row in rows):
        errors.append((None, "", _("The set has no criterion to score.")))
    return errors


@transaction.atomic
def create_set(
    *,
    actor: Any,
    year: int,
    unit_type: str,
    title: str,
    rows: list[CriterionRow],
    legal_basis: str = "",
    verified: bool = False,
    cloned_from: CriteriaSet | None = None,
) -> CriteriaSet:
    """Create the set of (year, unit type), or replace it while no unit has scores on it."""
    require_global(actor, PLAN)
    if unit_type not in UnitType.values:
        raise ValidationError({"unit_type": _("Unknown unit type “%(value)s”.") % {"value": unit_type}})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("“%(value)s” is not a plausible year.") % {"value": year}})
    level = level_of(unit_type)
    if level == Level.PROVINCIAL and not getattr(settings, "CCHC_NATIONAL", False):
        raise ValidationError(
            {
                "unit_type": _(
                    "Criteria sets for provinces belong to the national instance: the Ministry of Home "
                    "Affairs assesses the provinces."
                )
            }
        )
    existing = CriteriaSet.objects.filter(year=year, unit_type=unit_type).first()
    before = None
    if existing is not None:
        if existing.assessments.exists():
            raise ValidationError(
                _("This %(year)s criteria set is in use by a campaign and cannot be replaced.")
                % {"year": year}
            )
        before = {"title": existing.title, "criteria": existing.criteria.count()}
        existing.delete()
    criteria_set = CriteriaSet.objects.create(
        year=year,
        unit_type=unit_type,
        level=level,
        title=title.strip() or _("PAR Index criteria %(year)s") % {"year": year},
        legal_basis=legal_basis,
        verified=verified,
        cloned_from=cloned_from,
    )
    created: dict[str, Criterion] = {}
    for position, row in enumerate(rows, start=1):
        created[row.code] = Criterion.objects.create(
            criteria_set=criteria_set,
            parent=created.get(row.parent_code),
            code=row.code,
            title=row.title,
            position=position,
            max_points=row.max_points,
            method=row.method,
            threshold=row.threshold,
            tiers=row.tiers,
            per_occurrence=row.per_occurrence,
            floor=row.floor,
            evidence_required=row.evidence_required and row.method not in COMPUTED,
            not_applicable_rule=row.not_applicable_rule,
            metric=row.metric,
            legal_basis=row.legal_basis,
        )
    audit.record(
        actor=actor,
        action="criteria_set.replace" if before else "criteria_set.create",
        obj=criteria_set,
        before=before,
        after={
            "title": criteria_set.title,
            "level": level,
            "criteria": len(rows),
            "maximum": str(criteria_set.maximum()),
        },
    )
    return criteria_set


def import_criteria(
    *, actor: Any, content: bytes, filename: str, year: int, unit_type: str, title: str = ""
) -> CriteriaSet:
    """`cchc parindex import-criteria` and the upload page: all rows or nothing."""
    records, problems = read_table(content, filename, COLUMNS, OPTIONAL_COLUMNS, headings=HEADINGS)
    if problems:
        raise ImportRefused([(problem.row, problem.column, problem.message) for problem in problems])
    rows = parse_rows(records)
    return create_set(
        actor=actor, year=year, unit_type=unit_type, title=title or Path(filename).stem, rows=rows
    )


def load_default_set(*, actor: Any, year: int, unit_type: str) -> CriteriaSet:
    """The shipped set for agencies, communes or (national instance) provinces: the national 8-area
    structure, points as data."""
    name = DEFAULT_SETS.get(UnitType(unit_type)) if unit_type in UnitType.values else None
    if name is None:
        raise ValidationError(_("No default criteria set ships for this unit type."))
    data = json.loads((DATA / name).read_text(encoding="utf-8"))
    records = [dict(record, _row=None) for record in data["criteria"]]
    for record in records:
        record["evidence_required"] = "1" if record.get("evidence_required") else "0"
    rows = parse_rows(records)
    return create_set(
        actor=actor,
        year=year,
        unit_type=unit_type,
        title=data["title"],
        rows=rows,
        legal_basis=data.get("legal_basis", ""),
        verified=bool(data.get("verified")),
    )


def rows_of(criteria_set: CriteriaSet) -> list[CriterionRow]:
    parents = dict(criteria_set.criteria.values_list("pk", "code"))
    return [
        CriterionRow(
            row=None,
            code=c.code,
            parent_code=parents.get(c.parent_id, "") if c.parent_id else "",
            title=c.title,
            max_points=c.max_points,
            method=c.method,
            threshold=c.threshold,
            evidence_required=c.evidence_required,
            not_applicable_rule=c.not_applicable_rule,
            metric=c.metric,
            tiers=c.tiers,
            per_occurrence=c.per_occurrence,
            floor=c.floor,
            legal_basis=c.legal_basis,
        )
        for c in criteria_set.criteria.order_by("position")
    ]


def clone_set(*, actor: Any, source: CriteriaSet, year: int) -> CriteriaSet:
    """Next year's set starts as a copy of this one, to be edited before the campaign opens."""
    return create_set(
        actor=actor,
        year=year,
        unit_type=source.unit_type,
        title=source.title,
        rows=rows_of(source),
        legal_basis=source.legal_basis,
        verified=source.verified,
        cloned_from=source,
    )


def _export_values(row: CriterionRow) -> list[str]:
    labels = {metric.key: str(metric.label) for metric in available_metrics()}

    def text(value: Decimal | None) -> str:
        return "" if value is None else str(value)

    return [
        row.code,
        row.parent_code,
        row.title,
        text(row.max_points),
        str(Method(row.method).label) if row.method in Method.values else row.method,
        text(row.threshold),
        _("Yes") if row.evidence_required else _("No"),
        str(NotApplicableRule(row.not_applicable_rule).label)
        if row.not_applicable_rule in NotApplicableRule.values
        else row.not_applicable_rule,
        labels.get(row.metric, row.metric),
        format_tiers(row.tiers),
        text(row.per_occurrence),
        text(row.floor),
        row.legal_basis,
    ]


def _header() -> list[str]:
    return headings_row([*COLUMNS, *OPTIONAL_COLUMNS], HEADINGS)


def export_csv(criteria_set: CriteriaSet) -> bytes:
    buffer = io.StringIO()
    writer = cells.csv_writer(buffer)
    writer.writerow(_header())
    for row in rows_of(criteria_set):
        writer.writerow(_export_values(row))
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(criteria_set: CriteriaSet) -> bytes:
    workbook, sheet = xlsx.new_workbook()
    sheet.title = f"Bo chi so {criteria_set.year}"[:31]
    cells.write_rows(sheet, [_header(), *map(_export_values, rows_of(criteria_set))])
    sheet.column_dimensions["C"].width = 80
    return xlsx.as_bytes(workbook)
