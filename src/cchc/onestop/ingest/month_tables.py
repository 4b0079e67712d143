"""A first load's rows in month tables of their own, keyed on several connections at once, then
attached under the dossier table (PostgreSQL; docs/onestop.md, "First loads").

Why: built one after another inside the import's transaction, the keys and indexes of a 10 M-row
first load took about 40 s on one core while the other core waited. Another connection cannot see
rows the import's own connection wrote before the commit, so a first load writes its rows through a
side connection that commits as it goes, each month's rows straight into that month's table of a
partitioned table of its own (`onestop_load_<random hex>`) that no page or query reads; each month
table carries its month as a check from its creation. At the end the month tables get their keys,
indexes and foreign keys on one side connection per core, while the import's connection writes the
rollups. Then the import's transaction moves them under the dossier table: ATTACH takes the matching
indexes and foreign keys as they are and, thanks to the check, skips reading the rows. A foreign key
the side connections could not make is checked there, in the import's transaction (it points at
procedures the import created, which no other connection sees before the commit).

Still all or nothing for every reader: the dossier table shows the rows only from the import's
commit. A refused file drops its load table at once. One left behind by a failure after the attach
began (the import's transaction then holds it locked) or by a crashed process is dropped by the next
first load, under the lock that lets one import write at a time (`drop_abandoned`).
"""

import datetime
import os
import queue
import re
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection

from cchc.onestop.ingest import partitions

PREFIX = "onestop_load_"
# The session settings of every side connection: each COPY commits, and a crash only loses a load
# table the next import drops anyway, so commits need not wait for the WAL flush.
SIDE_SETTINGS = {"synchronous_commit": "off", "maintenance_work_mem": "512MB"}
_INDEX = re.compile(r"^CREATE (UNIQUE )?INDEX \S+ ON ONLY \S+ ")


def side_connection() -> psycopg.Connection:
    """A new connection to the same database as Django's, committing each statement."""
    params = connection.get_connection_params()
    for name in ("cursor_factory", "context", "pool"):
        params.pop(name, None)
    side = psycopg.connect(**params, autocommit=True)
    for name, value in SIDE_SETTINGS.items():
        side.execute("SELECT set_config(%s, %s, false)", [name, value])
    return side


def drop_abandoned(side: psycopg.Connection) -> list[str]:
    """Drop the load tables of earlier first loads that never finished; their names.

    Called by a first load once it holds the dossier table's write lock, so no other first load is
    under way. On the side connection, so that the drop is committed before the new load table is
    made; a load table still locked by a transaction (a test's, say, which attached its months and has
    not ended) is left for a later sweep.
    """
    found = side.execute(
        "SELECT relname FROM pg_class WHERE relkind = 'p' AND relname LIKE %s "
        "AND relnamespace = 'public'::regnamespace",
        [PREFIX.replace("_", r"\_") + "%"],
    )
    dropped = []
    side.execute("SET lock_timeout = '200ms'")
    for (name,) in found.fetchall():
        try:
            side.execute(f'DROP TABLE IF EXISTS "{name}" CASCADE')
            dropped.append(name)
        except psycopg.errors.LockNotAvailable:
            continue
    side.execute("RESET lock_timeout")
    return dropped


def index_connections() -> int:
    """How many side connections build the month tables' keys at once (one per core unless set)."""
    wanted = settings.CCHC_IMPORT_INDEX_CONNECTIONS or os.cpu_count() or 1
    return max(1, int(wanted))


