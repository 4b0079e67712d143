"""Rows COPYed in the binary format (ingest/binary.py) must read back exactly as the CSV COPY stores them:
NULLs, time zones, dates, JSON and non-ASCII text included (PostgreSQL only)."""

import datetime
import json

import polars as pl
import pytest
from django.db import connection
from django.test import override_settings

from cchc.onestop.ingest import binary, loading, store
from cchc.onestop.models import Dossier
from cchc.onestop.services.imports import analyze_dossiers
from tests.onestop.test_first_load import stored_rows, varied, write_csv

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="COPY is PostgreSQL's"),
]

UTC = pl.Datetime("us", "UTC")
TYPES = {
    "a_small": "smallint",
    "a_int": "integer",
    "a_big": "bigint",
    "flag": "boolean",
    "day": "date",
    "at": "timestamptz",
    "code": "varchar(64)",
    "note": "text",
    "doc": "jsonb",
    "unit": "varchar(16)",  # every value of the same length: written as a fixed-width field
    "blank": "text",  # every value empty
}


def sample() -> pl.DataFrame:
    """Every type with NULLs, extremes, instants on both sides of 2000 and text beyond ASCII."""
    at = [
        datetime.datetime(2026, 1, 31, 1, 30, 0, 123456, tzinfo=datetime.UTC),
        None,
        datetime.datetime(1999, 12, 31, 23, 59, 59, tzinfo=datetime.UTC),
        datetime.datetime(2025, 6, 30, 17, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7))),
    ]
    return pl.DataFrame(
        {
            "a_small": pl.Series([1, None, -32768, 32767], dtype=pl.Int16),
            "a_int": pl.Series([0, 2**31 - 1, None, -5], dtype=pl.Int32),
            "a_big": pl.Series([2**40 + 3, -1, 7, None], dtype=pl.Int64),
            "flag": pl.Series([True, False, None, True]),
            "day": pl.Series(
                [datetime.date(2026, 2, 1), None, datetime.date(1970, 1, 1), datetime.date(1999, 12, 31)]
            ),
            "at": pl.Series(at, dtype=UTC),
            "code": ["HS-Đà Nẵng-ư-001", "", None, 'A,"b"\n\\N'],
            "note": [None, "Ủy ban nhân dân tỉnh 😀", "\\N", "tab\there"],
            "doc": ['[["2026-01-05T15:00:00+07:00", null]]', "[]", None, '{"tên": "Hòa", "n": [1, 2.5]}'],
            "unit": ["xã-01", "xã-02", "xã-03", "xã-04"],
            "blank": ["", "", "", ""],
        }
    )


def _table(cursor, name: str) -> None:
    columns = ", ".join(f"{column} {kind}" for column, kind in TYPES.items())
    cursor.execute(f"CREATE TEMPORARY TABLE {name} (n serial, {columns})")


def _read(cursor, name: str) -> list[tuple]:
    cursor.execute(f"SELECT {', '.join(TYPES)} FROM {name} ORDER BY n")
    return cursor.fetchall()


