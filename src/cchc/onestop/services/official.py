"""Importing the QĐ 766 scores the national portal published, so that ours can be set beside them.

Two shapes are read, from CSV, XLSX or JSON:

- long: one score a row, columns `unit_code`, `period`, `code`, `score`;
- wide (the portal's): one record per unit and period, with a column or key per group, indicator or
  the total (`CKMB`, `TDGQ`, …, `2.1`, `TONG_SCORE`), or such a mapping nested in the record.
  `maDonVi` / `ma_don_vi` name the unit and `kyDanhGia` / `ky` the period; `nam` with `thang` or
  `quy` are read as a period too.

The import is all or nothing: every row is checked first, and when any is wrong nothing is written and
every problem is reported with its row. Each stored score keeps the record it came from (`raw`).
Importing the same file again changes nothing.
"""

import json
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.accounts.permissions import ADMINISTER, PLAN, has_global_permission
from cchc.core.periods import Period
from cchc.core.untrusted import UntrustedFile, check_size
from cchc.onestop.ingest.reading import ROW, UnreadableFile, read_batches, records_from_json
from cchc.onestop.models import ImportJob, ImportKind, OfficialIndexScore
from cchc.onestop.queries.index import TOTAL_CODE, definition
from cchc.onestop.services.imports import ImportRefused, ImportResult, keep_errors, record_import
from cchc.units.models import Unit

BATCH_ROWS = 50_000
TWO_PLACES = Decimal("0.01")
# The portal's scores are authoritative and our per-indicator maxima are from secondary sources, so a
# score is only checked against the range of the whole index, not against the indicator's maximum.
MAX_SCORE = Decimal(100)

UNIT_KEYS = ("unit_code", "madonvi", "ma_don_vi", "ma_dv", "unit")
PERIOD_KEYS = ("period", "kydanhgia", "ky_danh_gia", "ky")
YEAR_KEYS = ("year", "nam")
MONTH_KEYS = ("month", "thang")
QUARTER_KEYS = ("quarter", "quy")
TOTAL_ALIASES = ("total", "tong_score", "tongscore", "tong_diem", "tongdiem", "tong")
EMPTY_SCORES = ("", "-", "n/a", "na", "null", "none")


@dataclass
class ScoreRow:
    row: int
    unit: Unit
    period: str
    code: str
    score: Decimal | None
    raw: dict[str, Any]


def _key(name: Any) -> str:
    return str(name or "").strip().lstrip("\ufeff").lower().replace(" ", "_")


def _codes() -> dict[str, str]:
    """Lower-cased accepted names (our codes, the portal's metric names, names of the total) → our code."""
    spec = definition()
    names = {code.lower(): code for code in spec.codes()}
    names.update({alias.lower(): code for alias, code in spec.aliases().items()})
    names.update(dict.fromkeys(TOTAL_ALIASES, TOTAL_CODE))
    return names


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = record.get(key)
        if value is not None and str(value).strip() != "":
            return value
    return None


_LOOSE_PERIOD = re.compile(
    r"^(?:(?P<q>q)?(?P<n>\d{1,2})[/-](?P<year>\d{4})|(?P<year2>\d{4})-(?P<month>\d))$", re.I
)


def parse_period(value: Any) -> Period:
    """A period key, also written 03/2026, 3/2026, Q1/2026 or 2026-3."""
    text = str(value).strip()
    match = _LOOSE_PERIOD.match(text)
    if match and match["year2"]:
        text = f"{match['year2']}-{int(match['month']):02d}"
    elif match and match["q"]:
        text = f"{match['year']}-Q{int(match['n'])}"
    elif match:
        text = f"{match['year']}-{int(match['n']):02d}"
    return Period.parse(text)


def _period_text(record: dict[str, Any]) -> Any:
    value = _first(record, PERIOD_KEYS)
    if value is not None:
        return value
    year = _first(record, YEAR_KEYS)
    if year is None:
        return None
    month, quarter = _first(record, MONTH_KEYS), _first(record, QUARTER_KEYS)
    if month is not None:
        return f"{year}-{str(month).strip().zfill(2)}"
    if quarter is not None:
        return f"{year}-Q{str(quarter).strip()}"
    return str(year)


def parse_score(value: Any) -> Decimal | None:
    """A score as a Decimal of 2 places; None when empty; ValueError when unreadable."""
    if value is None or (isinstance(value, str) and value.strip().lower() in EMPTY_SCORES):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    text = str(value).strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(value) from error
    if not number.is_finite():
        raise ValueError(value)
    try:
        return number.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    except InvalidOperation as error:  # too many digits for 2 places (1e999999): not a score
        raise ValueError(value) from error