class MonthTables:
    """The load table of one first load and its month tables, from creation to the attach."""

    def __init__(self, writer_connection: psycopg.Connection) -> None:
        self.side = writer_connection
        self.parent = f"{PREFIX}{secrets.token_hex(4)}"
        self.months: set[datetime.date] = set()
        self.moved = False  # once the attach has begun, the import's transaction holds the tables
        self.side.execute(
            f"CREATE TABLE {self.parent} ({_columns_and_checks()}) PARTITION BY RANGE (received_month)"
        )

    def name(self, month: datetime.date) -> str:
        return f"{self.parent}_y{month.year}m{month.month:02d}"

    def ensure(self, months: Iterable[datetime.date]) -> None:
        """A month table for each month not seen yet (waits for a COPY under way on the connection)."""
        for month in sorted({m for m in months if m is not None} - self.months):
            # The dates written out: DDL takes no parameters, and a date's text is safe to inline.
            # Autovacuum would analyse and vacuum the month tables again and again while they grow,
            # taking CPU and disk from the load; it sees them again once they are partitions.
            # The partition bound as a check too, made while the table is empty: ATTACH then knows
            # every row fits without reading them. Added after the load, it read every row once more
            # (1.7 s of a 10 M-row load); checked row by row as the COPY writes, it costs a fraction.
            table, after = self.name(month), partitions.month_after(month)
            bound = (
                f"received_month IS NOT NULL AND received_month >= '{month}' AND received_month < '{after}'"
            )
            self.side.execute(
                f"CREATE TABLE {table} PARTITION OF {self.parent} (CONSTRAINT {table}_month CHECK ({bound})) "
                f"FOR VALUES FROM ('{month}') TO ('{after}') WITH (autovacuum_enabled = false)"
            )
            self.months.add(month)

    def drop(self) -> None:
        """Drop the load table and its months (a refused or failed load), unless the attach began."""
        if not self.moved:
            self.side.execute(f"DROP TABLE IF EXISTS {self.parent} CASCADE")

    def build_keys(self) -> "KeyBuilder":
        """Start building every month table's keys, indexes and foreign keys on side connections."""
        definitions = parent_definitions()
        return KeyBuilder([self._key_statements(month, definitions) for month in sorted(self.months)])

    def _key_statements(self, month: datetime.date, definitions: "Definitions") -> list["Statement"]:
        table = self.name(month)
        statements = [
            Statement(f"ALTER TABLE {table} ADD CONSTRAINT {table}_k{number} {definition}")
            for number, definition in enumerate(definitions.keys)
        ]
        for number, definition in enumerate(definitions.indexes):
            head = _INDEX.match(definition)
            assert head is not None, definition  # pg_get_indexdef of a partitioned table's index
            unique, rest = head[1] or "", definition[head.end() :]
            statements.append(Statement(f"CREATE {unique}INDEX {table}_i{number} ON {table} {rest}"))
        # Under the parent's own name, so that ATTACH takes it for the parent's and checks nothing.
        statements += [
            Statement(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}', foreign_key=name)
            for name, definition in definitions.foreign_keys
        ]
        return statements

    def attach(self) -> None:
        """Move the month tables under the dossier table, in the import's transaction.

        The dossier table is empty (a first load), so a partition it already has for one of the months
        (made ahead by the daily job) is empty too and is dropped for the loaded one.
        """
        self.moved = True
        existing = {partition.month: partition.name for partition in partitions.attached()}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a "
                "ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = %s::regclass",
                [partitions.PARENT],
            )
            defaults = cursor.fetchall()
            # Run the checks still pending in this transaction (deferred foreign keys of rows written
            # and removed before): PostgreSQL will not drop or alter a table with pending trigger
            # events. Then back to Django's mode, in which foreign keys are checked at the commit.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for month in sorted(self.months):
                cursor.execute(f"ALTER TABLE {self.parent} DETACH PARTITION {self.name(month)}")
            cursor.execute(f"DROP TABLE {self.parent}")
            for month in sorted(self.months):
                if month in existing:
                    cursor.execute(f"DROP TABLE {existing[month]}")
                loaded, final = self.name(month), partitions.partition_name(month)
                cursor.execute(
                    f"ALTER TABLE {partitions.PARENT} ATTACH PARTITION {loaded} FOR VALUES FROM (%s) TO (%s)",
                    [month, partitions.month_after(month)],
                )
                cursor.execute(f"ALTER TABLE {loaded} DROP CONSTRAINT {loaded}_month")
                cursor.execute(f"ALTER TABLE {loaded} RENAME TO {final}")
                cursor.execute(f"ALTER TABLE {final} RESET (autovacuum_enabled)")
                for column, default in defaults:
                    cursor.execute(f'ALTER TABLE {final} ALTER COLUMN "{column}" SET DEFAULT {default}')
                _rename_indexes(cursor, final)


