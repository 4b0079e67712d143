"""A large first load goes straight into the dossier table (PostgreSQL) and must store exactly what the
staged upsert stores; codes sent twice are found by their hashes; indexes and ids come out right."""

import csv
import datetime

import polars as pl
import psycopg
import pytest
from django.db import connection

from cchc.onestop.ingest import codes, loading, month_tables, partitions, store
from cchc.onestop.models import Dossier, FieldMonthRollup, UnitMonthRollup
from cchc.onestop.services import check_rollups
from cchc.units.models import Unit
from tests.onestop.conftest import dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

COLUMNS = [
    "dossier_code",
    "procedure_code",
    "unit_code",
    "channel",
    "received_at",
    "due_at",
    "finished_at",
    "status",
    "supplements",
    "apology_at",
    "rescheduled_due_at",
    "digitized",
    "rating",
]


def varied(n: int) -> list[dict[str, str]]:
    """n dossiers of every kind: finished early, on time and late, pending, with supplements and apologies."""
    units, procedures = ["99001", "99002", "99.STP.HCTP"], ["HT-01", "HT-02", "DD-01", "CT-01"]
    records = []
    for i in range(n):
        day = 1 + i % 27
        record = dossier(
            f"F{i:05d}",
            unit=units[i % 3],
            procedure=procedures[i % 4],
            received=f"2026-{1 + i % 9:02d}-{day:02d} 0{8 + i % 2}:30",
            channel=str(1 + i % 3),
            digitized="1" if i % 2 else "",
        )
        if i % 5 < 3:
            record.update(
                finished_at=f"2026-{1 + i % 9:02d}-28 1{i % 8}:00", status="10", rating=str(1 + i % 3)
            )
        if i % 7 == 0:
            record["supplements"] = f'[["2026-{1 + i % 9:02d}-{day:02d} 15:00", null]]'
            record.pop("finished_at", None), record.pop("status", None), record.pop("rating", None)
        if i % 11 == 0:
            record.update(apology_at=f"2026-{1 + i % 9:02d}-27 08:00")
        if i % 13 == 0:
            record["due_at"] = f"2026-{1 + i % 9:02d}-28"
        records.append(record)
    return records


def write_csv(path, records):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(records)
    return path


@pytest.fixture
def first_loads(monkeypatch):
    """Every file counts as large; records which imports took the first-load way."""
    monkeypatch.setattr(loading, "REBUILD_INDEXES_BYTES", 0)
    taken = []
    original = loading.FirstLoad.apply

    def apply(self, total, contributions):
        taken.append(total)
        return original(self, total, contributions)

    monkeypatch.setattr(loading.FirstLoad, "apply", apply)
    return taken


def table_structure() -> dict[str, tuple]:
    return _structure(Dossier)


def _structure(model) -> dict[str, tuple]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name: (tuple(info["columns"]), info["unique"], info["index"]) for name, info in found.items()}


def stored_rows(leave_out: tuple[str, ...] = ()) -> list[tuple]:
    names = [
        field.attname for field in Dossier._meta.concrete_fields if field.attname not in ("id", *leave_out)
    ]
    return sorted(Dossier.objects.values_list(*names))


def test_a_first_load_stores_what_the_upsert_stores(import_dossiers, tmp_path, first_loads):
    path = write_csv(tmp_path / "first.csv", varied(400))
    structure = table_structure()
    first = import_dossiers(path, batch_rows=150)
    assert first.applied, first.errors[:3]
    assert (first.created, first.updated, first.unchanged) == (400, 0, 0)
    # On PostgreSQL the load went straight into the table; SQLite always stages.
    assert first_loads == ([400] if connection.vendor == "postgresql" else [])
    assert table_structure() == structure  # every index and constraint is back
    assert check_rollups()["field_rows"] == 0 and check_rollups()["unit_rows"] == 0
    loaded = stored_rows()
    # The same file again goes through the staged upsert, which compares every column: nothing differs.
    again = import_dossiers(path, batch_rows=150)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 400)
    assert stored_rows() == loaded


