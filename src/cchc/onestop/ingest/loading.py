"""Where an import's checked rows go while the rest of the file is read, and what is kept of them.

Two ways in:

- a **first load** on PostgreSQL (the dossier table is empty and the file large): rows go into month
  tables of their own without any index, each with the id `base + row number`; at the end their keys
  and indexes are built on several connections at once and the tables become the dossier table's
  partitions (`month_tables`; building an index from all rows is several times faster than
  maintaining it row by row). No row can replace another, so nothing needs comparing, and no row is
  written twice;
- otherwise rows go to a temporary staging table, from which `store.apply_staged` creates new
  dossiers and updates changed ones.

Either way the import keeps only what its end needs: a 64-bit hash and the row number of every code,
to find codes sent twice without grouping the whole file in the database (`codes.CodeHashes`, on disk
past a few million rows), and the rollup contributions, summed as the batches come
(`ContributionTotals`).
"""

import itertools
import logging
import queue
import threading
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import polars as pl
import psycopg
from django.db import connection

from cchc.onestop.ingest import month_tables, partitions, store
from cchc.onestop.ingest.dossiers import STORED
from cchc.onestop.ingest.reading import ROW
from cchc.onestop.models import ROLLUP_COUNTS

# A first load from a file at least this big (about 130,000 dossiers in CSV) goes into month tables of
# its own and builds their keys and indexes at the end (PostgreSQL only).
REBUILD_INDEXES_BYTES = 16 * 2**20
logger = logging.getLogger(__name__)
ID = "id"
WAITING = 3  # encoded batches queued for the writer thread at most


class Writer:
    """Appends batches to a table while the caller prepares the next one.

    On PostgreSQL the caller turns each batch into COPY's binary format (`binary`; CSV when switched
    off) and a thread COPYs it through the raw psycopg connection (the caller does not touch the
    database until `close`), so that reading and checking a batch overlaps with the database storing
    the previous ones. Up to WAITING encoded batches wait (about 30 MB each at 100,000 rows): with one,
    a 10 M-row first load's reader stood 11 s waiting for a slow COPY it could have run ahead of, while
    the COPY later stood waiting for it. On SQLite batches are written at once.

    The encoding is done by the caller, not the thread: in the thread its numpy calls had to win the
    interpreter lock from the caller over and over, and took 4–7 times as long as in the caller (on
    two cores, a 10 M-row import's writer spent 84 s encoding what takes 19 s in one thread).
    """

    def __init__(self, table: str, columns: Sequence[str], raw: Any = None) -> None:
        """`raw`: the psycopg connection to write through (Django's own unless given)."""
        self.table, self.columns = table, list(columns)
        self.threaded = store.is_postgres()
        self.failure: BaseException | None = None
        if self.threaded:
            self.queue: queue.Queue[list[tuple[str, list[bytes]]] | None] = queue.Queue(maxsize=WAITING)
            if raw is None:
                connection.ensure_connection()
                raw = connection.connection
            self.raw = raw
            with raw.cursor() as cursor:
                self.encoder = store.binary_encoder(cursor, table, self.columns)
            self.thread = threading.Thread(target=self._work, name="onestop-writer", daemon=True)
            self.thread.start()

    def add(self, frame: pl.DataFrame, parts: Sequence[tuple[str, int]] = ()) -> None:
        """Write the frame's rows; with `parts` (table, first row), each part's rows up to the next
        part's first row into its own table (a partition of the writer's table), in one transaction
        when the connection commits each statement.

        A first load names each month's table: COPY into the partitioned table routes every row to its
        partition, which cost the server a fifth more than writing each month's rows into their table
        (docs/performance.md). Without the binary form the rows go through the writer's table."""
        if self.failure is not None:
            raise self.failure
        if frame.height == 0:
            return
        if not self.threaded:
            store.write_frame(self.table, frame, self.columns)
            return
        frame = frame.select(self.columns)
        if parts and self.encoder is not None and self.encoder.fits(frame):
            bounds = [first for _table, first in parts] + [frame.height]
            payloads = self.encoder.payloads(frame, bounds)
            self.queue.put(
                [
                    (self.encoder.sql(table), pieces)
                    for (table, _), pieces in zip(parts, payloads, strict=True)
                ]
            )
        else:
            sql, pieces = store.copy_payload(frame, self.encoder, self.table)
            self.queue.put([(sql, list(pieces))])

    def close(self, *, raise_failure: bool = True) -> None:
        """Wait for every batch to be written; raise what the writer met."""
        if self.threaded and self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if raise_failure and self.failure is not None:
            raise self.failure

    def _work(self) -> None:
        while (copies := self.queue.get()) is not None:
            if self.failure is not None:
                continue  # drain the queue so that the caller never blocks
            # A first load's side connection commits each statement: one commit per batch, not per
            # month. (Django's connection is inside the import's transaction, and writes one COPY.)
            together = self.raw.transaction() if len(copies) > 1 and self.raw.autocommit else nullcontext()
            try:
                with together:
                    for sql, pieces in copies:
                        with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
                            for piece in pieces:
                                copy.write(piece)
            except BaseException as error:  # handed to the caller's thread in close()
                self.failure = error


