"""Codes sent twice are found by their hashes, and past a few million rows the hashes wait on disk
in files by their top bits, so that the import's memory does not grow with the file."""

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cchc.onestop.ingest import codes as code_hashes
from cchc.onestop.ingest.codes import BUCKETS, CodeHashes
from cchc.onestop.ingest.reading import ROW


class EveryHashMeets(CodeHashes):
    """Hashes that all collide, so that only the comparison of the codes tells duplicates apart."""

    def hash_codes(self, codes: pl.Series) -> np.ndarray:
        return np.zeros(len(codes), dtype=np.uint64)


def batch(rows: list[int], codes: dict[int, str]) -> pl.DataFrame:
    return pl.DataFrame({ROW: rows, "code": [codes[row] for row in rows]})


def reader_of(codes: dict[int, str], asked: list[list[int]]):
    def codes_of(rows):
        asked.append(sorted(rows))
        return {row: codes[row] for row in rows}

    return codes_of


@pytest.mark.parametrize("spill_rows", [1_000, 2], ids=["in memory", "on disk"])
def test_codes_whose_hashes_meet_are_compared_by_their_codes(spill_rows):
    hashes = EveryHashMeets(spill_rows=spill_rows)
    codes = {2: "A", 3: "B", 4: "A", 5: "C", 6: "B", 7: "A"}
    for start in (2, 5):
        hashes.add(batch([row for row in codes if start <= row < start + 3], codes))
    assert hashes.spilled == (spill_rows == 2)
    asked: list[list[int]] = []
    assert hashes.repeated(reader_of(codes, asked)) == [("A", [2, 4, 7]), ("B", [3, 6])]
    assert asked == [[2, 3, 4, 5, 6, 7]]


def test_distinct_codes_need_no_reading_back():
    hashes = CodeHashes()
    hashes.add(pl.DataFrame({ROW: [2, 3, 4], "code": ["A", "B", "C"]}))

    def codes_of(rows):
        raise AssertionError("nothing to compare")

    assert hashes.repeated(codes_of) == []


def test_hashes_on_disk_find_what_hashes_in_memory_find():
    """A code repeated across spills, inside one spill and in the rows still held at the end."""
    rng = np.random.default_rng(766)
    codes = {row: f"HS-{n}" for row, n in zip(range(2, 20_002), rng.integers(0, 15_000, 20_000), strict=True)}
    rows = sorted(codes)
    found = []
    for spill_rows in (100_000, 3_000):
        hashes = CodeHashes(spill_rows=spill_rows)
        for start in range(0, len(rows), 1_000):
            hashes.add(batch(rows[start : start + 1_000], codes))
            assert hashes.held_rows < spill_rows  # never more than this many in memory
        assert hashes.spilled == (spill_rows == 3_000)
        found.append(hashes.repeated(reader_of(codes, [])))
    in_memory, on_disk = found
    assert on_disk == in_memory
    expected = {code for code in codes.values() if list(codes.values()).count(code) > 1}
    assert {code for code, _rows in in_memory} == expected
    assert all(rows == sorted(rows) and len(rows) > 1 for _code, rows in in_memory)


def test_each_hash_goes_to_the_file_of_its_top_bits():
    hashes = CodeHashes(spill_rows=1)
    hashes.add(pl.DataFrame({ROW: list(range(2, 5_002)), "code": [f"C{n}" for n in range(5_000)]}))
    directory = Path(hashes.directory.name)
    for file in hashes.files:
        file.flush()
    sizes = [path.stat().st_size for path in sorted(directory.iterdir())]
    assert len(sizes) == BUCKETS and sum(sizes) == 5_000 * code_hashes.ENTRY.itemsize
    for number, path in enumerate(sorted(directory.iterdir())):
        entries = np.fromfile(path, code_hashes.ENTRY)
        assert ((entries["hash"] >> np.uint64(64 - code_hashes.BUCKET_BITS)) == number).all()
    hashes.close()


def test_the_files_are_removed_after_the_check_and_when_an_import_stops_early():
    hashes = CodeHashes(spill_rows=2)
    hashes.add(pl.DataFrame({ROW: [2, 3, 4], "code": ["A", "B", "A"]}))
    directory = Path(hashes.directory.name)
    assert directory.is_dir()
    assert hashes.repeated(lambda rows: {2: "A", 4: "A"}) == [("A", [2, 4])]
    assert not directory.exists()

    with pytest.raises(RuntimeError), CodeHashes(spill_rows=2) as stopped:
        stopped.add(pl.DataFrame({ROW: [2, 3], "code": ["A", "B"]}))
        directory = Path(stopped.directory.name)
        raise RuntimeError("the import stopped")
    assert not directory.exists()
