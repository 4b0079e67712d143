"""The dossier table partitioned by month (PostgreSQL) and the province code in its unique key: the
migration keeps every row, imports reach months without a partition, a dossier whose month changes
stays one dossier, period queries read only their partitions, old months detach for archiving while
the rollups stay right. On SQLite the table is plain and the partition commands say so."""

import datetime
import importlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from cchc.core.audit import AuditEntry
from cchc.core.periods import Period
from cchc.core.settings_store import set_setting
from cchc.onestop import services
from cchc.onestop.ingest import partitions
from cchc.onestop.models import ArchivedContribution, ArchivedMonth, Dossier, UnitMonthRollup
from cchc.onestop.queries.dossiers import dossiers_behind
from cchc.onestop.services import partitions as partition_services
from tests.onestop.conftest import dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="declarative partitioning is PostgreSQL's"
)
JAN, FEB, MAR = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)


def ended(code, received, finished, **extra):
    """A dossier received and returned, which nothing later changes."""
    return dossier(code, received=received, finished_at=finished, status="10", **extra)


def three_months():
    """Ended dossiers in January and February; one still in progress in March."""
    return [
        ended("J1", "2026-01-05 09:00", "2026-01-07 10:00"),
        ended("J2", "2026-01-20 09:00", "2026-02-03 10:00", unit="99001", procedure="DD-01"),
        ended("F1", "2026-02-04 09:00", "2026-02-05 10:00"),
        dossier("M1", received="2026-03-02 09:00"),
    ]


def no_differences():
    differences = services.check_rollups()
    return differences["field_rows"] == 0 and differences["unit_rows"] == 0


def unit_rollups():
    return sorted(UnitMonthRollup.objects.values_list("unit_id", "month", "received", "finished", "pending"))


# -- both databases ---------------------------------------------------------------------------------


def test_the_province_code_is_filled_on_import(import_dossiers, cast):
    assert import_dossiers([dossier("P1"), dossier("P2", unit="99.STP.HCTP")]).applied
    assert set(Dossier.objects.values_list("province_code", flat=True)) == {cast["province"].code}


def test_a_dossier_whose_month_changes_stays_one_dossier(import_dossiers):
    first = import_dossiers([dossier("MV1", received="2026-01-30 09:00"), dossier("KEEP")])
    assert (first.created, first.updated) == (2, 0)
    # A corrected date of receipt: the dossier moves to February (another partition on PostgreSQL).
    second = import_dossiers([dossier("MV1", received="2026-02-02 09:00"), dossier("KEEP"), dossier("NEW")])
    assert (second.created, second.updated, second.unchanged) == (1, 1, 1)
    moved = Dossier.objects.filter(code="MV1")
    assert moved.count() == 1 and moved.get().received_month == FEB
    assert no_differences()
    counted = dict(UnitMonthRollup.objects.filter(unit__code="99002").values_list("month", "received"))
    assert (counted[JAN], counted[FEB]) == (2, 1)  # KEEP and NEW; MV1 in February only
    # Sent again unchanged: nothing moves, nothing is counted twice.
    third = import_dossiers([dossier("MV1", received="2026-02-02 09:00")])
    assert (third.created, third.updated, third.unchanged) == (0, 0, 1)
    assert Dossier.objects.count() == 3


def test_a_dossier_moved_to_another_province_stays_one_dossier(import_dossiers):
    from cchc.units.models import UnitType
    from cchc.units.services import units as unit_services

    other = unit_services.create_unit(
        actor=None, name="Tỉnh Bên", type=UnitType.PROVINCE, code="98", kind="Tỉnh", valid_from=JAN
    )
    unit_services.create_unit(
        actor=None,
        name="Xã Bên",
        type=UnitType.COMMUNE,
        code="98001",
        parent=other,
        kind="Xã",
        valid_from=JAN,
    )
    assert import_dossiers([dossier("PV1"), dossier("PV2")]).created == 2
    # The same month, a unit of another province: another key, the same dossier.
    moved = import_dossiers([dossier("PV1", unit="98001"), dossier("PV2")])
    assert (moved.created, moved.updated, moved.unchanged) == (0, 1, 1)
    assert list(Dossier.objects.filter(code="PV1").values_list("province_code", flat=True)) == ["98"]
    assert Dossier.objects.count() == 2 and no_differences()
    counted = dict(UnitMonthRollup.objects.filter(month=JAN).values_list("unit__code", "received"))
    assert (counted["99"], counted["98"]) == (1, 1)


