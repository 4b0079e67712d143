"""Tables of targets, as in an appendix: "STT | Chỉ tiêu | Đơn vị tính | Kế hoạch năm 2025 | Ghi chú".

A header is recognised by its unit column ("Đơn vị tính", "ĐVT"). Each row then gives one target per
planned-value column: the row's indicator, the value (possibly with a bound: "≥ 95", "tối thiểu 95")
and the row's unit are read as the sentence "<indicator> đạt <value><unit>". Columns of results
("Thực hiện năm 2024", "Ước đạt", "Kết quả") and of earlier years are not planned values.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from cchc.plans.extraction.model import Target

_UNIT_COLUMN = re.compile(r"^(?:đơn vị tính|đvt|đơn vị đo)\b")
_NUMBER_COLUMN = re.compile(r"^(?:stt|tt|số tt|số thứ tự)$")
_VALUE_COLUMN = re.compile(r"kế hoạch|chỉ tiêu|mục tiêu|giá trị|phấn đấu|dự kiến|năm \d{4}|^\d{4}$")
_PLANNED = re.compile(r"kế hoạch|mục tiêu|giá trị|phấn đấu|dự kiến|\d{4}")
_NOT_VALUE_COLUMN = re.compile(
    r"thực hiện|\bước\b|kết quả|đạt được|ghi chú|cơ quan|chủ trì|phối hợp|nguồn|căn cứ|\btên\b|nội dung"
)

# targets_in_text(text, plan_year, bare_counts=...) from targets.py, passed in to avoid an import cycle.
ReadText = Callable[..., list[Target]]


@dataclass(frozen=True)
class TargetTable:
    """Which cells of the rows hold the indicator, its unit and the planned values."""

    indicator: int
    unit: int
    values: tuple[int, ...]


def target_table(cells: tuple[str, ...], plan_year: int | None) -> TargetTable | None:
    """The layout of a target table when `cells` is its header row, else None."""
    lowered = [cell.lower() for cell in cells]
    unit = next((position for position, cell in enumerate(lowered) if _UNIT_COLUMN.match(cell)), None)
    if unit is None:
        return None
    values, indicator = [], None
    for position, cell in enumerate(lowered):
        if position == unit or _NUMBER_COLUMN.match(cell):
            continue
        if indicator is None and not _PLANNED.search(cell):
            indicator = position  # the leftmost text column names the indicator ("Chỉ tiêu", "Nội dung")
            continue
        year = re.search(r"\b(\d{4})\b", cell)
        earlier = plan_year is not None and year is not None and int(year.group(1)) < plan_year
        if _VALUE_COLUMN.search(cell) and not _NOT_VALUE_COLUMN.search(cell) and not earlier:
            values.append(position)
    if indicator is None or not values:
        return None
    return TargetTable(indicator, unit, tuple(values))


def row_targets(
    cells: tuple[str, ...], table: TargetTable, plan_year: int | None, read: ReadText
) -> list[Target]:
    """The targets of one row under a target table's header."""

    def cell(position: int) -> str:
        return cells[position] if position < len(cells) else ""

    indicator, unit = cell(table.indicator), cell(table.unit)
    found: list[Target] = []
    for position in table.values:
        value = cell(position)
        if not re.search(r"\d", value):
            continue
        if unit and not value.endswith(unit):
            value += unit if unit == "%" else f" {unit}"
        found += read(f"{indicator} đạt {value}", plan_year, bare_counts=True)
    return found