def _columns_and_checks() -> str:
    """The dossier table's columns (types, collations, NOT NULL) and named CHECK constraints, as the
    inside of a CREATE TABLE; ATTACH wants the same of a partition.

    Read from the catalog on the import's connection and written out, rather than `LIKE`: LIKE would
    make the side connection wait for the dossier table's lock, which a transaction that already
    moved partitions under it (a test doing two first loads) holds to its end. Without the columns'
    defaults, as every row brings its id: the id's would tie an abandoned load table to the dossier
    table's sequence. The moved tables get them in `attach`.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), a.attnotnull, "
            "CASE WHEN a.attcollation <> t.typcollation THEN quote_ident(c.collname) END "
            "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
            "LEFT JOIN pg_collation c ON c.oid = a.attcollation "
            "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            [partitions.PARENT],
        )
        parts = [
            f"{name} {kind}{f' COLLATE {collation}' if collation else ''}{' NOT NULL' if not_null else ''}"
            for name, kind, not_null, collation in cursor.fetchall()
        ]
        cursor.execute(
            "SELECT quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'c' ORDER BY conname",
            [partitions.PARENT],
        )
        parts += [f"CONSTRAINT {name} {definition}" for name, definition in cursor.fetchall()]
    return ", ".join(parts)


def _rename_indexes(cursor: Any, table: str) -> None:
    """Give the moved table's indexes the names PostgreSQL gives those of a partition it creates."""
    cursor.execute(
        "SELECT c.relname, i.indisprimary, i.indisunique, "
        "ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k (attnum, position) "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.position) "
        "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass",
        [table],
    )
    for name, primary, unique, columns in cursor.fetchall():
        suffix = "pkey" if primary else "_".join([*columns, "key" if unique else "idx"])
        cursor.execute(f'ALTER INDEX "{name}" RENAME TO "{f"{table}_{suffix}"[:63]}"')


@dataclass(frozen=True)
class Definitions:
    """What the dossier table's partitions must have, read from the partitioned table."""

    keys: list[str]  # PRIMARY KEY (…), UNIQUE (…)
    indexes: list[str]  # CREATE INDEX … ON ONLY …
    foreign_keys: list[tuple[str, str]]  # (name, FOREIGN KEY …)


def parent_definitions() -> Definitions:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contype, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') ORDER BY contype, conname",
            [partitions.PARENT],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = %s::regclass "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
            "AND c.conrelid = i.indrelid) ORDER BY i.indexrelid",
            [partitions.PARENT],
        )
        indexes = [row[0] for row in cursor.fetchall()]
    return Definitions(
        keys=[definition for kind, _name, definition in constraints if kind in "pu"],
        indexes=indexes,
        foreign_keys=[(name, definition) for kind, name, definition in constraints if kind == "f"],
    )


@dataclass(frozen=True)
class Statement:
    """One statement on a month table; a foreign key's may fail without harm (`KeyBuilder`)."""

    sql: str
    foreign_key: str = ""  # the constraint's name, for a foreign key


# How long a foreign key on a side connection waits for the table it points at (others writing to it).
FOREIGN_KEY_LOCK_TIMEOUT = "500ms"


class KeyBuilder:
    """Runs the statements of each month table on one of several side connections (a month's
    statements one after another, as each takes its table's lock); `wait` raises the first failure.

    A foreign key may not be made here: the table it points at is being written by a transaction
    that has not ended (its lock is not granted within `FOREIGN_KEY_LOCK_TIMEOUT`), or it points at
    rows this connection cannot see yet (a procedure the import created). That foreign key is then
    left to the attach, which checks it in the import's transaction, for every month still to come.
    """

    def __init__(self, work: list[list[Statement]]) -> None:
        self.work: queue.Queue[list[Statement]] = queue.Queue()
        for statements in work:
            self.work.put(statements)
        self.failures: list[BaseException] = []
        self.left_to_attach: set[str] = set()
        self.threads = [
            threading.Thread(target=self._run, name=f"onestop-keys-{n}", daemon=True)
            for n in range(min(index_connections(), max(1, len(work))))
        ]
        for thread in self.threads:
            thread.start()

    def _run(self) -> None:
        try:
            with side_connection() as side:
                while not self.failures:
                    try:
                        statements = self.work.get_nowait()
                    except queue.Empty:
                        return
                    for statement in statements:
                        self._execute(side, statement)
        except BaseException as error:  # handed to the caller in wait()
            self.failures.append(error)

    def _execute(self, side: psycopg.Connection, statement: Statement) -> None:
        if not statement.foreign_key:
            side.execute(statement.sql)
        elif statement.foreign_key not in self.left_to_attach:
            try:
                with side.transaction():  # the timeout for this statement alone
                    side.execute(f"SET LOCAL lock_timeout = '{FOREIGN_KEY_LOCK_TIMEOUT}'")
                    side.execute(statement.sql)
            except (psycopg.errors.LockNotAvailable, psycopg.errors.ForeignKeyViolation):
                self.left_to_attach.add(statement.foreign_key)

    def wait(self) -> None:
        for thread in self.threads:
            thread.join()
        if self.failures:
            raise self.failures[0]
