"""The dossier table's monthly partitions on PostgreSQL: which there are, creating them before rows
arrive, detaching old ones (docs/onestop.md, "Partitions").

A partition holds the dossiers received in one month (`received_month`), named
`onestop_dossier_y2026m01`. There is no DEFAULT partition on purpose: a month could then no longer be
given its own partition while the default held rows of it, and rows of any month would land there
silently. A month without a partition is created when an import brings rows for it.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from cchc.onestop.models import TERMINAL_STATUSES, DossierStatus

PARENT = "onestop_dossier"
_BOUND = re.compile(r"FROM \('(\d{4})-(\d{2})-01'\) TO")


@dataclass(frozen=True)
class Partition:
    name: str
    month: datetime.date
    rows: int  # the planner's estimate (-1 or 0 before the first ANALYZE)


def month_after(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def partition_name(month: datetime.date) -> str:
    return f"{PARENT}_y{month.year}m{month.month:02d}"


def is_partitioned() -> bool:
    """Whether the dossier table is partitioned (PostgreSQL after the migration; never on SQLite)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass)", [PARENT]
        )
        return bool(cursor.fetchone()[0])


def attached() -> list[Partition]:
    """The partitions of the dossier table, oldest month first."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), c.reltuples::bigint FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
            [PARENT],
        )
        rows = cursor.fetchall()
    found = []
    for name, bound, estimate in rows:
        match = _BOUND.search(bound or "")
        if match:
            found.append(Partition(name, datetime.date(int(match[1]), int(match[2]), 1), int(estimate)))
    return sorted(found, key=lambda p: p.month)


def create(months: Iterable[datetime.date]) -> list[datetime.date]:
    """Give each of `months` (first days) a partition if it has none; returns the months created.

    A standalone table attached afterwards rather than `CREATE TABLE … PARTITION OF`: attaching locks
    the dossier table only against other schema changes (SHARE UPDATE EXCLUSIVE), so lists and
    searches go on reading while an import creates the partition of an old month. The new table is
    empty, so the check of its rows is instant; PostgreSQL adds the table's indexes and foreign keys.
    """
    wanted = sorted({month.replace(day=1) for month in months if month is not None})
    if not wanted or not is_partitioned() or set(wanted) <= {p.month for p in attached()}:
        return []
    created = []
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # The lock ATTACH takes, taken before looking: a second creator (another import, the daily job)
        # waits for the first to commit and then finds its partition, instead of failing on the name.
        cursor.execute(f"LOCK TABLE {PARENT} IN SHARE UPDATE EXCLUSIVE MODE")
        existing = {partition.month for partition in attached()}
        for month in wanted:
            if month in existing:
                continue
            name = partition_name(month)
            cursor.execute(f"CREATE TABLE {name} (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
            cursor.execute(
                f"ALTER TABLE {PARENT} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)",
                [month, month_after(month)],
            )
            created.append(month)
    return created


def months_from(first: datetime.date, count: int) -> list[datetime.date]:
    """`count` months starting with the month of `first`."""
    months, month = [], first.replace(day=1)
    for _step in range(count):
        months.append(month)
        month = month_after(month)
    return months


class Ensurer:
    """Creates the partitions of the months an import brings, asking the database once per import
    which exist: the check per batch is then a set lookup. Kept per import, not per process, because
    the partitions an import created vanish if it rolls back."""

    def __init__(self) -> None:
        self.active = is_partitioned()
        self.known: set[datetime.date] | None = None

    def ensure(self, months: Iterable[datetime.date]) -> None:
        if not self.active:
            return
        if self.known is None:
            self.known = {partition.month for partition in attached()}
        missing = {month for month in months if month is not None} - self.known
        if missing:
            create(missing)
            self.known |= missing


def open_months(before: datetime.date) -> list[tuple[datetime.date, int]]:
    """Months before `before` that still hold dossiers in progress (neither refused nor ended), with
    how many: detaching them would strand dossiers the next imports still change."""
    ended = [int(status) for status in (DossierStatus.REFUSED, *TERMINAL_STATUSES)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT received_month, COUNT(*) FROM {PARENT} WHERE received_month < %s "
            f"AND status NOT IN ({', '.join(['%s'] * len(ended))}) "
            "GROUP BY received_month ORDER BY received_month",
            [before, *ended],
        )
        return [(row[0], int(row[1])) for row in cursor.fetchall()]


def count_rows(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {name}")
        return int(cursor.fetchone()[0])


def detach(name: str) -> None:
    """Detach one partition: it stays in the database as a table of its own, to be dumped and dropped.

    Not CONCURRENTLY, which cannot run inside the transaction that also records the archive.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {PARENT} DETACH PARTITION {name}")
