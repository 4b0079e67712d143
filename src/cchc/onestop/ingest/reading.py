"""Reading import files (CSV, XLSX, JSON) as batches of text columns with canonical names.

Every cell is read as text and typed later by `values`, so a bad cell is a row error and never a
failed file. Each batch carries `_row`, the row number a person sees: in CSV and XLSX the header is
row 1, in JSON the first record is row 1.
"""

import datetime
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from django.utils.translation import gettext as _

ROW = "_row"


class UnreadableFile(ValueError):
    """The file as a whole cannot be read (wrong format, no header, broken JSON)."""


def normalise_name(name: str) -> str:
    return str(name or "").strip().lstrip("\ufeff").lower().replace(" ", "_")


def canonical_columns(columns: Iterable[str], aliases: dict[str, str]) -> dict[str, str]:
    """Map each column of the file to its canonical name (aliases of the national portal included)."""
    lowered = {key.lower(): value for key, value in aliases.items()}
    renames: dict[str, str] = {}
    for column in columns:
        name = normalise_name(column)
        renames[column] = lowered.get(name, name)
    return renames


def _finish(frame: pl.DataFrame, aliases: dict[str, str], first_row: int) -> pl.DataFrame:
    renames = canonical_columns(frame.columns, aliases)
    targets = list(renames.values())
    duplicated = sorted({name for name in targets if targets.count(name) > 1})
    if duplicated:
        raise UnreadableFile(
            _("The column %(name)s appears more than once.") % {"name": ", ".join(duplicated)}
        )
    frame = frame.rename(renames).with_columns(pl.all().cast(pl.String))
    if ROW in frame.columns:  # the reader knew the row numbers (blank spreadsheet rows are skipped)
        return frame.with_columns(pl.col(ROW).cast(pl.Int64))
    return frame.with_row_index(ROW, offset=first_row).with_columns(pl.col(ROW).cast(pl.Int64))


