"""The database's own speed for the bench's file: a bare COPY of the generated CSV (PostgreSQL).

"Bare" means: the generated file exactly as it is (header, local wall-clock texts, 15 % of receipt
dates written dd/mm/yyyy, empty cells for NULL), streamed from this process through one
`COPY … FROM STDIN (FORMAT csv)` into a new, logged table whose sixteen columns have the types the
dossier table gives those values (timestamptz, smallint, boolean, jsonb, varchar), without an index,
a constraint, a default or a trigger; the session reads the texts in the province's time zone with
day-before-month dates. No validation, no due dates, no classification, no rollups. The table is
created and filled inside a transaction (a savepoint when already inside one) that is rolled back,
so nothing is left behind. Only the COPY statement is timed.

The import's share of it (`import_share_of_copy`) is how close the whole import comes to what the
server alone needs to take in the same rows.
"""

import time
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from cchc.bench.dossiers import COLUMNS

TABLE = "bench_bare_copy"
PIECE = 8 * 2**20
TYPES = {
    "dossier_code": "varchar(64)",
    "procedure_code": "varchar(64)",
    "unit_code": "varchar(64)",
    "status": "smallint",
    "channel": "smallint",
    "supplements": "jsonb",
    "digitized": "boolean",
    "e_result": "boolean",
    "paid_online": "boolean",
    "rating": "smallint",
}


def bare_copy_rows_per_s(path: Path, rows: int) -> dict[str, Any]:
    """`copy_s` and `copy_rows_per_s` of the bare COPY; both None on a database without COPY."""
    if connection.vendor != "postgresql":
        return {"copy_s": None, "copy_rows_per_s": None}
    columns = ", ".join(f"{name} {TYPES.get(name, 'timestamptz')}" for name in COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('timezone', 'Asia/Ho_Chi_Minh', true)")
        cursor.execute("SELECT set_config('datestyle', 'ISO, DMY', true)")
        cursor.execute(f"CREATE TABLE {TABLE} ({columns})")
        started = time.perf_counter()
        with (
            path.open("rb") as handle,
            cursor.cursor.copy(
                f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT csv, HEADER true)"
            ) as copy,
        ):
            while piece := handle.read(PIECE):
                copy.write(piece)
        seconds = time.perf_counter() - started
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
        copied = cursor.fetchone()[0]
        transaction.set_rollback(True)
    if copied != rows:
        raise RuntimeError(f"The bare COPY took {copied} rows of {rows}.")
    return {"copy_s": round(seconds, 2), "copy_rows_per_s": round(rows / seconds) if seconds else None}
