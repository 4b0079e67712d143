"""CSV files are parsed a piece at a time: pieces must end where rows end, whatever the quoting."""

import polars as pl
import pytest

from cchc.onestop.ingest import reading
from cchc.onestop.ingest.reading import ROW, UnreadableFile, read_batches

ROWS = [
    ["A1", "plain", "2026-01-05 09:00"],
    ["A2", '"with, a comma"', "05/01/2026 09:00"],
    ["A3", '"two\nlines, and ""quotes"""', ""],
    ["A4", '"[[""2026-01-06 09:00"", null]]"', "2026-01-06"],
    ["A5", '"' + "long " * 40 + '"', "2026-01-07"],
    ["A6", "", "2026-01-08"],
]


def write(path, newline="\n"):
    lines = ["code,note,received_at", *(",".join(row) for row in ROWS)]
    path.write_bytes(("\ufeff" + newline.join(lines) + newline).encode())
    return path


@pytest.mark.parametrize("piece_bytes", [16, 37, 64, 4096])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_pieces_of_any_size_give_the_rows_of_the_whole_file(tmp_path, monkeypatch, piece_bytes, newline):
    path = write(tmp_path / "f.csv", newline)
    whole = pl.read_csv(path, infer_schema=False)
    monkeypatch.setattr(reading, "CSV_PIECE_BYTES", piece_bytes)
    batches = list(read_batches(path, {}, batch_rows=2))
    assert all(batch.height >= 2 for batch in batches[:-1])
    joined = pl.concat(batches)
    assert joined.columns == [ROW, "code", "note", "received_at"]
    assert joined[ROW].to_list() == [2, 3, 4, 5, 6, 7]
    assert joined.drop(ROW).equals(whole)
    assert joined.filter(pl.col("code") == "A3")["note"].item() == 'two\nlines, and "quotes"'


def test_a_header_alone_still_names_the_columns(tmp_path, monkeypatch):
    path = tmp_path / "empty.csv"
    path.write_text("code,note\n")
    monkeypatch.setattr(reading, "CSV_PIECE_BYTES", 4)
    (batch,) = read_batches(path, {}, batch_rows=10)
    assert batch.height == 0 and batch.columns == [ROW, "code", "note"]


def test_a_row_with_more_cells_than_the_header_makes_the_file_unreadable(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("code,note\nA1,x\nA2,y,z\n")
    with pytest.raises(UnreadableFile):
        list(read_batches(path, {}, batch_rows=10))
