"""The province side: the key file, and a deterministic package of the month's rollups and metrics."""

import io
import json
import stat
import zipfile

import pytest
from django.core.management import call_command

from cchc.exchange import export, package
from cchc.onestop.models import FieldMonthRollup

pytestmark = pytest.mark.django_db


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_keygen_writes_a_private_key_only_its_owner_reads_and_keeps_an_existing_one(tmp_path):
    path = tmp_path / "key.pem"
    key = export.keygen(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert package.public_key_text(export.load_key(path)) == package.public_key_text(key)
    with pytest.raises(export.ExportError, match="already exists"):
        export.keygen(path)


def test_the_same_data_exports_the_same_package_but_for_its_date(province, east_ward, settings, tmp_path):
    settings.CCHC_PROVINCE_CODE = "99"
    settings.CCHC_EXCHANGE_KEY_FILE = str(tmp_path / "key.pem")
    key = export.keygen()
    FieldMonthRollup.objects.create(
        unit=east_ward, field="Hộ tịch", month="2026-10-01", received=4, finished=3
    )
    FieldMonthRollup.objects.create(unit=east_ward, field="Hộ tịch", month="2026-09-01", received=7)
    out = io.BytesIO()
    call_command("exchange", "export", "--period", "2026-10", stdout=out)
    first, second = _members(out.getvalue()), _members(export.export("2026-10"))
    assert sorted(first) == [
        "data/metrics.jsonl",
        "data/onestop_field_month.jsonl",
        "data/parindex_results.jsonl",
        "data/plan_targets.jsonl",
        "manifest.json",
        "manifest.sig",
    ]
    assert {k: v for k, v in first.items() if k.startswith("data/")} == {
        k: v for k, v in second.items() if k.startswith("data/")
    }
    manifest = json.loads(first["manifest.json"])
    assert package.content_hash(manifest) == package.content_hash(json.loads(second["manifest.json"]))
    assert (manifest["schema_version"], manifest["period"], manifest["province"]["code"]) == (
        1,
        "2026-10",
        "99",
    )
    assert package.verify(first["manifest.json"], first["manifest.sig"], key.public_key())
    rows = [json.loads(line) for line in first["data/onestop_field_month.jsonl"].splitlines()]
    assert [(r["unit_code"], r["field"], r["received"], r["finished"]) for r in rows] == [
        ("99001", "Hộ tịch", 4, 3)
    ]
    assert manifest["files"]["data/onestop_field_month.jsonl"]["rows"] == 1
