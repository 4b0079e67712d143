"""On PostgreSQL, the dossier table becomes a table partitioned by month of receipt (docs/onestop.md,
"Partitions"); SQLite keeps a plain table.

The rows are copied into a new partitioned table with the same columns, keys, indexes and foreign
keys, one partition per month present plus the months just ahead; the ids go on from where the old
table's sequence stood. Written out here rather than calling the app's code, so that this migration
does the same thing whatever that code becomes.
"""

import datetime

from django.db import migrations

TABLE = "onestop_dossier"
OLD = "onestop_dossier_unpartitioned"
AHEAD = 3  # months after the current one given a partition now; the daily job keeps the window


def _month_after(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    cursor = schema_editor.connection.cursor()
    cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
    if cursor.fetchone():
        return
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f')",
        [TABLE],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conrelid = %s::regclass AND c.conname = i.indexname)",
        [TABLE, TABLE],
    )
    indexes = cursor.fetchall()
    cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
    # Index and constraint names are the schema's: free them for the new table.
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    for name, _kind, _definition in sorted(constraints, key=lambda c: c[1] != "f"):
        cursor.execute(f'ALTER TABLE {OLD} DROP CONSTRAINT "{name}"')
    cursor.execute(
        f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
        "PARTITION BY RANGE (received_month)"
    )
    # A default naming the old table's sequence (when it had one rather than an identity) would
    # keep that sequence, and so the old table, from being dropped; the new sequence comes last.
    cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id DROP DEFAULT")
    # Every unique key of a partitioned table holds the partition key; the province code is there
    # for a sharded store (docs/onestop.md, "Partitions"). Django still takes `id` alone for the primary key.
    cursor.execute(
        f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, received_month, province_code)"
    )
    for name, kind, definition in sorted(constraints, key=lambda c: c[1] == "f"):
        if kind != "p":
            cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
    for _name, definition in indexes:
        cursor.execute(definition)

    cursor.execute(f"SELECT DISTINCT received_month FROM {OLD}")
    months = {row[0] for row in cursor.fetchall()}
    month = datetime.date.today().replace(day=1)
    for _step in range(AHEAD + 1):
        months.add(month)
        month = _month_after(month)
    for month in sorted(months):
        name = f"{TABLE}_y{month.year}m{month.month:02d}"
        cursor.execute(
            f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM (%s) TO (%s)",
            [month, _month_after(month)],
        )

    cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")
    # The copied rows' foreign keys are checked now rather than at the commit: PostgreSQL alters no
    # table with checks pending, and the sequence comes after.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    cursor.execute(
        f"SELECT GREATEST((SELECT MAX(id) FROM {OLD}), "
        "pg_sequence_last_value(pg_get_serial_sequence(%s, 'id')))",
        [OLD],
    )
    last = cursor.fetchone()[0]
    cursor.execute(f"DROP TABLE {OLD}")  # and its identity sequence, whose name the new one takes
    cursor.execute(f"CREATE SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")
    cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq')")
    if last:
        cursor.execute(f"SELECT setval('{TABLE}_id_seq', %s)", [last])
    cursor.execute(f"ANALYZE {TABLE}")  # the new partitions' statistics, before the first query plans


def unpartition(apps, schema_editor):
    """Back to one plain table (every attached partition's rows; detached ones stay standalone)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    cursor = schema_editor.connection.cursor()
    cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
    if not cursor.fetchone():
        return
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
        [TABLE],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conrelid = %s::regclass AND c.conname = i.indexname)",
        [TABLE, TABLE],
    )
    indexes = cursor.fetchall()
    cursor.execute(f"ALTER SEQUENCE {TABLE}_id_seq OWNED BY NONE")  # kept when the table goes
    cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    for name, _kind, _definition in sorted(constraints, key=lambda c: c[1] != "f"):
        cursor.execute(f'ALTER TABLE {OLD} DROP CONSTRAINT "{name}"')
    cursor.execute(f"ALTER TABLE {OLD} DROP CONSTRAINT {TABLE}_pkey")
    cursor.execute(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id)")
    for name, _kind, definition in sorted(constraints, key=lambda c: c[1] == "f"):
        cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
    for _name, definition in indexes:
        cursor.execute(definition)
    cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")
    # The copied rows' foreign keys are checked now rather than at the commit: PostgreSQL alters no
    # table with checks pending, and the sequence comes after.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    cursor.execute(f"DROP TABLE {OLD}")  # with its partitions
    cursor.execute(f"ALTER SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")


class Migration(migrations.Migration):
    dependencies = [("onestop", "0008_dossier_province_code_and_archive")]

    operations = [migrations.RunPython(partition, unpartition)]