class StagedLoad:
    """Rows into the staging table, applied at the end by one upsert."""

    first_load = False

    def __init__(self) -> None:
        store.create_staging()
        self.writer = Writer(store.STAGING, [ROW, *STORED])

    def add(self, rows: pl.DataFrame) -> None:
        self.writer.add(rows)

    def close(self, *, raise_failure: bool = True) -> None:
        self.writer.close(raise_failure=raise_failure)

    def codes(self, rows: Sequence[int]) -> dict[int, str]:
        """The codes of the given row numbers."""
        return _codes(f"SELECT {ROW}, code FROM {store.STAGING} WHERE {ROW} IN ", rows)

    def apply(self, total: int, contributions: pl.DataFrame) -> store.UpsertCounts:
        counts, _months = store.apply_staged(total, contributions)
        if not store.is_postgres():
            store.drop_staging()  # PostgreSQL drops it at the commit
        return counts

    def release(self) -> None:
        """Nothing to give back: the staging table goes with the transaction."""


class FirstLoad:
    """Rows into month tables of their own (PostgreSQL), with ids `base + row number`, moved under
    the empty dossier table at the end (`month_tables`).

    The load tables have no unique index on the code, so codes sent twice are found before the keys
    are built (`codes.CodeHashes`); the ids tie each stored row to its row number for that check.
    """

    first_load = True

    def __init__(self) -> None:
        self.base = _reserve_ids()
        self.last_row = 0
        with connection.cursor() as cursor:
            store.use_import_settings(cursor)  # the rollups' first load sorts and groups in memory
        self.side = month_tables.side_connection()
        try:
            month_tables.drop_abandoned(self.side)
            self.tables = month_tables.MonthTables(self.side)
            self.writer = Writer(self.tables.parent, [ID, *STORED], raw=self.side)
        except BaseException:
            self.side.close()
            raise

    def add(self, rows: pl.DataFrame) -> None:
        if rows.height:
            self.last_row = max(self.last_row, int(rows[ROW].max()))  # type: ignore[arg-type]
            # Before the rows are queued: the writer's COPY fails on a month without its table. The
            # writer thread shares the side connection, whose lock makes this wait for a COPY under way.
            self.tables.ensure(rows["received_month"].unique().to_list())
            # Grouped by month, each month's rows then go into their own table by one COPY (through
            # the partitioned table, a batch spread over three years at random took twice as long to
            # store; docs/performance.md). Stable, so that each month table gets its ids in ascending
            # order: the primary key's build then finds its input sorted already.
            rows = rows.sort("received_month", maintain_order=True)
        rows = rows.with_columns((pl.col(ROW) + self.base).alias(ID))
        self.writer.add(rows, self._months_of(rows))

    def _months_of(self, rows: pl.DataFrame) -> list[tuple[str, int]]:
        """Each month's table and its first row, in rows sorted by month."""
        months = rows.select(pl.col("received_month").rle()).unnest("received_month")
        firsts = [0, *itertools.accumulate(months["len"].to_list())][:-1]
        return [
            (self.tables.name(month), first) for month, first in zip(months["value"], firsts, strict=True)
        ]

    def close(self, *, raise_failure: bool = True) -> None:
        self.writer.close(raise_failure=raise_failure)

    def codes(self, rows: Sequence[int]) -> dict[int, str]:
        # On the side connection, which wrote the rows: the import's own transaction then holds no
        # lock on the load table, which a refusal drops. One pass (no index yet; `= ANY` is hashed).
        found = self.side.execute(
            f"SELECT {ID} - %s, code FROM {self.tables.parent} WHERE {ID} = ANY(%s)",
            [self.base, [int(row) + self.base for row in rows]],
        )
        return {int(row): code for row, code in found.fetchall()}

    def apply(self, total: int, contributions: pl.DataFrame) -> store.UpsertCounts:
        """Build the month tables' keys on side connections while this one writes the rollups, then
        move the tables under the dossier table and the id sequence past the ids used."""
        keys = self.tables.build_keys()
        try:
            store.add_first_contributions(contributions)
        finally:
            keys.wait()
        self.tables.attach()
        _ids_used_up_to(self.base + self.last_row)
        return store.UpsertCounts(created=total, updated=0, unchanged=0)

    def release(self) -> None:
        """The import is over, whatever its outcome: drop the load table unless it was moved.

        A failure here is logged, not raised: it would hide the import's own outcome, and the next
        first load drops what is left (`month_tables.drop_abandoned`).
        """
        try:
            self.tables.drop()
        except psycopg.Error:
            logger.warning("The load table %s was left for the next first load to drop", self.tables.parent)
        finally:
            self.side.close()