@pytest.mark.parametrize("slice_bytes", [binary.SLICE_BYTES, 1])  # one slice; one row per slice
def test_a_binary_batch_reads_back_as_the_csv_one(slice_bytes, monkeypatch):
    monkeypatch.setattr(binary, "SLICE_BYTES", slice_bytes)
    frame = sample()
    with connection.cursor() as cursor:
        _table(cursor, "via_csv")
        _table(cursor, "via_binary")
        encoder = binary.encoder(cursor, "via_binary", list(TYPES))
        assert encoder is not None and encoder.fits(frame)
        with cursor.cursor.copy(
            f"COPY via_csv ({', '.join(TYPES)}) FROM STDIN (FORMAT csv, NULL '\\N')"
        ) as copy:
            copy.write(store.csv_bytes(frame))
        with cursor.cursor.copy(encoder.sql("via_binary")) as copy:
            copy.write(encoder.encode(frame))
        by_csv, by_binary = _read(cursor, "via_csv"), _read(cursor, "via_binary")
    # One difference, in the binary form's favour: CSV with NULL '\N' takes the text \N for NULL.
    assert by_csv[2][7] is None and by_binary[2][7] == "\\N"
    by_csv[2] = by_binary[2]
    assert by_binary == by_csv
    assert by_binary[1][5] is None and by_binary[2][6] is None  # NULLs stay NULL
    assert by_binary[0][6] == "HS-Đà Nẵng-ư-001"
    assert by_binary[0][5] == datetime.datetime(2026, 1, 31, 1, 30, 0, 123456, tzinfo=datetime.UTC)
    assert json.loads(by_binary[3][8]) == {"tên": "Hòa", "n": [1, 2.5]}  # Django reads jsonb as text
    assert [row[9] for row in by_binary] == ["xã-01", "xã-02", "xã-03", "xã-04"]
    assert [row[10] for row in by_binary] == ["", "", "", ""]


@pytest.mark.parametrize("slice_bytes", [binary.SLICE_BYTES, 1])
def test_a_frame_cut_into_payloads_by_rows_reads_back_whole(slice_bytes, monkeypatch):
    """A first load sends each month's rows of a batch to its own table: cut anywhere, texts of every
    length included, the payloads hold exactly the rows of their range."""
    monkeypatch.setattr(binary, "SLICE_BYTES", slice_bytes)
    frame = sample()
    with connection.cursor() as cursor:
        _table(cursor, "whole")
        _table(cursor, "in_parts")
        encoder = binary.encoder(cursor, "whole", list(TYPES))
        with cursor.cursor.copy(encoder.sql("whole")) as copy:
            copy.write(encoder.encode(frame))
        payloads = encoder.payloads(frame, [0, 1, 3, 4])
        assert len(payloads) == 3
        for pieces in reversed(payloads):  # the last rows first: each payload stands on its own
            with cursor.cursor.copy(encoder.sql("in_parts")) as copy:
                for piece in pieces:
                    copy.write(piece)
        whole = _read(cursor, "whole")
        in_parts = _read(cursor, "in_parts")
    assert in_parts == whole[3:] + whole[1:3] + whole[:1]


def test_types_without_a_binary_form_fall_back_to_csv():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE money_rows (amount numeric, code text)")
        assert binary.encoder(cursor, "money_rows", ["amount", "code"]) is None
        store.write_frame(
            "money_rows", pl.DataFrame({"amount": ["12.50"], "code": ["Phí"]}), ["amount", "code"]
        )
        cursor.execute("SELECT amount::text, code FROM money_rows")
        assert cursor.fetchall() == [("12.50", "Phí")]
    # A frame whose types do not match the table's is sent as CSV, which the server parses.
    encoder = binary.Encoder(["code", "day"], ["varchar", "date"])
    assert not encoder.fits(pl.DataFrame({"code": ["x"], "day": ["2026-01-01"]}))
    # So is a number too wide for its column: the server's refusal, rather than a wrapped value.
    small = binary.Encoder(["n"], ["int2"])
    assert small.fits(pl.DataFrame({"n": [-32768, 32767, None]}))
    assert not small.fits(pl.DataFrame({"n": [40_000]}))


