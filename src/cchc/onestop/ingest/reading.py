"""Reading import files (CSV, XLSX, JSON) as batches of text columns with canonical names.

Every cell is read as text and typed later by `values`, so a bad cell is a row error and never a
failed file. Each batch carries `_row`, the row number a person sees: in CSV and XLSX the header is
row 1, in JSON the first record is row 1.

A file may hold millions of rows, so rows are not limited here; columns, cell length, the inflated
size of an XLSX and the text encoding are (`cchc.core.untrusted`), each checked before the parser
spends time or memory on it: a CSV header is counted on its raw bytes before polars sees it.
"""

import codecs
import datetime
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import polars as pl
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from cchc.core import tables, untrusted
from cchc.core.untrusted import TableLimits, UntrustedFile

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


def _limits() -> TableLimits:
    return TableLimits.from_settings(rows=False)


def _finish(frame: pl.DataFrame, aliases: dict[str, str], first_row: int) -> pl.DataFrame:
    limits = _limits()
    if frame.width > limits.columns + 1:  # `_row` may be one of them
        raise UnreadableFile(str(limits.too_many_columns(frame.width)))
    renames = canonical_columns(frame.columns, aliases)
    counts = Counter(renames.values())
    duplicated = sorted(name for name, count in counts.items() if count > 1)
    if duplicated:
        raise UnreadableFile(
            _("The column %(name)s appears more than once.") % {"name": ", ".join(duplicated)}
        )
    frame = frame.rename(renames).with_columns(pl.all().cast(pl.String))
    if ROW in frame.columns:  # the reader knew the row numbers (blank spreadsheet rows are skipped)
        frame = frame.with_columns(pl.col(ROW).cast(pl.Int64))
    else:
        frame = frame.with_row_index(ROW, offset=first_row).with_columns(pl.col(ROW).cast(pl.Int64))
    _check_cell_length(frame, limits)
    return frame


def _check_cell_length(frame: pl.DataFrame, limits: TableLimits) -> None:
    """Refuse the file at its first cell longer than the limit (bytes first: cheap, and never fewer)."""
    texts = [name for name in frame.columns if name != ROW]
    if not texts or frame.height == 0:
        return
    longest = frame.select(pl.col(texts).str.len_bytes().max()).row(0)
    for name, size in zip(texts, longest, strict=True):
        if size is None or size <= limits.cell_chars:
            continue
        too_long = frame.filter(pl.col(name).str.len_chars() > limits.cell_chars)
        if too_long.height:
            raise UnreadableFile(str(limits.cell_too_long(int(too_long[ROW][0]), name)))