def open_load(source: Path | list[dict[str, Any]]) -> StagedLoad | FirstLoad:
    """A first load for a large file into an empty dossier table on PostgreSQL, a staged one otherwise.

    On PostgreSQL the table is locked against other writers first (readers go on), so that two
    imports never both take the table for empty, nor both adjust the same rollup rows.
    """
    if not store.is_postgres():
        return StagedLoad()
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {store.DOSSIER} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {store.DOSSIER})")
        empty = not cursor.fetchone()[0]
    large = isinstance(source, Path) and source.stat().st_size >= REBUILD_INDEXES_BYTES
    if empty and large and partitions.is_partitioned():
        return FirstLoad()
    return StagedLoad()


ANALYZE_SHARE = 0.1  # autovacuum's default analyze scale factor
# The sample ANALYZE takes inside the import (default_statistics_target; PostgreSQL's default is 100):
# row counts and coarse distributions of the dossier table right from the commit, for a fraction of
# the time. At 100, its 300 rows per unit of the target cover every page of every monthly partition
# (17 s of a 10 M-row import); at 10, 1.6 s. The full statistics follow after the commit
# (`services.imports.analyze_dossiers`).
QUICK_STATISTICS_TARGET = 10


def table_rows() -> int:
    """The planner's estimate of the dossier table's rows (0 on SQLite or before any ANALYZE).

    On a partitioned table, the sum of its partitions' estimates: the parent's own is left as it was
    by its last ANALYZE (autovacuum never analyses a partitioned parent), say before a TRUNCATE.
    """
    if not store.is_postgres():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(GREATEST(c.reltuples, 0)), 0)::bigint FROM pg_class c "
            "WHERE c.oid = %s::regclass AND c.relkind = 'r' "
            "OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = %s::regclass)",
            [store.DOSSIER, store.DOSSIER],
        )
        return int(cursor.fetchone()[0])


