"""Reading a table from a CSV or XLSX file that a person uploaded: one reader for every import.

`read_table` returns the data rows as dicts keyed by column with the row number a spreadsheet shows
(the header is row 1) under "_row", or a list of `RowError`s saying in words what is wrong with the
file as a whole (not CSV or XLSX, not UTF-8, damaged, too big, empty, columns missing). Cells are
text, except dates, which stay dates; codes typed as numbers come back without ".0"; formulas are
never evaluated (a workbook gives the value it saved).
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from cchc.core import untrusted
from cchc.core.cells import restore
from cchc.core.text import fold, in_every_language
from cchc.core.untrusted import TableLimits

FORMATS = ("csv", "xlsx")


class RowError(NamedTuple):
    """A problem of one row (or of the file as a whole when `row` is None)."""

    row: int | None
    column: str
    message: str


def file_format(filename: str) -> str | None:
    suffix = Path(filename).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def _cell(value: Any) -> Any:
    """A spreadsheet cell as text, except dates, which stay dates."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code typed as a number comes back as 56.0
    return restore(str(value).strip())  # an export's guard apostrophe is not part of the value


def _csv_rows(content: bytes, limits: TableLimits) -> Iterator[list[Any]]:
    text = untrusted.decode_text(content)
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    # Counted on the raw line, before the csv module builds a list of a million empty names.
    if header.count(delimiter) >= limits.columns:
        raise limits.too_many_columns()
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise limits.cell_too_long() from error
        raise


def _xlsx_rows(content: bytes, limits: TableLimits) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    untrusted.check_zip(content, kind="XLSX")
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
    try:
        yield from sheet_rows(workbook.worksheets[0], limits)
    finally:
        workbook.close()


def sheet_rows(sheet: Any, limits: TableLimits) -> Iterator[tuple[Any, ...]]:
    """The rows of a read-only worksheet, each as wide as its header row and no wider.

    The size a file states in its <dimension> can claim a million rows of 16,384 columns around a
    single cell, and openpyxl would fill them all in: it is forgotten first. The header is read one
    column beyond the limit, to tell a too wide sheet; cells right of the header are never read.
    """
    sheet.reset_dimensions()
    first = next(sheet.iter_rows(max_row=1, max_col=limits.columns + 1, values_only=True), ())
    named = [position for position, value in enumerate(first) if value not in (None, "")]
    width = named[-1] + 1 if named else 0
    if width > limits.columns:
        raise limits.too_many_columns()
    yield tuple(first[:width])
    yield from sheet.iter_rows(min_row=2, max_col=max(width, 1), values_only=True)


def bounded_rows(rows: Iterable[Sequence[Any]], limits: TableLimits) -> Iterator[tuple[int, list[Any]]]:
    """The rows with their numbers (the first is 1), each cut to the column limit, refusing the file
    (`UntrustedFile`) at the first row that breaks a limit. Values are passed on as they are.

    Blank rows count towards the row limit too: a sheet can number its second row 1,048,576. openpyxl
    hands out one and the same tuple for each row missing from a sheet: it is known at a glance.
    """
    blank = None
    for number, values in enumerate(rows, start=1):
        if limits.rows is not None and number > limits.rows + 1:  # the header is not a data row
            raise limits.too_many_rows()
        if values is blank:
            yield number, []
            continue
        beyond = values[limits.columns :]
        if beyond and any(value not in (None, "") for value in beyond):
            raise limits.too_many_columns()
        if values.count(None) == len(values):
            blank = values
            yield number, []
            continue
        kept = list(values[: limits.columns])
        for position, value in enumerate(kept):
            if isinstance(value, str) and len(value) > limits.cell_chars:
                raise limits.cell_too_long(number, _column_name(position))
        yield number, kept


def _column_name(position: int) -> str:
    """The spreadsheet letter of a column: what a person finds the cell by."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(position + 1)


def heading_names(column: str, headings: Mapping[str, Any]) -> set[str]:
    """Every header text that means `column`, folded: its machine name and its heading in each language."""
    heading = headings.get(column)
    return {fold(column)} | (in_every_language(heading) if heading is not None else set())


def header_positions(
    header: Sequence[Any], columns: Sequence[str], headings: Mapping[str, Any] | None = None
) -> dict[str, int]:
    """Where each of `columns` is in a header row. A column may be headed by its machine name
    ("parent_code") or by its heading in any language ("Mã đơn vị cấp trên"), in any case and with or
    without diacritics, so that both the files we export and older files made by hand import."""
    folded = [fold(str(_cell(name))) if name is not None else "" for name in header]
    positions: dict[str, int] = {}
    for column in columns:
        names = heading_names(column, headings or {})
        for index, text in enumerate(folded):
            if text in names:
                positions[column] = index
                break
    return positions


def headings_row(columns: Sequence[str], headings: Mapping[str, Any]) -> list[str]:
    """The header a person reads: each column's heading in the current language, or its name."""
    return [str(headings.get(column, column)) for column in columns]


def read_table(
    content: bytes,
    filename: str,
    columns: list[str],
    optional: tuple[str, ...] = (),
    headings: Mapping[str, Any] | None = None,
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """The data rows of a CSV or XLSX file as dicts keyed by column, each with its row number under "_row".

    `columns` must all be in the header; `optional` ones are read when present and are empty text
    otherwise. With `headings` (column -> translatable heading) a column may also be headed by its
    heading (see `header_positions`). The file is refused as a whole, before or while it is read, when
    it breaks a limit of `cchc.core.untrusted` (size, inflated size, rows, columns, cell length, encoding).
    """
    kind = file_format(filename)
    if kind is None:
        return [], [RowError(None, "", _("Only CSV and XLSX files can be imported."))]
    limits = TableLimits.from_settings()
    header: list[str] | None = None
    records: list[dict[str, Any]] = []
    try:
        untrusted.check_size(len(content))
        rows = _csv_rows(content, limits) if kind == "csv" else _xlsx_rows(content, limits)
        for number, values in bounded_rows(rows, limits):
            if header is None:
                header = list(values)
                positions = header_positions(header, [*columns, *optional], headings)
                missing = [column for column in columns if column not in positions]
                if missing:
                    return [], [
                        RowError(
                            1,
                            column,
                            _("The column “%(column)s” is missing from the header row.")
                            % {"column": headings_row([column], headings or {})[0]},
                        )
                        for column in missing
                    ]
                continue
            cells = [_cell(value) for value in values]
            if not any(cell != "" for cell in cells):
                continue
            record: dict[str, Any] = {column: "" for column in optional}
            record |= {
                column: cells[index] if index < len(cells) else "" for column, index in positions.items()
            }
            record["_row"] = number
            records.append(record)
    except untrusted.UntrustedFile as error:
        return [], [RowError(error.row, error.column, str(error))]
    except Exception:  # csv and openpyxl raise many kinds of errors for damaged or mislabelled files
        if kind == "csv":
            return [], [RowError(None, "", _("The file cannot be read as CSV."))]
        return [], [RowError(None, "", _("The file cannot be read as an XLSX workbook."))]
    if header is None:
        return [], [RowError(None, "", _("The file is empty."))]
    if not records:
        return [], [RowError(None, "", _("The file has a header row but no data rows."))]
    return records, []