@pytest.mark.parametrize("copied_into_the_rollup", [False, True])
def test_the_rollups_of_a_first_load_equal_those_of_a_staged_import(
    import_dossiers, tmp_path, monkeypatch, copied_into_the_rollup
):
    path = write_csv(tmp_path / "first.csv", varied(300))
    rollup_structure = _structure(FieldMonthRollup)
    import_dossiers(path, batch_rows=100)  # staged: the file is below the threshold
    staged = (
        sorted(row[1:] for row in FieldMonthRollup.objects.values_list()),  # ids aside
        sorted(UnitMonthRollup.objects.values_list("unit_id", "month", "received", "pending", "overdue_in")),
    )
    Dossier.objects.all().delete()
    FieldMonthRollup.objects.all().delete()
    UnitMonthRollup.objects.all().delete()
    monkeypatch.setattr(loading, "REBUILD_INDEXES_BYTES", 0)
    if copied_into_the_rollup:  # the contributions are copied straight into the empty field rollup
        monkeypatch.setattr(store, "BULK_LOAD_ROWS", 1)
        if connection.vendor == "postgresql":
            monkeypatch.setattr(store, "_create_delta", lambda *args: pytest.fail("went through the delta"))
    import_dossiers(path, batch_rows=100)
    assert sorted(row[1:] for row in FieldMonthRollup.objects.values_list()) == staged[0]
    assert _structure(FieldMonthRollup) == rollup_structure
    assert (
        sorted(UnitMonthRollup.objects.values_list("unit_id", "month", "received", "pending", "overdue_in"))
        == staged[1]
    )


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL loads without indexes"
)


def load_tables() -> list[str]:
    """The first loads' own tables, as this connection sees them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT relname FROM pg_class WHERE relname LIKE '{month_tables.PREFIX}%%'")
        return sorted(row[0] for row in cursor.fetchall())


def keys_of(table: str) -> tuple[int, int]:
    """How many indexes, and how many key constraints (primary, unique, foreign), a table has."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_index WHERE indrelid = %s::regclass", [table])
        indexes = cursor.fetchone()[0]
        cursor.execute(
            "SELECT COUNT(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f')",
            [table],
        )
        return indexes, cursor.fetchone()[0]


def partition_shape(name: str) -> dict:
    """A partition's constraints and indexes (names without the table's own) and its column defaults."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, name)
        cursor.execute(
            "SELECT column_name, column_default, collation_name, is_nullable FROM information_schema.columns "
            "WHERE table_name = %s ORDER BY ordinal_position",
            [name],
        )
        columns = cursor.fetchall()
    shape = {
        key.replace(name, "<month>"): (
            tuple(info["columns"]),
            info["unique"],
            info["index"],
            info["primary_key"],
        )
        for key, info in found.items()
    }
    return {"keys": shape, "columns": columns}


@postgres_only
def test_a_first_load_writes_into_tables_without_any_index_and_builds_them_all_after(
    import_dossiers, tmp_path, first_loads, monkeypatch
):
    """The primary key included: kept up row by row, it cost a sixth of the load's COPY. The months
    end up as partitions just like those PostgreSQL makes, one made ahead of time included."""
    seen = []
    original = loading.FirstLoad.add

    def add(self, rows):
        result = original(self, rows)
        seen.append((table_structure(), [keys_of(self.tables.name(month)) for month in self.tables.months]))
        return result

    monkeypatch.setattr(loading.FirstLoad, "add", add)
    partitions.create([datetime.date(2026, 3, 1), datetime.date(2025, 1, 1)])  # made ahead, still empty
    structure = table_structure()
    result = import_dossiers(write_csv(tmp_path / "first.csv", varied(90)), batch_rows=30)
    assert result.created == 90 and first_loads == [90]
    assert seen
    for dossier_table, month_keys in seen:
        assert dossier_table == structure  # readers keep the table as it was
        assert month_keys and set(month_keys) == {(0, 0)}
    assert table_structure() == structure and load_tables() == []
    reference = partition_shape("onestop_dossier_y2025m01")  # made by PostgreSQL, not by the load
    for month in range(1, 10):
        name = f"onestop_dossier_y2026m{month:02d}"
        assert partition_shape(name) == reference, name
        assert keys_of(name) == (5, 4)  # two keys, three indexes; the keys and two foreign keys
    months = [partition.month for partition in partitions.attached()]
    assert len(months) == len(set(months))
    loaded = {datetime.date(2026, month, 1) for month in range(1, 10)}
    assert loaded | {datetime.date(2025, 1, 1)} <= set(months)
    assert check_rollups()["field_rows"] == 0 and check_rollups()["unit_rows"] == 0


@postgres_only
def test_the_keys_of_a_first_load_are_built_on_the_connections_set(
    import_dossiers, tmp_path, first_loads, monkeypatch, settings
):
    settings.CCHC_IMPORT_INDEX_CONNECTIONS = 3
    builders = built_keys(monkeypatch)
    assert import_dossiers(write_csv(tmp_path / "first.csv", varied(90))).created == 90
    assert [len(builder.threads) for builder in builders] == [3]


def foreign_keys_of_months() -> set[tuple[str, bool, bool]]:
    """Each loaded month's foreign keys: name, whether it is the parent's, whether it is checked."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, conparentid <> 0, convalidated FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'onestop_dossier'::regclass)"
        )
        return set(cursor.fetchall())