def test_a_period_query_still_finds_what_it_counts(import_dossiers, cast):
    assert import_dossiers(three_months()).applied
    february = Period.parse("2026-02")
    everything = Dossier.objects.all()
    received = dossiers_behind(everything, cast["province"], february, "received")
    finished = dossiers_behind(everything, cast["province"], february, "finished")
    assert sorted(received.values_list("code", flat=True)) == ["F1"]
    assert sorted(finished.values_list("code", flat=True)) == ["F1", "J2"]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite keeps a plain table")
def test_sqlite_has_no_partitions_to_change(import_dossiers):
    assert import_dossiers(three_months()).applied
    assert partition_services.ensure_ahead(3) == []
    with pytest.raises(partition_services.PartitionRefused, match="PostgreSQL"):
        partition_services.detach_before(FEB, actor=None)
    assert Dossier.objects.count() == 4


# -- PostgreSQL ------------------------------------------------------------------------------------


def _migration():
    return importlib.import_module("cchc.onestop.migrations.0009_partition_dossiers_by_month")


def _run_pending_checks():
    """The rows written in the test's transaction leave deferred checks pending, and PostgreSQL alters
    no table they touch (a real migration runs without any): run them now."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@postgres_only
def test_the_migration_keeps_every_row_and_the_ids(import_dossiers):
    _run_pending_checks()
    with connection.schema_editor() as editor:
        _migration().unpartition(None, editor)
    assert not partitions.is_partitioned()
    assert import_dossiers(three_months()).applied  # into the plain table, as before the migration
    before = sorted(Dossier.objects.values_list("id", "code", "received_month", "province_code", "status"))
    rollups = unit_rollups()
    _run_pending_checks()
    with connection.schema_editor() as editor:
        _migration().partition(None, editor)
    assert partitions.is_partitioned()
    assert (
        sorted(Dossier.objects.values_list("id", "code", "received_month", "province_code", "status"))
        == before
    )
    months = {p.month for p in partitions.attached()}
    assert {JAN, FEB, MAR} <= months
    # The ids go on after the old ones; updates still find their rows.
    later = import_dossiers(
        [
            dossier("AFTER", received="2026-03-03 09:00"),
            dossier("M1", received="2026-03-02 09:00", status="10", finished_at="2026-03-04 10:00"),
        ]
    )
    assert (later.created, later.updated) == (1, 1)
    assert Dossier.objects.get(code="AFTER").id > max(row[0] for row in before)
    assert unit_rollups() != rollups and no_differences()


def _collations() -> set[tuple[str, str, str]]:
    """(table, column, collation) of the two codes in the dossier table and each of its months."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attname, COALESCE(k.collname, '') FROM pg_attribute a "
            "JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_collation k ON k.oid = a.attcollation "
            "WHERE a.attname IN ('code', 'province_code') AND (c.oid = 'onestop_dossier'::regclass "
            "OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'onestop_dossier'::regclass))"
        )
        return set(cursor.fetchall())


@postgres_only
def test_the_codes_compare_in_byte_order_in_every_month(import_dossiers):
    assert import_dossiers(three_months()).applied
    found = _collations()
    assert {table for table, _column, _collation in found} > {"onestop_dossier"}  # months too
    assert {collation for _table, _column, collation in found} == {"C"}
    # The migration's way back gives the database's default again, and forward byte order again.
    byte_order = importlib.import_module("cchc.onestop.migrations.0010_dossier_codes_in_byte_order")
    _run_pending_checks()
    with connection.schema_editor() as editor:
        byte_order._collate("default")(None, editor)
    assert {collation for _table, _column, collation in _collations()} == {"default"}
    with connection.schema_editor() as editor:
        byte_order._collate("C")(None, editor)
    assert {collation for _table, _column, collation in _collations()} == {"C"}
    assert Dossier.objects.filter(code="J2").exists()


