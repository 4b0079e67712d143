"""The dossier table's partitions changed by two transactions at once (PostgreSQL): each in a thread
with its own connection, the test holding the first open until the second waits for it.

PostgreSQL only, like feed/test_overlap.py: the partitions are PostgreSQL's, and an in-memory SQLite
test database cannot be shared by threads with their own connections.
"""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction

from cchc.onestop import services
from cchc.onestop.ingest import partitions
from cchc.onestop.models import ArchivedMonth, Dossier
from cchc.onestop.services import partitions as partition_services
from tests.onestop.conftest import dossier

pytestmark = [pytest.mark.django_db(transaction=True)]


def _skip_on_sqlite():
    if connection.vendor != "postgresql":
        pytest.skip("partitions and threads sharing the test database need PostgreSQL")


def _until_someone_waits_for_a_lock():
    for _attempt in range(200):
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE NOT granted)")
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the second transaction never waited")


def _in_thread(work, results, errors, *, hold: threading.Event | None = None):
    def run():
        try:
            with transaction.atomic():
                results.append(work())
                if hold is not None:
                    hold.wait(30)
        except BaseException as error:  # reported by the assertions
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_transactions_creating_the_same_month_both_succeed():
    _skip_on_sqlite()
    month = datetime.date(2031, 5, 1)
    release, results, errors = threading.Event(), [], []
    try:
        first = _in_thread(lambda: partitions.create([month]), results, errors, hold=release)
        for _attempt in range(200):
            if results or errors:
                break
            time.sleep(0.05)
        second = _in_thread(lambda: partitions.create([month]), results, errors)
        _until_someone_waits_for_a_lock()
        release.set()
        first.join(30)
        second.join(30)
        assert not errors, errors
        assert results == [[month], []]  # the second found the first's partition
        assert month in {p.month for p in partitions.attached()}
    finally:
        release.set()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {partitions.partition_name(month)}")


def test_an_import_waiting_for_a_detach_refuses_the_archived_month(procedures, cast):
    _skip_on_sqlite()
    january = dossier("J1", received="2026-01-05 09:00", finished_at="2026-01-06 10:00", status="10")
    assert services.import_dossiers([january], actor=None).applied
    release, results, errors = threading.Event(), [], []
    try:
        detaching = _in_thread(
            lambda: partition_services.detach_before(datetime.date(2026, 2, 1), actor=None),
            results,
            errors,
            hold=release,
        )
        for _attempt in range(200):
            if results or errors:
                break
            time.sleep(0.05)
        late = dossier("J2", received="2026-01-09 09:00", finished_at="2026-01-10 10:00", status="10")
        importing = _in_thread(lambda: services.import_dossiers([late], actor=None), results, errors)
        _until_someone_waits_for_a_lock()
        release.set()
        detaching.join(30)
        importing.join(60)
        assert not errors, errors
        refused = results[1]
        assert not refused.applied and [column for _row, column, _text in refused.errors] == ["received_at"]
        assert not Dossier.objects.exists()
        assert datetime.date(2026, 1, 1) not in {p.month for p in partitions.attached()}
    finally:
        release.set()
        with connection.cursor() as cursor:
            for archive in ArchivedMonth.objects.all():
                cursor.execute(f"DROP TABLE IF EXISTS {archive.table_name}")