def built_keys(monkeypatch) -> list:
    builders = []
    original = month_tables.MonthTables.build_keys

    def build_keys(self):
        builders.append(original(self))
        return builders[-1]

    monkeypatch.setattr(month_tables.MonthTables, "build_keys", build_keys)
    return builders


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_foreign_keys_of_a_first_load_are_made_beside_the_other_keys(
    import_dossiers, tmp_path, first_loads, monkeypatch
):
    """With the units and procedures committed, each month gets its foreign keys on a side
    connection under the parent's names, and the attach takes them as the parent's."""
    builders = built_keys(monkeypatch)
    assert import_dossiers(write_csv(tmp_path / "first.csv", varied(90))).created == 90
    assert [builder.left_to_attach for builder in builders] == [set()]
    names = {name for name, _definition in month_tables.parent_definitions().foreign_keys}
    assert len(names) == 2 and foreign_keys_of_months() == {(name, True, True) for name in names}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_first_load_with_a_large_rollup_never_locks_the_units_against_readers(
    import_dossiers, tmp_path, first_loads, monkeypatch
):
    """The field rollup's bulk load once dropped its foreign key to the units and added it back: the
    drop locks the units table against every reader until the commit (every page reads units), and
    the side connections, unable to make the months' foreign keys to the units, left them all to the
    attach, which checked them one month after another."""
    monkeypatch.setattr(store, "BULK_LOAD_ROWS", 0)  # the rollups of a large load, in small
    builders = built_keys(monkeypatch)
    readers_waited = []
    original = month_tables.MonthTables.attach

    def attach(self):  # the rollups are written by now, the months' keys built
        with month_tables.side_connection() as reader:
            reader.execute("SET lock_timeout = '300ms'")
            try:
                reader.execute(f"SELECT COUNT(*) FROM {Unit._meta.db_table}")
                readers_waited.append(False)
            except psycopg.errors.LockNotAvailable:
                readers_waited.append(True)
        return original(self)

    monkeypatch.setattr(month_tables.MonthTables, "attach", attach)
    assert import_dossiers(write_csv(tmp_path / "first.csv", varied(90))).created == 90
    assert readers_waited == [False]
    assert [builder.left_to_attach for builder in builders] == [set()]
    assert FieldMonthRollup.objects.count() > 0
    assert check_rollups()["field_rows"] == 0 and check_rollups()["unit_rows"] == 0


@postgres_only
def test_foreign_keys_pointing_at_rows_written_in_the_same_transaction_are_checked_by_the_attach(
    import_dossiers, tmp_path, first_loads, monkeypatch
):
    """Here the units and procedures are the test's, not committed: the side connections cannot
    make the foreign keys (they wait no longer than the set timeout), and the attach makes them."""
    builders = built_keys(monkeypatch)
    assert import_dossiers(write_csv(tmp_path / "first.csv", varied(90))).created == 90
    names = {name for name, _definition in month_tables.parent_definitions().foreign_keys}
    assert [builder.left_to_attach for builder in builders] == [names]
    assert foreign_keys_of_months() == {(name, True, True) for name in names}


@postgres_only
def test_a_first_load_whose_keys_fail_leaves_nothing(import_dossiers, tmp_path, first_loads, monkeypatch):
    original = month_tables.MonthTables._key_statements

    def failing(self, month, definitions):
        statements = original(self, month, definitions)
        return [*statements, month_tables.Statement("SELECT 1 / 0")] if month.month == 4 else statements

    monkeypatch.setattr(month_tables.MonthTables, "_key_statements", failing)
    structure = table_structure()
    with pytest.raises(psycopg.errors.DivisionByZero):  # on a side connection: psycopg's own error
        import_dossiers(write_csv(tmp_path / "first.csv", varied(90)))
    assert not Dossier.objects.exists() and not FieldMonthRollup.objects.exists()
    assert table_structure() == structure and load_tables() == []


@postgres_only
def test_a_load_table_left_by_an_earlier_first_load_is_dropped_by_the_next(
    import_dossiers, tmp_path, first_loads
):
    dead = f"{month_tables.PREFIX}dead"
    with month_tables.side_connection() as side:  # committed, as a crashed import leaves it
        side.execute(f"CREATE TABLE {dead} (id bigint) PARTITION BY RANGE (id)")
        side.execute(f"CREATE TABLE {dead}_1 PARTITION OF {dead} FOR VALUES FROM (1) TO (9)")
    assert load_tables() == [dead, f"{dead}_1"]
    assert import_dossiers(write_csv(tmp_path / "first.csv", varied(30))).created == 30
    assert load_tables() == []


