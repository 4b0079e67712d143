"""Workbooks: titled tables with a styled header row, fixed widths and number formats.

Cells that hold text are always stored as text: a value a citizen typed, such as
`=HYPERLINK(...)`, must never become a live formula in an official's spreadsheet. Every cell is
written by `put`, which is `core.cells.put` (text beginning with `=`, `+`, `-`, `@`, a tab or a
carriage return becomes a quote-prefixed string cell); CSV exports use `core.cells.csv_writer`.
"""

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cchc.core import cells

FONT = "Times New Roman"
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
PERCENT = "0.0%"
COUNT = "#,##0"
TWO_DECIMALS = "0.00"
DAY = "dd/mm/yyyy"
MOMENT = "dd/mm/yyyy hh:mm"

# (header, width in characters, number format or None)
Column = tuple[str, float, str | None]


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one value; text is kept as text even when it starts like a formula."""
    cell: Cell = cells.put(sheet, row, column, value)
    return cell


def title_lines(sheet: Worksheet, lines: Sequence[tuple[str, bool]], *, size: float = 13) -> None:
    """Lines above a table from row 1: bold titles, or italic notes (bold=False)."""
    for row, (text, bold) in enumerate(lines, start=1):
        put(sheet, row, 1, text or None).font = Font(name=FONT, size=size, bold=bold, italic=not bold)


def write_table(
    sheet: Worksheet,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    header_row: int,
    freeze_column: int = 1,
) -> None:
    """The header on `header_row`, one row per item below it, panes frozen under the header (and
    left of `freeze_column`). Empty values (None) stay empty cells: no data is not zero."""
    for number, (header, width, _format) in enumerate(columns, start=1):
        cell = put(sheet, header_row, number, header)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.fill, cell.border = HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(number)].width = width
    for offset, values in enumerate(rows, start=1):
        for number, value in enumerate(values, start=1):
            cell = put(sheet, header_row + offset, number, value)
            cell.font, cell.border = Font(name=FONT, size=12), BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str))
            number_format = columns[number - 1][2]
            if number_format and value is not None:
                cell.number_format = number_format
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=freeze_column)


def new_workbook() -> tuple[Workbook, Worksheet]:
    """A workbook and its first sheet."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    return workbook, sheet


def as_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