@postgres_only
def test_an_import_creates_the_partition_of_a_month_that_has_none(import_dossiers):
    assert datetime.date(2026, 6, 1) not in {p.month for p in partitions.attached()}
    result = import_dossiers([ended("OLD", "2026-06-11 09:00", "2026-06-12 10:00"), dossier("NOW")])
    assert result.applied and result.created == 2
    assert datetime.date(2026, 6, 1) in {p.month for p in partitions.attached()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT code FROM onestop_dossier_y2026m06")
        assert cursor.fetchall() == [("OLD",)]
        # The new partition carries the table's unique key: a second row of the same key is refused.
        cursor.execute(
            "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'onestop_dossier_y2026m06' "
            "AND indexdef LIKE '%UNIQUE%(code, received_month, province_code)%'"
        )
        assert cursor.fetchone()[0] == 1
    assert no_differences()


@postgres_only
def test_a_failed_import_leaves_no_partition_behind(import_dossiers):
    result = import_dossiers([dossier("GOOD", received="2026-07-02 09:00"), dossier("BAD", unit="nowhere")])
    assert not result.applied
    assert datetime.date(2026, 7, 1) not in {p.month for p in partitions.attached()}
    # The next import, in a new transaction, creates it again.
    assert import_dossiers([dossier("GOOD", received="2026-07-02 09:00")]).created == 1


def _scanned(queryset) -> set[str]:
    plan = queryset.explain()
    return {
        partitions.partition_name(p.month)
        for p in partitions.attached()
        if partitions.partition_name(p.month) in plan
    }


@postgres_only
def test_a_period_query_reads_only_its_partitions(import_dossiers, cast):
    assert import_dossiers(three_months()).applied
    everything, province = Dossier.objects.all(), cast["province"]
    february = Period.parse("2026-02")
    assert _scanned(dossiers_behind(everything, province, february, "received")) == {
        "onestop_dossier_y2026m02"
    }
    # Finished in February: received by then, so no partition after February is read.
    finished = _scanned(dossiers_behind(everything, province, february, "finished"))
    assert "onestop_dossier_y2026m02" in finished and "onestop_dossier_y2026m03" not in finished
    first_quarter = _scanned(dossiers_behind(everything, province, Period.parse("2026-Q1"), "received"))
    assert first_quarter == {
        "onestop_dossier_y2026m01",
        "onestop_dossier_y2026m02",
        "onestop_dossier_y2026m03",
    }


@postgres_only
def test_ensure_creates_the_coming_months_once():
    today = datetime.date.today().replace(day=1)
    coming = partitions.months_from(today, 7)
    created = partition_services.ensure_ahead(6)
    assert set(created) <= set(coming)
    assert set(coming) <= {p.month for p in partitions.attached()}
    assert partition_services.ensure_ahead(6) == []
    out = io.StringIO()
    call_command("onestop", "partitions", "list", stdout=out)
    assert f"{coming[-1]:%m/%Y}  đang dùng" in out.getvalue()
    with pytest.raises(partition_services.PartitionRefused):
        partition_services.ensure_ahead(-1)


@pytest.mark.parametrize("written", ["ba", "-2", "", "2.5"])
def test_a_mistyped_months_ahead_setting_falls_back_to_the_default(written, reform_admin, caplog):
    """The worker keeps the partitions as it starts: a wrong setting must not stop it."""
    set_setting(actor=reform_admin, key="onestop.partitions_ahead", value=written)
    assert partition_services.months_ahead() == partition_services.DEFAULT_AHEAD
    assert "onestop.partitions_ahead" in caplog.text
    partition_services.ensure_ahead()  # raised ValueError for "ba", PartitionRefused for "-2"
    if connection.vendor == "postgresql":
        coming = partitions.months_from(
            datetime.date.today().replace(day=1), partition_services.DEFAULT_AHEAD + 1
        )
        assert set(coming) <= {p.month for p in partitions.attached()}
    set_setting(actor=reform_admin, key="onestop.partitions_ahead", value="5")
    assert partition_services.months_ahead() == 5


@postgres_only
def test_detaching_old_months_keeps_the_rollups(import_dossiers, cast):
    assert import_dossiers(three_months()).applied
    rollups = unit_rollups()
    archived = partition_services.detach_before(FEB, actor=cast["reform_admin"])
    assert [(a.month, a.rows, a.table_name) for a in archived] == [(JAN, 2, "onestop_dossier_y2026m01")]
    assert JAN not in {p.month for p in partitions.attached()}
    assert sorted(Dossier.objects.values_list("code", flat=True)) == ["F1", "M1"]
    with connection.cursor() as cursor:  # the month stands alone, for the operator to dump and drop
        cursor.execute("SELECT code FROM onestop_dossier_y2026m01 ORDER BY code")
        assert cursor.fetchall() == [("J1",), ("J2",)]
    # The counts stay, J2's finishing in February included; a check and a rebuild agree with them.
    assert unit_rollups() == rollups
    assert ArchivedContribution.objects.filter(archive=archived[0], month=FEB).exists()
    assert no_differences()
    services.rebuild_rollups(actor=None)
    assert unit_rollups() == rollups and no_differences()
    entry = AuditEntry.objects.get(action="onestop.archive_month")
    assert entry.after["month"] == "2026-01-01" and entry.after["rows"] == 2
    # An archived month takes no more dossiers: the row is refused, nothing changes.
    again = import_dossiers(
        [ended("J3", "2026-01-09 09:00", "2026-01-10 10:00"), dossier("OK", received="2026-03-05 09:00")]
    )
    assert not again.applied
    assert [(row, column) for row, column, _message in again.errors] == [(1, "received_at")]
    assert "01/2026" in again.errors[0][2]
    assert not Dossier.objects.filter(code="OK").exists() and no_differences()


@postgres_only
def test_detaching_is_refused_when_it_would_break_something(import_dossiers, cast):
    assert import_dossiers(three_months()).applied
    attached = partitions.attached()
    refusals = [
        (lambda: partition_services.detach_before(datetime.date(2026, 4, 1), actor=None), "03/2026"),
        (lambda: partition_services.detach_before(datetime.date(2099, 1, 1), actor=None), "current month"),
        (lambda: partition_services.detach_before(datetime.date(2000, 1, 1), actor=None), "No month"),
        (lambda: partition_services.detach_before(FEB, actor=cast["commune_officer"]), "administrators"),
    ]
    for attempt, words in refusals:
        with translation.override("en"), pytest.raises(partition_services.PartitionRefused, match=words):
            attempt()
    with translation.override("vi"), pytest.raises(partition_services.PartitionRefused) as refused:
        partition_services.detach_before(datetime.date(2026, 4, 1), actor=None)
    assert "vẫn còn hồ sơ đang giải quyết" in str(refused.value) and "03/2026 (1 hồ sơ)" in str(refused.value)
    assert partitions.attached() == attached and not ArchivedMonth.objects.exists()
    assert Dossier.objects.count() == 4
    with pytest.raises(CommandError, match=r"03/2026 \(1 "):
        call_command("onestop", "partitions", "detach", "--before", "2026-04")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("onestop", "partitions", "detach", "--before", "April")
    out = io.StringIO()
    call_command("onestop", "partitions", "detach", "--before", "2026-02", stdout=out)
    assert "01/2026: đã tách 2 hồ sơ sang bảng" in out.getvalue()


@postgres_only
def test_a_refusal_counts_the_open_dossiers_the_vietnamese_way(import_dossiers):
    march = [dossier(f"OPEN{i}", received="2026-03-02 09:00") for i in range(1200)]
    assert import_dossiers(march).created == 1200
    with translation.override("vi"), pytest.raises(partition_services.PartitionRefused) as refused:
        partition_services.detach_before(datetime.date(2026, 4, 1), actor=None)
    assert "03/2026 (1.200 hồ sơ)" in str(refused.value)


@postgres_only
def test_a_first_load_fills_the_partitions_and_restores_their_keys(tmp_path, procedures, monkeypatch):
    from cchc.onestop.ingest import loading

    path = tmp_path / "first.csv"
    lines = ["dossier_code,procedure_code,unit_code,received_at"]
    lines += [f"FL{i:05d},HT-01,99002,2026-{5 + i % 3:02d}-{1 + i % 27:02d} 09:00" for i in range(3000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(loading, "REBUILD_INDEXES_BYTES", 1)
    result = services.import_dossiers(path, actor=None, batch_rows=500)
    assert result.created == 3000
    months = {p.month for p in partitions.attached()}
    assert {datetime.date(2026, m, 1) for m in (5, 6, 7)} <= months
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_constraint WHERE conrelid = 'onestop_dossier_y2026m06'::regclass "
            "AND contype IN ('u', 'f')"
        )
        assert cursor.fetchone()[0] == 3  # the unique key and the foreign keys to unit and procedure
        # Each month has the parent's three secondary indexes, and each of the parent's indexes stays
        # valid (an index of a partitioned table is valid only while every month has its match).
        cursor.execute("SELECT COUNT(*) FROM pg_index WHERE indrelid = 'onestop_dossier_y2026m06'::regclass")
        assert cursor.fetchone()[0] == 5  # the two keys; unit × received, unit × finished, pending
        cursor.execute(
            "SELECT COUNT(*) FROM pg_index WHERE indrelid = 'onestop_dossier'::regclass AND NOT indisvalid"
        )
        assert cursor.fetchone()[0] == 0
    ids = list(Dossier.objects.order_by("id").values_list("id", flat=True))
    assert len(set(ids)) == 3000
    assert services.import_dossiers([dossier("NEXT")], actor=None).created == 1
    assert Dossier.objects.get(code="NEXT").id > ids[-1]
    assert no_differences()