def analyze_if_large(changed: int, rows_before: int) -> bool:
    """ANALYZE both rollups, and the dossier table on a small sample, when an import changed a tenth of
    the table or more.

    Done inside the import's transaction (ANALYZE sees the transaction's own rows), so the planner
    knows the loaded rows from the commit on: left to autovacuum, the dashboards' first queries after a
    large load are planned on the counts of an empty or much smaller table. The rollups, which the
    dashboards read, get their full statistics; the dossier table a quick sample, whose full
    statistics the caller asks for after the commit. Small imports (the feed's pages, a day's upload)
    leave it to autovacuum, as their share of the table is too small to matter.
    """
    if not store.is_postgres() or changed < max(1, ANALYZE_SHARE * rows_before):
        return False
    with connection.cursor() as cursor:
        for table in (store.FIELD_ROLLUP, store.UNIT_ROLLUP):
            cursor.execute(f"ANALYZE {table}")
        cursor.execute(f"SET LOCAL default_statistics_target = {int(QUICK_STATISTICS_TARGET)}")
        cursor.execute(f"ANALYZE {store.DOSSIER}")
        cursor.execute("SET LOCAL default_statistics_target TO DEFAULT")
    return True


def analyze_dossiers() -> None:
    """ANALYZE the dossier table with the server's own statistics target (PostgreSQL)."""
    if store.is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {store.DOSSIER}")