class Checker:
    """Turns records into score rows and collects the problems of those that are wrong."""

    def __init__(self) -> None:
        self.names = _codes()
        self.units: dict[tuple[str, str], Unit | None] = {}
        self.problems: list[tuple[int, str, str]] = []

    def unit(self, code: str, period: Period) -> Unit | None:
        """The unit that carried `code` at the period's end (or, failing that, at its start)."""
        key = (code, period.key)
        if key not in self.units:
            found = (
                Unit.objects.by_code(code, period.end).first()
                or Unit.objects.by_code(code, period.start).first()
            )
            self.units[key] = found
        return self.units[key]

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append((row, column, message))

    def scores_of(self, record: dict[str, Any]) -> list[tuple[str, Any, Any]]:
        """(column, code as written, score as written): one for the long shape, several for the wide."""
        lowered = {_key(name): value for name, value in record.items() if name != ROW}
        if "code" in lowered:
            return [("code", lowered["code"], lowered.get("score"))]
        found = []
        for name, value in lowered.items():
            if isinstance(value, dict):
                found += [(str(k), str(k), v) for k, v in value.items() if _key(k) in self.names]
            elif name in self.names:
                found.append((name, name, value))
        return found

    def read(self, row: int, record: dict[str, Any], raw: dict[str, Any]) -> list[ScoreRow]:
        lowered = {_key(name): value for name, value in record.items() if name != ROW}
        unit_code = _first(lowered, UNIT_KEYS)
        period_text = _period_text(lowered)
        before = len(self.problems)
        if unit_code is None:
            self.problem(row, "unit_code", _("The unit code is missing."))
        if period_text is None:
            self.problem(row, "period", _("The period is missing."))
            return []
        try:
            period = parse_period(period_text)
        except ValueError:
            self.problem(
                row,
                "period",
                _("%(value)s is not a period: write YYYY, YYYY-MM or YYYY-Qn.") % {"value": period_text},
            )
            return []
        unit = None
        if unit_code is not None:
            unit = self.unit(str(unit_code).strip(), period)
            if unit is None:
                self.problem(row, "unit_code", _("No unit has the code %(code)s.") % {"code": unit_code})
        entries = self.scores_of(record)
        if not entries:
            self.problem(row, "code", _("The row holds no score of a group, an indicator or the total."))
        rows = []
        for column, written, value in entries:
            if written is None or str(written).strip() == "":
                self.problem(row, column, _("The code is missing."))
                continue
            code = self.names.get(_key(written))
            if code is None:
                self.problem(
                    row, column, _("%(code)s is not a code of the QĐ 766 index.") % {"code": written}
                )
                continue
            try:
                score = parse_score(value)
            except ValueError:
                self.problem(row, "score", _("%(value)s is not a number.") % {"value": value})
                continue
            if score is not None and not Decimal(0) <= score <= MAX_SCORE:
                self.problem(
                    row,
                    "score",
                    _("The score %(score)s of %(code)s is outside 0–100.") % {"score": score, "code": code},
                )
                continue
            if unit is not None:
                rows.append(ScoreRow(row, unit, period.key, code, score, raw))
        return rows if len(self.problems) == before else []


def _json_value(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _records(path: Path) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
    """(row number, record, record to keep as raw) of the file."""
    if not path.is_file():
        raise UnreadableFile(_("No such file: %(name)s") % {"name": path.name})
    try:
        # Scores of every unit of a province for a year fill well under a megabyte; the whole file is
        # held in memory (JSON as a tree several times its size), so it is bounded as an upload is.
        check_size(path.stat().st_size)
    except UntrustedFile as error:
        raise UnreadableFile(str(error)) from error
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_bytes().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise UnreadableFile(_("The JSON file cannot be read: %(error)s") % {"error": error}) from error
        return [
            (number, record, _json_value(record)) for number, record in enumerate(records_from_json(data), 1)
        ]
    found = []
    for batch in read_batches(path, {}, BATCH_ROWS):
        for record in batch.iter_rows(named=True):
            raw = {name: value for name, value in record.items() if name != ROW and value is not None}
            found.append((int(record[ROW]), record, raw))
    return found


def may_import(actor: Any) -> bool:
    """Administrators and whoever may plan for the province (the reform office); None is the command line."""
    return actor is None or has_global_permission(actor, ADMINISTER) or has_global_permission(actor, PLAN)


def import_official_scores(path: Path, *, actor: Any, job: ImportJob | None = None) -> ImportResult:
    """Create or update the official scores of a file; nothing changes when any row is wrong."""
    if not may_import(actor):
        raise ImportRefused(_("Only administrators and the reform office may import official scores."))
    checker = Checker()
    result = ImportResult()
    prepared: list[ScoreRow] = []
    for number, record, raw in _records(Path(path)):
        result.rows += 1
        prepared += checker.read(number, record, raw)
    seen: dict[tuple[int, str, str], int] = {}
    for item in prepared:
        key = (item.unit.pk, item.period, item.code)
        if key in seen:
            checker.problem(
                item.row,
                "code",
                _("The score of %(code)s for %(unit)s, %(period)s is also on row %(other)s.")
                % {"code": item.code, "unit": item.unit.code, "period": item.period, "other": seen[key]},
            )
        else:
            seen[key] = item.row
    keep_errors(result, sorted(checker.problems, key=lambda problem: problem[0]))
    with transaction.atomic():
        if result.error_count == 0:
            for item in prepared:
                outcome = _save(item)
                setattr(result, outcome, getattr(result, outcome) + 1)
        if job is None:
            job = ImportJob.objects.create(
                kind=ImportKind.OFFICIAL_SCORES, original_name=Path(path).name, created_by=actor
            )
        record_import(actor, job, ImportKind.OFFICIAL_SCORES, result)
    return result


def _save(item: ScoreRow) -> str:
    current = OfficialIndexScore.objects.filter(unit=item.unit, period=item.period, code=item.code).first()
    if current is None:
        OfficialIndexScore.objects.create(
            unit=item.unit, period=item.period, code=item.code, score=item.score, raw=item.raw
        )
        return "created"
    if current.score == item.score and current.raw == item.raw:
        return "unchanged"
    current.score, current.raw = item.score, item.raw
    current.save()
    return "updated"