def read_batches(path: Path, aliases: dict[str, str], batch_rows: int) -> Iterator[pl.DataFrame]:
    """Yield the file's rows in batches of at most `batch_rows`, as text, with `_row` numbers."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        yield from _csv_batches(path, aliases, batch_rows)
    elif suffix == ".xlsx":
        yield from record_batches(_xlsx_records(path), aliases, batch_rows, first_row=2)
    elif suffix == ".json":
        yield from record_batches(_json_records(path.read_bytes()), aliases, batch_rows, first_row=1)
    else:
        raise UnreadableFile(
            _("Only CSV, XLSX and JSON files can be imported (this file is %(suffix)s).")
            % {"suffix": suffix or "?"}
        )


CSV_PIECE_BYTES = 8 * 2**20  # how much of a CSV file is parsed at a time


def _csv_batches(path: Path, aliases: dict[str, str], batch_rows: int) -> Iterator[pl.DataFrame]:
    """The file parsed a few megabytes at a time and handed on in batches of about `batch_rows`.

    Reading through polars' lazy scan would keep about half a gigabyte of the file in flight
    whatever the batch size; pieces cut at row ends keep an import's memory near one batch.
    """
    try:
        columns: list[str] | None = None
        parts: list[pl.DataFrame] = []
        held, next_row = 0, 2
        for piece in _csv_pieces(path):
            if columns is None:
                frame = pl.read_csv(io.BytesIO(piece), infer_schema=False, encoding="utf8-lossy")
                columns = frame.columns
            else:
                frame = pl.read_csv(
                    io.BytesIO(piece),
                    has_header=False,
                    new_columns=columns,
                    infer_schema=False,
                    encoding="utf8-lossy",
                )
            if frame.height:
                parts.append(frame)
                held += frame.height
            if held >= batch_rows:
                yield _finish(pl.concat(parts, rechunk=False), aliases, next_row)
                parts, next_row, held = [], next_row + held, 0
        if parts:
            yield _finish(pl.concat(parts, rechunk=False), aliases, next_row)
        elif next_row == 2:  # a header without rows: still let the caller check the columns
            yield _finish(pl.DataFrame(schema=dict.fromkeys(columns or [], pl.String)), aliases, 2)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as error:
        raise UnreadableFile(
            _("The CSV file cannot be read: %(error)s") % {"error": str(error).splitlines()[0]}
        ) from error


def _csv_pieces(path: Path) -> Iterator[bytes]:
    """The file's bytes in pieces that end where a row ends: at a line break outside quotes.

    CSV doubles a quote inside a quoted field, so a line break ends a row exactly when the quotes
    before it are even in number.
    """
    rest = b""
    with path.open("rb") as handle:
        while True:
            data = handle.read(CSV_PIECE_BYTES)
            if not data:
                if rest:
                    yield rest
                return
            buffer = rest + data
            codes = np.frombuffer(buffer, dtype=np.uint8)
            outside_quotes = (np.cumsum(codes == ord('"'), dtype=np.uint8) & 1) == 0  # wraps, stays even
            ends = np.flatnonzero((codes == ord("\n")) & outside_quotes)
            if ends.size == 0:  # one row longer than a piece: read on
                rest = buffer
                continue
            cut = int(ends[-1]) + 1
            rest = buffer[cut:]
            yield buffer[:cut]


def record_batches(
    records: Iterable[dict[str, Any]], aliases: dict[str, str], batch_rows: int, first_row: int
) -> Iterator[pl.DataFrame]:
    batch: list[dict[str, Any]] = []
    next_row = first_row
    for record in records:
        batch.append(record)
        if len(batch) >= batch_rows:
            yield _finish(records_frame(batch), aliases, next_row)
            next_row += len(batch)
            batch = []
    if batch:
        yield _finish(records_frame(batch), aliases, next_row)


def records_frame(records: list[dict[str, Any]]) -> pl.DataFrame:
    """A text frame from a list of records; nested values (supplements) are kept as JSON text."""
    columns: dict[str, list[Any]] = {}
    for record in records:
        for key in record:
            columns.setdefault(key, [])
    data = {key: [_cell(record.get(key)) for record in records] for key in columns}
    return pl.DataFrame(data, schema={key: pl.String for key in data})


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bool):
        return "1" if value else "0"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def records_from_json(data: Any) -> list[dict[str, Any]]:
    """Accept a list of records, or an object holding one list (e.g. {"dossiers": [...]})."""
    if isinstance(data, dict):
        lists = [value for value in data.values() if isinstance(value, list)]
        if len(lists) != 1:
            raise UnreadableFile(_("The JSON must be a list of records, or an object holding one list."))
        data = lists[0]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise UnreadableFile(_("The JSON must be a list of records, or an object holding one list."))
    return data


def _json_records(content: bytes) -> list[dict[str, Any]]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableFile(_("The JSON file cannot be read: %(error)s") % {"error": error}) from error
    return records_from_json(data)


def _xlsx_records(path: Path) -> Iterator[dict[str, Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        raise UnreadableFile(_("The XLSX file cannot be read: %(error)s") % {"error": error}) from error
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise UnreadableFile(_("The first sheet has no header row."))
    names = [str(cell).strip() if cell is not None else "" for cell in header]
    for number, values in enumerate(rows, start=2):
        if values is None or all(cell is None or str(cell).strip() == "" for cell in values):
            continue
        record = {name: _xlsx_cell(value) for name, value in zip(names, values, strict=False) if name}
        record[ROW] = number
        yield record
    workbook.close()


def _xlsx_cell(value: Any) -> Any:
    # Spreadsheets hand back datetimes without a zone; they are Vietnamese local time.
    # A date cell comes back as midnight: keep it a date, so that a due date lasts the whole day.
    if hasattr(value, "strftime") and hasattr(value, "hour"):
        return value.strftime("%Y-%m-%d" if value.time() == datetime.time() else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