def _reserve_ids() -> int:
    """An id no dossier has had: the load's ids come after it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [store.DOSSIER])
        return int(cursor.fetchone()[0])


def _ids_used_up_to(last: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [store.DOSSIER, last])


def _codes(select: str, rows: Sequence[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = [int(row) for row in rows[start : start + 500]]
            cursor.execute(select + f"({', '.join(['%s'] * len(chunk))})", chunk)
            found.update((int(row), code) for row, code in cursor.fetchall())
    return found


# -- rollup contributions, summed as the batches come ----------------------------------------------

RECEIVED_COUNTS = [name for name in ROLLUP_COUNTS if name.startswith("received")]
FINISHED_COUNTS = [
    name for name in ROLLUP_COUNTS if name.startswith(("finished", "rated")) or name == "overdue_out"
]
OVERDUE_COUNTS = ["overdue_in"]
FOLD_ROWS = 1_000_000  # partial rows a branch keeps before summing them together
KEY = "key"


class ContributionTotals:
    """The rollup contributions of the rows seen so far, per (unit, field, month): the same counts as
    `store.contributions_sql`, which `cchc onestop check` and the tests compare with the rollups.

    Each of the three kinds of contribution (in the month of receipt, of the end of processing, of
    falling overdue) is summed on its own under one 64-bit key (unit id, field number, month number):
    grouping on one integer is several times faster than on a unit, a text and a date, and each kind
    carries only its own counts.
    """

    def __init__(self, traits: pl.DataFrame) -> None:
        self.fields = traits["field"].unique().sort().to_list()
        number = pl.DataFrame({"field": self.fields, "field_number": range(len(self.fields))})
        self.traits = traits.join(number, on="field").select(
            "procedure_id",
            pl.col("field_number").cast(pl.Int64),
            pl.col("has_fee").fill_null(False),
            (pl.col("online") == "full").fill_null(False).alias("full_online"),
            pl.col("written_result").fill_null(False),
        )
        self.parts: dict[str, list[pl.DataFrame]] = {"received": [], "finished": [], "overdue": []}

    def add(self, rows: pl.DataFrame) -> None:
        counted = rows.filter(pl.col("counted")).join(self.traits, on="procedure_id")
        online, outcome = pl.col("channel") == 2, pl.col("outcome")
        finished_month, overdue_month = pl.col("finished_month"), pl.col("overdue_month")
        self._add(
            "received",
            counted,
            "received_month",
            {
                "received": pl.lit(True),
                "received_online": online,
                "received_digitized": pl.col("digitized"),
                "received_fee": pl.col("has_fee"),
                "received_paid_online": pl.col("has_fee") & pl.col("paid_online"),
                "received_full_online": pl.col("full_online"),
                "received_full_online_online": pl.col("full_online") & online,
            },
        )
        self._add(
            "finished",
            counted.filter(finished_month.is_not_null()),
            "finished_month",
            {
                "finished": pl.lit(True),
                "finished_early": outcome == 1,
                "finished_on_time": outcome == 2,
                "finished_late": outcome == 3,
                "finished_late_apology": (outcome == 3) & pl.col("apology_valid"),
                "finished_written": pl.col("written_result"),
                "finished_e_result": pl.col("written_result") & pl.col("e_result"),
                "rated_satisfied": pl.col("rating") == 1,
                "rated_neutral": pl.col("rating") == 2,
                "rated_unsatisfied": pl.col("rating") == 3,
                "overdue_out": overdue_month < finished_month,
            },
        )
        still_pending = overdue_month.is_not_null() & (
            finished_month.is_null() | (finished_month > overdue_month)
        )
        self._add("overdue", counted.filter(still_pending), "overdue_month", {"overdue_in": pl.lit(True)})

    def _add(self, kind: str, frame: pl.DataFrame, month: str, counts: dict[str, pl.Expr]) -> None:
        month_number = (
            pl.col(month).dt.year().cast(pl.Int64) * 12 + pl.col(month).dt.month().cast(pl.Int64) - 1
        )
        key = (pl.col("unit_id") * 2**32) + (pl.col("field_number") * 2**16) + month_number
        part = (
            frame.select(
                key.alias(KEY), *[flag.fill_null(False).alias(name) for name, flag in counts.items()]
            )
            .group_by(KEY)
            .agg([pl.col(name).sum().cast(pl.Int32) for name in counts])
        )
        parts = self.parts[kind]
        parts.append(part)
        # parts[0] is the sum so far once a fold happened. Folding whenever the parts passed a fixed
        # size would re-sum that whole sum with every batch once it held a million keys (26 s of a
        # 10 M-row import): the new parts must outgrow it first, so each row is summed a few times.
        new_rows = sum(p.height for p in parts[1:])
        if new_rows > max(FOLD_ROWS, parts[0].height):
            self.parts[kind] = [_sum_by_key(parts)]

    def total(self) -> pl.DataFrame:
        """unit_id, field, month and every count, one row per (unit, field, month) with any count."""
        joined: pl.DataFrame | None = None
        for kind, names in (
            ("received", RECEIVED_COUNTS),
            ("finished", FINISHED_COUNTS),
            ("overdue", OVERDUE_COUNTS),
        ):
            parts = self.parts[kind]
            summed = (
                _sum_by_key(parts)
                if parts
                else pl.DataFrame(schema={KEY: pl.Int64, **dict.fromkeys(names, pl.Int32)})
            )
            joined = summed if joined is None else joined.join(summed, on=KEY, how="full", coalesce=True)
        assert joined is not None
        self.parts = {kind: [] for kind in self.parts}
        month_number = pl.col(KEY) % 2**16
        numbers = pl.DataFrame(
            {"field_number": range(len(self.fields)), "field": self.fields},
            schema={"field_number": pl.Int64, "field": pl.String},
        )
        return (
            joined.with_columns(
                (pl.col(KEY) // 2**32).alias("unit_id"),
                ((pl.col(KEY) // 2**16) % 2**16).alias("field_number"),
                pl.date(month_number // 12, month_number % 12 + 1, 1).alias("month"),
            )
            .join(numbers, on="field_number")
            .select("unit_id", "field", "month", *[pl.col(name).fill_null(0) for name in ROLLUP_COUNTS])
        )


def _sum_by_key(parts: list[pl.DataFrame]) -> pl.DataFrame:
    if len(parts) == 1:
        return parts[0]  # each part is summed already
    frame = pl.concat(parts)
    names = [name for name in frame.columns if name != KEY]
    return frame.group_by(KEY).agg([pl.col(name).sum().cast(pl.Int32) for name in names])
