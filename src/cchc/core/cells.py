"""Spreadsheet cells that never run: the one place every XLSX and CSV export goes through.

A spreadsheet program treats text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
as the start of a formula, so a feedback title such as `=HYPERLINK("http://…","x")` would become a
live link, or worse, in an official's copy of the export. Following the usual guidance for CSV
injection, such text is written so that it can only be read as text:

- in a workbook (`put`) the cell is a string cell (never a formula) and carries the "quote prefix"
  style, which is what Excel itself sets when a person types an apostrophe before the text;
- in a CSV file (`csv_writer`) the text gets a leading apostrophe (`'`), which the spreadsheet shows
  as a text marker and does not evaluate.

Only text is touched: numbers stay numbers (a negative number is a number, not a formula), and
text that is just a number, such as "-1.5", is left as it is, since it cannot run. Reading a table
back (`core.tables`) removes the apostrophe again (`restore`), so an exported file imports unchanged.

It sits in core because the units export, below the kit, needs it; `kit.xlsx` builds on it.
"""

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*(?:[eE][+-]?\d+)?")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could take `text` for a formula: it begins with one of the six
    characters and is not simply a number."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def neutral(value: Any) -> Any:
    """A value as it goes into a CSV file: formula-like text gets a leading apostrophe; anything
    else, numbers included, is returned unchanged."""
    if isinstance(value, str) and formula_like(value):
        return QUOTE + value
    return value


def restore(text: str) -> str:
    """Undo `neutral` on text read back from a file: the apostrophe goes only where it guards a
    formula-like text, so an apostrophe that belongs to the text stays."""
    if text.startswith(QUOTE) and formula_like(text[1:]):
        return text[1:]
    return text


class NeutralWriter:
    """A `csv.writer` whose every row passes through `neutral`."""

    def __init__(self, stream: IO[str], **options: Any):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutral(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: IO[str], **options: Any) -> NeutralWriter:
    """The CSV writer for every export: like `csv.writer(stream, **options)`, with formulas
    neutralised."""
    return NeutralWriter(stream, **options)


def put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write one value into an openpyxl sheet and return the cell; formula-like text is stored as a
    string cell with the quote prefix, never as a formula."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def write_rows(sheet: Any, rows: Iterable[Iterable[Any]], *, first_row: int = 1) -> None:
    """Each row of values from column A, starting at `first_row`, through `put`."""
    for number, values in enumerate(rows, start=first_row):
        for column, value in enumerate(values, start=1):
            put(sheet, number, column, value)
