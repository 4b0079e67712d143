"""PostgreSQL's binary COPY format for a whole polars frame, built with numpy column by column.

COPY … (FORMAT csv) makes polars print every timestamp, date and number as text and the server parse
it back; at millions of rows that is most of the writer's and a good part of the backend's time. In
the binary format each field is a 32-bit big-endian length (-1 for NULL) and the value in the type's
own wire form: integers big-endian, booleans one byte, dates as days and timestamps as microseconds
since 2000-01-01 (UTC), text as its UTF-8 bytes, jsonb as a version byte and the JSON text.

The rows are laid out without a loop over them: one numpy record per row, as wide as the widest row
(each field at the same place on every row), is filled column by column, the text of a whole column
(joined once by polars) moved into place by one index array; then one mask drops the bytes no row
needs (the values of NULLs, text shorter than the column's longest), and what is left, read row after
row, is the wire format. The encoder follows the table's column
types as the database reports them, so a column added to the table and the frame needs no change
here; a type or a frame column it does not know makes `encoder` return None (the caller uses CSV).
"""

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"
EPOCH_DAYS = 10_957  # 1970-01-01 to 2000-01-01, PostgreSQL's epoch
EPOCH_US = EPOCH_DAYS * 86_400 * 1_000_000
FIXED = {"int2": ">i2", "int4": ">i4", "int8": ">i8", "bool": "u1", "date": ">i4", "timestamptz": ">i8"}
FIXED.update({"float8": ">f8", "float4": ">f4", "timestamp": ">i8"})
TEXT = ("text", "varchar", "bpchar", "json", "jsonb")
SLICE_BYTES = 8 * 2**20  # the most a row matrix holds at once (a very long text makes slices shorter)
INTEGERS = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32)


def column_types(cursor: Any, table: str) -> dict[str, str]:
    """The base type name of each column of `table` (int8, varchar, timestamptz, jsonb, …)."""
    cursor.execute(
        "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
        "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped",
        [table],
    )
    return dict(cursor.fetchall())