def read_batches(path: Path, aliases: dict[str, str], batch_rows: int) -> Iterator[pl.DataFrame]:
    """Yield the file's rows in batches of at most `batch_rows`, as text, with `_row` numbers."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        yield from _csv_batches(path, aliases, batch_rows)
    elif suffix == ".xlsx":
        yield from record_batches(_xlsx_records(path), aliases, batch_rows, first_row=2)
    elif suffix == ".json":
        # A JSON document is parsed whole, into many times its size in memory: it is bounded.
        try:
            untrusted.check_size(path.stat().st_size, settings.CCHC_ONESTOP_JSON_MAX_BYTES)
        except UntrustedFile as error:
            raise UnreadableFile(f"{error} {_('Large files are best sent as CSV.')}") from error
        yield from record_batches(_json_records(path.read_bytes()), aliases, batch_rows, first_row=1)
    else:
        raise UnreadableFile(
            _("Only CSV, XLSX and JSON files can be imported (this file is %(suffix)s).")
            % {"suffix": suffix or "?"}
        )


Prepared = TypeVar("Prepared")


def prepared_ahead(
    batches: Iterable[pl.DataFrame], prepare: Callable[[pl.DataFrame], Prepared]
) -> Iterator[tuple[pl.DataFrame, Prepared]]:
    """Each batch with what `prepare` makes of it, prepared on a worker thread one batch ahead.

    While the caller stores a batch, the next one is already being checked: polars releases the
    interpreter lock, and the caller's own work (encoding, writing) is mostly numpy and the network.
    On two cores this took a 10 M-row first load from 79 to 70 s. The worker speaks the caller's
    language (its messages are row errors a person reads); what it raises reaches the caller with
    the batch. Closing the iterator early waits for the batch under way and drops the rest.
    """
    language = translation.get_language()

    def work(batch: pl.DataFrame) -> Prepared:
        with translation.override(language):
            return prepare(batch)

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="onestop-prepare")
    try:
        waiting: tuple[pl.DataFrame, Future[Prepared]] | None = None
        for batch in batches:
            future = pool.submit(work, batch)
            if waiting is not None:
                yield waiting[0], waiting[1].result()
            waiting = (batch, future)
        if waiting is not None:
            yield waiting[0], waiting[1].result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


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
        for piece in _csv_pieces(path, _limits()):
            if columns is None:
                frame = pl.read_csv(io.BytesIO(piece), infer_schema=False, encoding="utf8")
                columns = frame.columns
            else:
                frame = pl.read_csv(
                    io.BytesIO(piece),
                    has_header=False,
                    new_columns=columns,
                    infer_schema=False,
                    encoding="utf8",
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
    except pl.exceptions.PolarsError as error:  # a piece whose rows do not fit the header, among others
        raise UnreadableFile(_csv_problem(error)) from error


def _csv_problem(error: Exception) -> str:
    """polars' reason in the official's words: its own message is English and names its internals."""
    if "more fields" in str(error):
        return _("The CSV file cannot be read: a row has more cells than the header row has columns.")
    return _(
        "The CSV file cannot be read: it is damaged or its rows do not match the header row. "
        "Open it in a spreadsheet program and save it again as CSV UTF-8."
    )


def _csv_pieces(path: Path, limits: TableLimits) -> Iterator[bytes]:
    """The file's UTF-8 bytes in pieces that end where a row ends: at a line break outside quotes.

    CSV doubles a quote inside a quoted field, so a line break ends a row exactly when the quotes
    before it are even in number. A line break is never part of a multi-byte UTF-8 character, so
    each piece can be checked as UTF-8 on its own. The header's columns are counted on the raw
    bytes, and a row may not grow beyond what its columns and cells could hold.
    """
    longest_row = (limits.columns + 1) * (4 * limits.cell_chars + 3)
    rest, header_checked = b"", False
    for data in _utf8_blocks(path):
        buffer = rest + data
        if not header_checked:
            line_end = buffer.find(b"\n")
            if buffer.count(b",", 0, None if line_end < 0 else line_end) >= limits.columns:
                raise UnreadableFile(str(limits.too_many_columns()))
            header_checked = line_end >= 0
        cut = _last_row_end(buffer)
        if cut == 0:  # one row longer than a piece: read on, within reason
            if len(buffer) > longest_row:
                raise UnreadableFile(str(limits.cell_too_long()))
            rest = buffer
            continue
        rest = buffer[cut:]
        yield _checked_utf8(buffer[:cut])
    if rest:
        yield _checked_utf8(rest)


def _last_row_end(buffer: bytes) -> int:
    """Where the last complete row of `buffer` ends (just after its line break), 0 if none does.

    Walks back from the last line break, counting quotes with bytes.count (a scan in C, several
    times faster than a running sum over every byte in numpy): the number of quotes before a line
    break is their total less those after it, and the break ends a row when that number is even.
    """
    quotes_before = buffer.count(b'"')
    end = len(buffer)
    while (line_break := buffer.rfind(b"\n", 0, end)) >= 0:
        quotes_before -= buffer.count(b'"', line_break, end)
        if quotes_before % 2 == 0:
            return line_break + 1
        end = line_break
    return 0


def _utf8_blocks(path: Path) -> Iterator[bytes]:
    """The file as UTF-8 bytes: as it is, or re-encoded when its mark says UTF-16."""
    with path.open("rb") as handle:
        encoding, skip = untrusted.text_encoding(handle.read(4))
        handle.seek(skip)
        if encoding == "utf-8":
            while data := handle.read(CSV_PIECE_BYTES):
                yield data
            return
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            while data := handle.read(CSV_PIECE_BYTES):
                yield decoder.decode(data).encode("utf-8")
            yield decoder.decode(b"", final=True).encode("utf-8")
        except UnicodeDecodeError as error:
            raise UnreadableFile(untrusted.not_utf8_message()) from error


def _checked_utf8(piece: bytes) -> bytes:
    """The piece itself, or UnreadableFile when it is not clean UTF-8 text (never U+FFFD in the data)."""
    if b"\x00" in piece:  # UTF-16 without its mark, or a binary file
        raise UnreadableFile(untrusted.not_utf8_message())
    if not piece.isascii():
        try:
            piece.decode("utf-8")
        except UnicodeDecodeError as error:
            raise UnreadableFile(untrusted.not_utf8_message()) from error
    return piece


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
    limits = _limits()
    columns: dict[str, list[Any]] = {}
    for record in records:
        if len(record) > limits.columns + 1:
            raise UnreadableFile(str(limits.too_many_columns(len(record))))
        for key in record:
            columns.setdefault(key, [])
        if len(columns) > limits.columns + 1:  # `_row` may be one of them
            raise UnreadableFile(str(limits.too_many_columns()))
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
    limits = _limits()
    for number, item in enumerate(data, start=1):
        if len(item) > limits.columns:
            raise UnreadableFile(
                _("Record %(row)s has %(count)s fields; at most %(limit)s are accepted.")
                % {"row": number, "count": len(item), "limit": limits.columns}
            )
    return data


def _json_records(content: bytes) -> list[dict[str, Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(_("The JSON file is not UTF-8 text.")) from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableFile(_("The JSON file cannot be read: %(error)s") % {"error": error}) from error
    except RecursionError:  # "[[[[…" nested beyond what the parser can follow: never a list of records
        raise UnreadableFile(too_deep_message()) from None
    return records_from_json(data)


def too_deep_message() -> str:
    return _("The JSON nests lists or objects too deeply: it must be a list of records.")


# The most rows a worksheet can have: a file that numbers a row beyond it is damaged or hostile.
XLSX_MAX_ROWS = 1_048_576


def _xlsx_records(path: Path) -> Iterator[dict[str, Any]]:
    from openpyxl import load_workbook

    limits = _limits()
    try:
        with path.open("rb") as handle:
            untrusted.check_zip(
                handle, kind="XLSX", max_inflated=settings.CCHC_ONESTOP_ZIP_MAX_INFLATED_BYTES
            )
        workbook = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except UntrustedFile as error:
        raise UnreadableFile(str(error)) from error
    except Exception as error:  # openpyxl raises many kinds for a broken workbook, all in English
        raise UnreadableFile(
            _(
                "The XLSX file cannot be read: it is damaged or is not an Excel workbook. "
                "Open it in Excel and save it again as .xlsx."
            )
        ) from error
    try:
        rows = tables.sheet_rows(workbook.worksheets[0], limits)
        header = next(rows)
    except UntrustedFile as error:
        raise UnreadableFile(str(error)) from error
    if not header:
        raise UnreadableFile(_("The first sheet has no header row."))
    names = [str(cell).strip() if cell is not None else "" for cell in header]
    blank = None  # openpyxl hands out one and the same tuple for each row missing from the sheet
    for number, values in enumerate(rows, start=2):
        if number > XLSX_MAX_ROWS:
            raise UnreadableFile(
                _("The XLSX file is damaged: it numbers rows beyond the last row a worksheet can have.")
            )
        if values is blank:
            continue
        if values is None or values.count(None) == len(values):
            blank = values
            continue
        if all(cell is None or str(cell).strip() == "" for cell in values):
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