def test_dossiers_after_a_first_load_get_new_ids(import_dossiers, tmp_path, first_loads):
    import_dossiers(write_csv(tmp_path / "first.csv", varied(50)))
    highest = Dossier.objects.order_by("-id").values_list("id", flat=True).first()
    result = import_dossiers([dossier("NEW-1"), dossier("NEW-2")])
    assert result.created == 2
    assert min(Dossier.objects.filter(code__startswith="NEW-").values_list("id", flat=True)) > highest


def test_a_code_twice_in_a_first_load_is_reported_and_nothing_is_kept(import_dossiers, tmp_path, first_loads):
    records = varied(120)
    records[100]["dossier_code"] = records[7]["dossier_code"]
    structure = table_structure()
    result = import_dossiers(write_csv(tmp_path / "twice.csv", records), batch_rows=40)
    # CSV rows count from 2 (the header is row 1).
    assert [(row, column) for row, column, _m in result.errors] == [(102, "dossier_code")]
    assert "9, 102" in result.errors[0][2]
    assert not Dossier.objects.exists()
    assert not FieldMonthRollup.objects.exists() and not UnitMonthRollup.objects.exists()
    assert table_structure() == structure
    assert first_loads == []  # never applied
    if connection.vendor == "postgresql":
        assert load_tables() == []  # dropped at once, not left for the next import


def test_a_code_twice_in_two_months_of_a_first_load_is_found_with_its_hashes_on_disk(
    import_dossiers, tmp_path, first_loads, monkeypatch
):
    """The table's unique key holds the month too: only the hashes can find this one."""
    monkeypatch.setattr(codes, "SPILL_ROWS", 25)
    records = varied(120)
    records[110]["dossier_code"] = records[3]["dossier_code"]
    records[110]["received_at"] = "2026-01-05 08:30"  # row 5 (records[3]) came in April
    result = import_dossiers(write_csv(tmp_path / "twice.csv", records), batch_rows=40)
    assert [(row, column) for row, column, _m in result.errors] == [(112, "dossier_code")]
    assert "5, 112" in result.errors[0][2]
    assert not Dossier.objects.exists()
    assert first_loads == []


def test_a_bad_row_late_in_a_first_load_leaves_nothing(import_dossiers, tmp_path, first_loads):
    records = varied(90)
    records[85]["received_at"] = "31/02/2026 08:00"
    structure = table_structure()
    result = import_dossiers(write_csv(tmp_path / "bad.csv", records), batch_rows=30)
    assert [(row, column) for row, column, _m in result.errors] == [(87, "received_at")]
    assert not Dossier.objects.exists()
    assert table_structure() == structure


def test_the_running_contribution_sums_are_folded_without_summing_the_same_rows_again_and_again(
    monkeypatch,
):
    """Re-summing the whole running sum with every batch once it held a million keys took 26 of a
    10 M-row import's 176 s: a fold must wait until the new rows outnumber those of the sum."""
    traits = pl.DataFrame(
        {
            "procedure_id": [1],
            "field": ["Tư pháp"],
            "has_fee": [False],
            "online": ["full"],
            "written_result": [True],
        }
    )
    totals = loading.ContributionTotals(traits)
    summed = []
    original = loading._sum_by_key

    def sum_by_key(parts):
        summed.append(sum(part.height for part in parts))
        return original(parts)

    monkeypatch.setattr(loading, "_sum_by_key", sum_by_key)
    monkeypatch.setattr(loading, "FOLD_ROWS", 100)
    months = pl.date_range(pl.date(2000, 1, 1), pl.date(2083, 4, 1), "1mo", eager=True)  # 1,000 months
    for batch in range(200):
        chosen = months[(batch % 20) * 50 : (batch % 20) * 50 + 50]
        frame = pl.DataFrame({"unit_id": [7] * 50, "field_number": [0] * 50, "month": chosen})
        totals._add("overdue", frame, "month", {"overdue_in": pl.lit(True)})
    total = totals.total()
    assert total.height == 1000 and total["overdue_in"].to_list() == [10] * 1000
    # 10,000 rows came in; re-summing the 1,000-key sum with each of the last 180 batches passed 180,000.
    assert sum(summed) < 4 * 10_000
