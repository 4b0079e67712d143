"""Finding the dossier codes that a file sends more than once, in memory that does not grow with it.

Each code is kept as a 64-bit hash with its row number (12 bytes). The first `SPILL_ROWS` stay in
memory; past them, they are written to `BUCKETS` files in a temporary directory under the data
directory (`CCHC_VAR_DIR`, as the system's temporary directory may live in memory), each file taking
the hashes whose top six bits are its number, so that equal hashes always land in the same file. At the
end the files are read and sorted one at a time: a 100 M-row file leaves about 1.6 million hashes
(19 MB) to each, where keeping them all took 1.6 GB.

The unique key of the dossier table cannot do this check: it also holds the month of receipt (the
partition key), so a code sent twice with two months would pass it.

Equal codes have equal hashes; the rare rows whose hashes meet are then compared by their codes,
read back from where the import wrote them.
"""

import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
import polars as pl
from django.conf import settings

from cchc.onestop.ingest.reading import ROW

ENTRY = np.dtype([("hash", "<u8"), ("row", "<u4")])  # packed: 12 bytes; row numbers up to 4.29 billion
BUCKET_BITS = 6  # 64 files: few enough open files, small enough pieces
BUCKETS = 2**BUCKET_BITS
SPILL_ROWS = 2_000_000  # hashes held in memory before they go to disk (24 MB)

CodesOf = Callable[[Sequence[int]], dict[int, str]]


class CodeHashes:
    """The hash and row number of every code written so far; `repeated()` names the codes sent twice.

    Call `close()` (or use it in a `with` block) to remove its files when the import stops early.
    """

    def __init__(self, spill_rows: int | None = None) -> None:
        self.spill_rows = spill_rows or SPILL_ROWS
        self.held: list[np.ndarray] = []
        self.held_rows = 0
        self.directory: tempfile.TemporaryDirectory[str] | None = None
        self.files: list[BinaryIO] = []

    def __enter__(self) -> "CodeHashes":
        return self

    def __exit__(self, *_exception: object) -> None:
        self.close()

    @property
    def spilled(self) -> bool:
        return self.directory is not None

    def add(self, rows: pl.DataFrame) -> None:
        entries = np.empty(rows.height, ENTRY)
        entries["hash"] = self.hash_codes(rows["code"])
        entries["row"] = rows[ROW].to_numpy()
        self.held.append(entries)
        self.held_rows += rows.height
        if self.held_rows >= self.spill_rows:
            self._spill()

    def hash_codes(self, codes: pl.Series) -> np.ndarray:
        return codes.hash(seed=766).to_numpy()

    def repeated(self, codes_of: CodesOf) -> list[tuple[str, list[int]]]:
        """Codes on more than one row, with their row numbers, in the order of their first rows.

        `codes_of(rows)` gives the code of each of the given row numbers. The files are removed.
        """
        try:
            meeting = [rows for group in self._groups() if (rows := _rows_whose_hashes_meet(group)).size]
        finally:
            self.close()
        if not meeting:
            return []
        found: dict[str, list[int]] = {}
        for row, code in sorted(codes_of([int(row) for row in np.concatenate(meeting)]).items()):
            found.setdefault(code, []).append(row)
        return sorted(((code, numbers) for code, numbers in found.items() if len(numbers) > 1), key=_first)

    def close(self) -> None:
        for file in self.files:
            file.close()
        self.files = []
        self.held = []
        self.held_rows = 0
        if self.directory is not None:
            self.directory.cleanup()
            self.directory = None

    def _spill(self) -> None:
        if self.directory is None:
            parent = Path(settings.VAR_DIR) / "tmp"
            parent.mkdir(parents=True, exist_ok=True)
            self.directory = tempfile.TemporaryDirectory(prefix="cchc-codes-", dir=parent)
            self.files = [open(Path(self.directory.name) / f"{n:03d}", "wb") for n in range(BUCKETS)]  # noqa: SIM115
        entries = np.concatenate(self.held)
        self.held = []
        self.held_rows = 0
        buckets = (entries["hash"] >> np.uint64(64 - BUCKET_BITS)).astype(np.uint8)
        order = np.argsort(buckets, kind="stable")  # numpy sorts single bytes by radix
        entries = entries[order]
        bounds = np.searchsorted(buckets[order], np.arange(BUCKETS + 1), side="left")
        for number, file in enumerate(self.files):
            entries[bounds[number] : bounds[number + 1]].tofile(file)

    def _groups(self) -> Iterator[np.ndarray]:
        """The entries in groups that share every equal hash: all at once, or one file at a time."""
        if not self.spilled:
            if self.held:
                yield np.concatenate(self.held)
            return
        if self.held:
            self._spill()
        for file in self.files:
            file.close()
        for file in self.files:
            yield np.fromfile(file.name, ENTRY)


def _rows_whose_hashes_meet(entries: np.ndarray) -> np.ndarray:
    hashes = entries["hash"]
    ordered = np.sort(hashes)
    meeting = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if meeting.size == 0:
        return np.empty(0, dtype=entries["row"].dtype)
    return entries["row"][np.isin(hashes, meeting)]


def _first(item: tuple[str, list[int]]) -> int:
    return item[1][0]