@dataclass
class Encoder:
    """Turns frames with the given columns into one binary COPY payload each."""

    columns: list[str]
    types: list[str]

    def sql(self, table: str) -> str:
        return f"COPY {table} ({', '.join(self.columns)}) FROM STDIN (FORMAT binary)"

    def fits(self, frame: pl.DataFrame) -> bool:
        """Whether every column's polars type has a binary form for its database type, and every
        integer fits its column (else CSV, and the server's own message about the value)."""
        return all(
            _fits(frame.schema[name], kind) and _in_range(frame[name], kind)
            for name, kind in zip(self.columns, self.types, strict=True)
        )

    def encode(self, frame: pl.DataFrame) -> bytes:
        return b"".join(self.pieces(frame))

    def pieces(self, frame: pl.DataFrame) -> Iterator[bytes]:
        """HEADER, the rows a slice of at most SLICE_BYTES at a time, TRAILER: sent piece by piece,
        a large frame (a first load's rollups) never sits in memory whole in this form."""
        values, step = self._columns(frame)
        yield from self._payload(values, step, 0, frame.height)

    def payloads(self, frame: pl.DataFrame, bounds: Sequence[int]) -> list[list[bytes]]:
        """The pieces of one payload per range of rows `bounds[i]` to `bounds[i + 1]`, for one COPY
        each (a first load's months, each into its own table)."""
        values, step = self._columns(frame)
        return [list(self._payload(values, step, first, last)) for first, last in itertools.pairwise(bounds)]

    def _columns(self, frame: pl.DataFrame) -> tuple[list["_Fixed | _Text"], int]:
        """Each column as numpy arrays, made once for the whole frame (per slice, the dozens of small
        polars calls per column cost more than the rows did); the rows per slice."""
        values = [_values(frame[name], kind) for name, kind in zip(self.columns, self.types, strict=True)]
        width = 2 + sum(4 + column.width for column in values)
        return values, max(1, SLICE_BYTES // width)

    def _payload(self, values: list["_Fixed | _Text"], step: int, first: int, last: int) -> Iterator[bytes]:
        yield HEADER
        for start in range(first, last, step):
            stop = min(start + step, last)
            yield self._rows([column.slice(start, stop) for column in values], stop - start)
        yield TRAILER

    def _rows(self, values: list["_Fixed | _Text"], n: int) -> bytes:
        """The rows as one record array of the widest row (each field at the same place on every row,
        filled column by column); the bytes no row needs (NULL values, text shorter than the longest)
        are dropped at the end by one mask, and what is left, row after row, is the wire format."""
        layout: list[tuple[str, Any]] = [("n", ">i2")]
        for i, column in enumerate(values):
            layout.append((f"l{i}", ">i4"))
            if column.width:
                layout.append((f"v{i}", column.wire))
        record = np.dtype(layout)
        rows = np.empty(n, dtype=record)
        rows["n"] = len(values)
        keep: np.ndarray | None = None
        for i, column in enumerate(values):
            rows[f"l{i}"] = column.length_fields()
            if not column.width:
                continue
            unused = column.write(rows, f"v{i}")
            if unused is not None:
                if keep is None:
                    keep = np.ones(n * record.itemsize, dtype=np.uint8)
                keep.view(record)[f"v{i}"] = unused
        data = rows.view(np.uint8)
        return (data if keep is None else data[keep.view(bool)]).tobytes()


def encoder(cursor: Any, table: str, columns: Sequence[str]) -> Encoder | None:
    """An encoder for these columns of `table`, or None when one of their types has no binary form here."""
    types = column_types(cursor, table)
    kinds = [types.get(name, "") for name in columns]
    if not all(kind in FIXED or kind in TEXT for kind in kinds):
        return None
    return Encoder(list(columns), kinds)


def _fits(dtype: Any, kind: str) -> bool:
    if kind in TEXT:
        return dtype == pl.String
    if kind == "bool":
        return dtype == pl.Boolean
    if kind == "date":
        return dtype == pl.Date
    if kind == "timestamptz":
        return isinstance(dtype, pl.Datetime) and dtype.time_zone is not None
    if kind == "timestamp":
        return isinstance(dtype, pl.Datetime) and dtype.time_zone is None
    if kind in ("float8", "float4"):
        return dtype in (pl.Float32, pl.Float64)
    return dtype in INTEGERS or dtype == pl.Null


# A value of this many bytes, every byte 1: the mask that keeps all its bytes.
ALL_KEPT: dict[int, Any] = {
    1: np.uint8(1),
    2: np.uint16(0x0101),
    4: np.uint32(0x01010101),
    8: np.uint64(0x0101010101010101),
}


INTEGER_BITS = {"int2": 16, "int4": 32, "int8": 64}


def _in_range(series: pl.Series, kind: str) -> bool:
    """Narrowing a wider integer to its column's width would wrap silently; the server refuses it."""
    bits = INTEGER_BITS.get(kind)
    if bits is None or bits == 64 or series.dtype not in INTEGERS or series.null_count() == series.len():
        return True
    low, high = series.min(), series.max()
    return -(2 ** (bits - 1)) <= low and high < 2 ** (bits - 1)  # type: ignore[operator]


class _Fixed:
    """A fixed-width column: its values in wire order, and which rows are NULL."""

    def __init__(self, data: np.ndarray, null: np.ndarray) -> None:
        self.data, self.null = data, null
        self.width = data.dtype.itemsize
        self.wire = data.dtype
        self.any_null = bool(null.any())

    def slice(self, start: int, stop: int) -> "_Fixed":
        return _Fixed(self.data[start:stop], self.null[start:stop])

    def length_fields(self) -> Any:
        """The field length of every row: the width, -1 for NULL (one number when no row is NULL)."""
        return np.where(self.null, -1, self.width) if self.any_null else self.width

    def write(self, rows: np.ndarray, name: str) -> np.ndarray | None:
        """Put the values in the field `name` of every row; a keep mask of its bytes (as one unsigned
        integer per row: 0 drops a NULL's bytes) when any row is NULL."""
        rows[name] = self.data
        if not self.any_null:
            return None
        return np.where(self.null, 0, ALL_KEPT[self.width])


class _Text:
    """A text column: its UTF-8 bytes joined, each row's byte length (0 for NULL), which rows are NULL."""

    def __init__(
        self, joined: np.ndarray, lengths: np.ndarray, null: np.ndarray, ends: np.ndarray | None = None
    ) -> None:
        """`ends`: where each row's text ends in `joined` (the running sum of `lengths`)."""
        self.joined, self.lengths, self.null = joined, lengths, null
        self.ends = np.cumsum(lengths) if ends is None else ends
        self.width = int(lengths.max()) if lengths.size else 0
        self.wire = (np.uint8, (self.width,))
        # Codes written by one system often all have the same length: then the column is fixed-width.
        self.same_length = bool(lengths.size) and int(lengths.min()) == self.width and not null.any()

    def slice(self, start: int, stop: int) -> "_Text":
        first = int(self.ends[start - 1]) if start else 0
        last = int(self.ends[stop - 1]) if stop > start else first
        ends = self.ends[start:stop] - first
        return _Text(self.joined[first:last], self.lengths[start:stop], self.null[start:stop], ends)

    def length_fields(self) -> Any:
        return self.width if self.same_length else np.where(self.null, -1, self.lengths)

    def write(self, rows: np.ndarray, name: str) -> np.ndarray | None:
        """Put each row's text in the field `name`; the keep mask of its bytes: those within the row's
        own length (None when every row fills the field)."""
        if self.same_length:
            rows[name] = self.joined.reshape(rows.size, self.width)
            return None
        n, row_width = rows.size, rows.dtype.itemsize
        place = rows.dtype.fields[name][1]  # type: ignore[index]  # a record dtype has fields
        source = self.joined
        if source.size:
            source_starts = self.ends - self.lengths
            # Byte j of the joined text goes to j plus the shift of the row it belongs to.
            shift = np.repeat(np.arange(n, dtype=np.int64) * row_width + place - source_starts, self.lengths)
            rows.view(np.uint8)[np.arange(source.size, dtype=np.int64) + shift] = source
        return (np.arange(self.width)[None, :] < self.lengths[:, None]).view(np.uint8)


def _values(series: pl.Series, kind: str) -> _Fixed | _Text:
    null = series.is_null().to_numpy()
    if kind in TEXT:
        text = series
        if kind == "jsonb":
            text = "\x01" + text  # jsonb's binary form: version 1, then the text
        text = text.fill_null("")
        lengths = text.str.len_bytes().cast(pl.Int64).to_numpy()
        joined = text.str.join("").item() if series.len() else ""
        return _Text(np.frombuffer(joined.encode("utf-8"), dtype=np.uint8), lengths, null)
    wire = FIXED[kind]
    if kind == "timestamptz" or kind == "timestamp":
        raw = series.dt.cast_time_unit("us").to_physical().fill_null(0).to_numpy() - EPOCH_US
    elif kind == "date":
        raw = series.to_physical().fill_null(0).to_numpy() - EPOCH_DAYS
    elif kind == "bool":
        raw = series.fill_null(False).to_numpy()
    else:
        raw = series.fill_null(0).to_numpy()
    return _Fixed(np.ascontiguousarray(raw.astype(wire)), null)