@pytest.mark.usefixtures("cast")
def test_an_import_stores_the_same_rows_by_binary_and_by_csv(import_dossiers, tmp_path, monkeypatch):
    records = varied(240)
    records[0]["dossier_code"] = "HS-Đắk Lắk-ổ-0001"  # a code beyond ASCII
    path = write_csv(tmp_path / "rows.csv", records)
    encoded = []
    whole, in_parts = binary.Encoder.pieces, binary.Encoder.payloads

    def pieces(self, frame):
        encoded.append(frame.height)
        return whole(self, frame)

    def payloads(self, frame, bounds):  # a first load's batches, a payload per month
        encoded.append(frame.height)
        return in_parts(self, frame, bounds)

    monkeypatch.setattr(binary.Encoder, "pieces", pieces)
    monkeypatch.setattr(binary.Encoder, "payloads", payloads)
    stored = {}
    for binary_copy in (False, True):
        for first_load in (False, True):  # through the staging table, then straight into the table
            monkeypatch.setattr(loading, "REBUILD_INDEXES_BYTES", 0 if first_load else 2**60)
            Dossier.objects.all().delete()
            store.rebuild()
            with override_settings(CCHC_IMPORT_BINARY_COPY=binary_copy):
                result = import_dossiers(path, batch_rows=100)
            assert result.applied and result.created == 240, result.errors[:3]
            assert (sum(encoded) >= 240) == binary_copy  # the rows went by the format asked for
            encoded.clear()
            stored[binary_copy, first_load] = stored_rows(leave_out=("updated_at",))
    assert stored[True, False] == stored[False, False]
    assert stored[True, True] == stored[False, False]
    assert stored[False, True] == stored[False, False]
    assert any(row[0] == "HS-Đắk Lắk-ổ-0001" for row in stored[True, True])


def _planner_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'onestop_dossier'::regclass")
        return int(cursor.fetchone()[0])


def _histogram_bounds(column: str) -> int:
    """How many bounds the dossier table's statistics give the column's histogram (the whole table)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(array_length(histogram_bounds::text::text[], 1), 0) FROM pg_stats "
            "WHERE tablename = 'onestop_dossier' AND attname = %s AND inherited",
            [column],
        )
        row = cursor.fetchone()
        return row[0] if row else 0


@pytest.mark.usefixtures("cast")
def test_a_large_import_leaves_the_planner_statistics_right(
    import_dossiers, tmp_path, django_capture_on_commit_callbacks, jobs_run_in_process
):
    """The dashboards' first questions after a load are planned on the loaded rows, not on an empty table."""
    # Another test that committed and then emptied the table may have left the partitioned parent's
    # estimate behind (autovacuum never analyses a partitioned parent): start from the empty table's.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE onestop_dossier")
    with django_capture_on_commit_callbacks() as after_commit:
        result = import_dossiers(write_csv(tmp_path / "rows.csv", varied(240)), batch_rows=100)
    assert result.created == 240
    assert _planner_rows() == 240
    # Inside the import, a quick sample of the dossiers (10 buckets at most); the full statistics are
    # asked for once the import has committed.
    assert 2 <= _histogram_bounds("code") <= loading.QUICK_STATISTICS_TARGET + 1
    full = [callback for callback in after_commit if getattr(callback, "__self__", None) is analyze_dossiers]
    assert len(full) == 1
    full[0]()
    assert _histogram_bounds("code") > 2 * loading.QUICK_STATISTICS_TARGET
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_stats WHERE tablename = 'onestop_fieldmonthrollup'")
        assert cursor.fetchone()[0] > 0
    # A few rows more are left to autovacuum: under a tenth of the table, no ANALYZE at each feed page.
    small = varied(250)[240:]
    for i, record in enumerate(small):
        record["dossier_code"] = f"MORE-{i}"
    assert import_dossiers(small).created == 10
    assert _planner_rows() == 240


@pytest.mark.usefixtures("cast")
def test_the_table_size_an_import_judges_by_is_that_of_the_months_not_the_parents_old_estimate(
    import_dossiers, tmp_path
):
    """The partitioned parent keeps the estimate of its last ANALYZE: after the table was emptied, a
    load judged against it would skip the ANALYZE it needs."""
    assert import_dossiers(write_csv(tmp_path / "rows.csv", varied(240)), batch_rows=100).created == 240
    assert loading.table_rows() == 240
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign-key checks, first
        cursor.execute("TRUNCATE onestop_dossier")
    assert _planner_rows() == 240  # the parent's own estimate is stale
    assert loading.table_rows() == 0
