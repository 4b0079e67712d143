"""The national side's checks, on `importing.receive` directly: each refusal says why and writes no
revision and no row; the same package twice writes nothing; changed data becomes revision 2."""

import io
import json
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cchc.core.models import AuditEntry
from cchc.exchange import importing, package
from cchc.exchange.models import ExchangePackage, FieldMonthRow, MetricRow, PackageStatus
from tests.exchange.conftest import field_row, make, rewritten

pytestmark = pytest.mark.django_db


def receive(data: bytes):
    return importing.receive(data, registration=None, actor=None, via="command")


def written() -> tuple[int, int, int]:
    accepted = ExchangePackage.objects.filter(status=PackageStatus.ACCEPTED).count()
    return accepted, FieldMonthRow.objects.count(), MetricRow.objects.count()


def test_accepted_then_unchanged_then_a_new_revision_keeping_the_old(registered, east_ward):
    first = receive(make(registered["99"]))
    assert (first.status, first.revision) == ("accepted", 1)
    row = FieldMonthRow.objects.get()
    assert (row.unit, row.sent_code, row.received) == (east_ward, "99001", 10)
    before = (written(), AuditEntry.objects.count())
    again = receive(make(registered["99"]))  # built again: another created_at, the same content
    assert (again.status, again.revision) == (importing.UNCHANGED, 1)
    assert (written(), AuditEntry.objects.count()) == before
    second = receive(make(registered["99"], [field_row("99001", received=12)]))
    assert (second.status, second.revision) == ("accepted", 2)
    revisions = ExchangePackage.objects.filter(status=PackageStatus.ACCEPTED).order_by("revision")
    assert [p.revision for p in revisions] == [1, 2]
    assert [r.received for r in FieldMonthRow.objects.order_by("package__revision")] == [10, 12]
    assert importing.current("99", "2026-10") == revisions.last()
    assert AuditEntry.objects.filter(action="exchange.accept").count() == 2


def test_metrics_rows_keep_decimals_and_missing_denominators(registered):
    metrics = [
        {"metric": "onestop.on_time_rate", "unit_code": "99002", "numerator": "9.5", "denominator": "10"},
        {"metric": "surveys.count", "unit_code": "99002", "numerator": "3", "denominator": None},
    ]
    assert receive(make(registered["99"], metrics=metrics)).status == "accepted"
    rows = {row.metric: (str(row.numerator.normalize()), row.denominator) for row in MetricRow.objects.all()}
    assert rows == {"onestop.on_time_rate": ("9.5", 10), "surveys.count": ("3", None)}


def test_an_old_code_after_the_merge_goes_to_its_successor_and_a_historic_month_keeps_the_old_unit(
    registered, east_ward, old_commune
):
    assert receive(make(registered["99"], [field_row("97001"), field_row("99001", received=5)])).status == (
        "accepted"
    )
    row = FieldMonthRow.objects.get()  # both codes landed on Phường Đông: their counts add up
    assert (row.unit, row.received) == (east_ward, 15)
    assert receive(make(registered["99"], [field_row("97001")], period="2025-05")).status == "accepted"
    assert FieldMonthRow.objects.get(package__period="2025-05").unit == old_commune


def _refused(data: bytes, reason: str, words: str) -> None:
    before = written()
    outcome = receive(data)
    assert (outcome.status, outcome.reason) == ("refused", reason), outcome.message
    assert words in outcome.message
    assert written() == before
    refused = ExchangePackage.objects.filter(status=PackageStatus.REFUSED).latest("id")
    assert refused.reason == reason
    assert AuditEntry.objects.filter(action="exchange.refuse", object_id=str(refused.pk)).exists()


def test_a_tampered_data_file_is_refused(registered, english):
    data = make(registered["99"])
    tampered = rewritten(
        data, {"data/onestop_field_month.jsonl": json.dumps(field_row("99001", received=99)).encode() + b"\n"}
    )
    _refused(tampered, "hash_mismatch", "changed after signing")


def test_a_tampered_manifest_is_refused(registered, english):
    data = make(registered["99"])
    import io
    import zipfile

    manifest = (
        zipfile.ZipFile(io.BytesIO(data))
        .read("manifest.json")
        .replace(b'"period":"2026-10"', b'"period":"2026-11"')
    )
    _refused(rewritten(data, {"manifest.json": manifest}), "bad_signature", "signature does not match")


def test_an_unsigned_package_is_refused(registered, english):
    _refused(rewritten(make(registered["99"]), {"manifest.sig": None}), "unsigned", "not signed")


def test_a_package_signed_with_another_provinces_key_is_refused(registered, english):
    _refused(make(registered["98"]), "wrong_key", "another province's key")


def test_a_package_signed_with_an_unknown_key_is_refused(registered, english):
    _refused(make(Ed25519PrivateKey.generate()), "bad_signature", "signature does not match")


def test_an_unknown_schema_version_is_refused(registered, english):
    _refused(make(registered["99"], schema_version=2), "schema", "Schema version 2 is not supported")


def test_another_provinces_unit_is_refused(registered, english):
    _refused(make(registered["99"], [field_row("98001")]), "out_of_scope", "another province's unit")


def test_a_code_that_is_no_official_code_is_refused(registered, english):
    _refused(make(registered["99"], [field_row("12345")]), "unknown_unit", "not an official code")


def test_malformed_packages_are_refused(registered, english):
    key = registered["99"]
    _refused(b"not a zip at all", "malformed", "not a valid")
    _refused(rewritten(make(key), {"manifest.json": None}), "malformed", "no manifest.json")
    bad_row = dict(field_row("99001"), received=-1)
    _refused(make(key, [bad_row]), "malformed", "received")
    _refused(make(key, [{"unit_code": "99001"}]), "malformed", "columns of schema version 1")
    _refused(make(key, period="2026"), "malformed", "YYYY-MM")


def test_a_row_count_that_does_not_match_the_manifest_is_refused(registered, english):
    # The province's builder miscounted: the manifest, correctly signed, says one row more.
    key = registered["99"]
    data = make(key)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    manifest["files"]["data/onestop_field_month.jsonl"]["rows"] += 1
    raw = package.canonical(manifest)
    _refused(
        rewritten(data, {"manifest.json": raw, "manifest.sig": key.sign(raw)}), "row_count", "manifest says 2"
    )


def test_a_file_listed_but_missing_is_refused(registered, english):
    _refused(
        rewritten(make(registered["99"]), {"data/onestop_field_month.jsonl": None}), "malformed", "missing"
    )


def test_numbers_beyond_the_national_columns_are_refused(registered, english):
    metric = {"metric": "x", "unit_code": "99002", "numerator": "1e999", "denominator": None}
    _refused(make(registered["99"], metrics=[metric]), "malformed", "numerator")
