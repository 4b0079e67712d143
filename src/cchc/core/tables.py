"""Reading a table from a CSV or XLSX file that a person uploaded: one reader for every import.

`read_table` returns the data rows as dicts keyed by column with the row number a spreadsheet shows
(the header is row 1) under "_row", or a list of `RowError`s saying in words what is wrong with the
file as a whole (not CSV or XLSX, not UTF-8, damaged, empty, columns missing). Cells are text, except
dates, which stay dates; codes typed as numbers come back without ".0".
"""

import csv
import datetime
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

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
    return str(value).strip()


def _csv_rows(content: bytes) -> Iterable[list[Any]]:
    text = content.decode("utf-8-sig")
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_table(
    content: bytes, filename: str, columns: list[str], optional: tuple[str, ...] = ()
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """The data rows of a CSV or XLSX file as dicts keyed by column, each with its row number under "_row".

    `columns` must all be in the header; `optional` ones are read when present and are empty text
    otherwise.
    """
    kind = file_format(filename)
    if kind is None:
        return [], [RowError(None, "", _("Only CSV and XLSX files can be imported."))]
    try:
        table = list(_csv_rows(content)) if kind == "csv" else _xlsx_rows(content)
    except UnicodeDecodeError:
        return [], [
            RowError(None, "", _("The CSV file is not UTF-8 text. Save it as “CSV UTF-8” and try again."))
        ]
    except Exception:  # csv and openpyxl raise many kinds of errors for damaged or mislabelled files
        if kind == "csv":
            return [], [RowError(None, "", _("The file cannot be read as CSV."))]
        return [], [RowError(None, "", _("The file cannot be read as an XLSX workbook."))]
    if not table:
        return [], [RowError(None, "", _("The file is empty."))]
    header = [str(_cell(name)).strip().lower() for name in table[0]]
    missing = [column for column in columns if column not in header]
    if missing:
        return [], [
            RowError(
                1, column, _("The column “%(column)s” is missing from the header row.") % {"column": column}
            )
            for column in missing
        ]
    positions = {column: header.index(column) for column in [*columns, *optional] if column in header}
    records = []
    for number, values in enumerate(table[1:], start=2):
        cells = [_cell(value) for value in values]
        if not any(cell != "" for cell in cells):
            continue
        record: dict[str, Any] = {column: "" for column in optional}
        record |= {column: cells[index] if index < len(cells) else "" for column, index in positions.items()}
        record["_row"] = number
        records.append(record)
    if not records:
        return [], [RowError(None, "", _("The file has a header row but no data rows."))]
    return records, []
