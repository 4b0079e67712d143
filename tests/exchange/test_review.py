"""What the first version let through: members the signature does not cover, a ZIP directory that lies,
repeated rows, sums beyond the national columns, a failure halfway through writing, and two packages
of one province at the same moment."""

import io
import struct
import threading
import zipfile

import pytest
from django.db import DatabaseError, connection, transaction

from cchc.core.models import AuditEntry
from cchc.exchange import importing, package
from cchc.exchange.models import (
    ExchangePackage,
    FieldMonthRow,
    MetricRow,
    PackageStatus,
    ProvinceRegistration,
)
from tests.exchange.conftest import field_row, make, rewritten
from tests.exchange.test_checks import _refused, receive

pytestmark = pytest.mark.django_db


def test_a_member_the_manifest_does_not_list_is_refused(registered, english):
    out = io.BytesIO(make(registered["99"]))
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("../../etc/cron.d/x", b"* * * * * root true\n")
    _refused(out.getvalue(), "malformed", "does not list")


def test_a_member_twice_is_refused(registered, english):
    data = make(registered["99"])
    body = package.read_member(zipfile.ZipFile(io.BytesIO(data)), "manifest.sig")
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive, pytest.warns(UserWarning, match="Duplicate name"):
        archive.writestr("manifest.sig", body)
    _refused(out.getvalue(), "malformed", "manifest.sig")


def _lie_about_size(data: bytes, name: bytes, size: int) -> bytes:
    """The archive with `name`'s uncompressed size replaced in its local header and in the directory."""
    patched = bytearray(data)
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := patched.find(signature, start)) >= 0:
            name_length = struct.unpack_from("<H", patched, start + name_at - (4 if name_at == 30 else 18))[0]
            if bytes(patched[start + name_at : start + name_at + name_length]) == name:
                struct.pack_into("<I", patched, start + offset, size)
            start += 4
    return bytes(patched)


def test_a_directory_that_lies_about_sizes_is_refused_not_inflated(registered, english):
    # A bomb that declares a harmless size: zipfile inflates no more than declared, and the CRC no
    # longer matches: the package is refused, nothing crashes, nothing big is held in memory.
    rows = [field_row("99001", field=f"Lĩnh vực {n:05d}") for n in range(2000)]
    data = _lie_about_size(make(registered["99"], rows), b"data/onestop_field_month.jsonl", 100)
    _refused(data, "malformed", "cannot be read")


def test_a_damaged_member_is_refused(registered, english):
    stored = rewritten(make(registered["99"]), {})  # members stored as they are: the bytes are visible
    damaged = stored.replace(b'"received":10', b'"received":19')
    assert damaged != stored
    _refused(damaged, "malformed", "cannot be read")


def test_a_row_repeated_is_refused(registered, english):
    _refused(make(registered["99"], [field_row("99001"), field_row("99001")]), "malformed", "earlier line")


def test_sums_beyond_the_national_columns_are_refused(registered, english, old_commune):
    # 97001 (merged) and 99001 land on the same ward: their counts add up past a PostgreSQL integer.
    rows = [field_row("97001", received=2**31 - 1), field_row("99001", received=1)]
    _refused(make(registered["99"], rows), "malformed", "too large")
    big = "999999999999999999"
    metrics = [
        {"metric": "m", "unit_code": code, "numerator": big, "denominator": "1"}
        for code in ("97001", "99001")
    ]
    _refused(make(registered["99"], metrics=metrics), "malformed", "too large")


def test_single_values_landing_on_one_unit_are_refused_not_added(registered, english, old_commune):
    # 97001 (merged) and 99001 are Phường Đông in October: a ratio adds up, a single value would be
    # kept as the sum of two figures (8 + 8 hours of feed lag read as 16).
    hours = [
        {"metric": "onestop.feed_lag_hours", "unit_code": code, "numerator": "8", "denominator": None}
        for code in ("97001", "99001")
    ]
    _refused(make(registered["99"], metrics=hours), "malformed", "single value for both 97001 and 99001")
    mixed = [hours[0] | {"denominator": "10"}, hours[1]]
    _refused(make(registered["99"], metrics=mixed), "malformed", "single value")
    rates = [row | {"denominator": "10"} for row in hours]
    assert receive(make(registered["99"], metrics=rates)).status == "accepted"
    row = MetricRow.objects.get()
    assert (row.numerator, row.denominator) == (16, 20)
    alone = [hours[1], hours[0] | {"metric": "onestop.received"}]  # different metrics: no collision
    assert receive(make(registered["99"], metrics=alone)).status == "accepted"


FAIL_SQLITE = (
    "CREATE TRIGGER exchange_test_fail BEFORE INSERT ON exchange_metricrow "
    "BEGIN SELECT RAISE(ABORT, 'boom'); END"
)
FAIL_POSTGRESQL = (
    "CREATE FUNCTION exchange_test_fail() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'boom'; END $$; "
    "CREATE TRIGGER exchange_test_fail BEFORE INSERT ON exchange_metricrow "
    "FOR EACH ROW EXECUTE FUNCTION exchange_test_fail()"
)


DROP = {
    "sqlite": ["DROP TRIGGER exchange_test_fail"],
    "postgresql": [
        "DROP TRIGGER exchange_test_fail ON exchange_metricrow",
        "DROP FUNCTION exchange_test_fail()",
    ],
}


@pytest.mark.django_db(transaction=True)  # no test transaction around: the import's own is the one
def test_a_failure_halfway_through_writing_leaves_nothing(registered):
    """The one-stop rows are written, then the database refuses the metric rows: nothing stays."""
    with connection.cursor() as cursor:
        cursor.execute(FAIL_POSTGRESQL if connection.vendor == "postgresql" else FAIL_SQLITE)
    try:
        metrics = [{"metric": "m", "unit_code": "99001", "numerator": "1", "denominator": None}]
        before = AuditEntry.objects.count()
        with pytest.raises(DatabaseError, match="boom"):
            receive(make(registered["99"], metrics=metrics))
        assert ExchangePackage.objects.count() == 0
        assert (FieldMonthRow.objects.count(), MetricRow.objects.count()) == (0, 0)
        assert AuditEntry.objects.count() == before
    finally:
        with connection.cursor() as cursor:  # DDL outlives a transactional test's flush
            for statement in DROP[connection.vendor]:
                cursor.execute(statement)


@pytest.mark.django_db(transaction=True)
def test_two_packages_of_one_province_at_once_take_turns(registered):
    """A push waits while another holds the province's lock; then it gets the next revision."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (it serialises writers whole); PostgreSQL pass only")
    outcomes = []

    def push():
        try:
            outcomes.append(receive(make(registered["99"], [field_row("99001", received=12)])))
        finally:
            connection.close()

    with transaction.atomic():
        ProvinceRegistration.objects.select_for_update().get(code="99")
        pusher = threading.Thread(target=push)
        pusher.start()
        pusher.join(timeout=3)
        assert pusher.is_alive(), "the push did not wait for the province's lock"
        first = receive(make(registered["99"]))
    pusher.join(timeout=60)
    assert [first.revision, *(o.revision for o in outcomes)] == [1, 2]
    accepted = ExchangePackage.objects.filter(status=PackageStatus.ACCEPTED).order_by("revision")
    assert [p.revision for p in accepted] == [1, 2]
    assert importing.current("99", "2026-10") == accepted.last()
