"""Two instances on this machine: the province is this test process and its test database; the
national instance is a real `cchc runserver` on its own loopback port with its own SQLite database,
migrated and loaded with the official units of provinces 56 and 11. The province exports real signed
packages and pushes them over HTTP; the test reads the national database to see what was kept.
"""

import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.utils.crypto import get_random_string

from cchc.core.periods import Period
from cchc.exchange import export, package
from cchc.onestop.models import FieldMonthRollup
from cchc.parindex.models import Campaign, Result
from cchc.plans.models import Plan, Target
from cchc.units.models import Unit, UnitType
from cchc.units.services import official
from tests.exchange.conftest import rewritten

pytestmark = pytest.mark.django_db
WAIT_SECONDS = 90  # how long the server may take to start (a bound against hanging, not a measure)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cchc(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "cchc", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """The national instance, serving; its database path, its URL and the province 56's token and key."""
    root = tmp_path_factory.mktemp("national")
    key_file = root / "province-key.pem"
    public_key = package.public_key_text(export.keygen(key_file))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{root / 'national.sqlite3'}",
        "CCHC_SECRET_KEY": get_random_string(50),
        "CCHC_VAR_DIR": str(root / "var"),
        "CCHC_NATIONAL": "1",
    }
    _cchc(env, "migrate", "-v0")
    _cchc(env, "units", "load-official", "--province", "56")
    _cchc(env, "units", "load-official", "--province", "11")
    token = _cchc(env, "exchange", "register-province", "--code", "56", "--public-key", public_key).strip()
    port = _free_port()
    log = (root / "server.log").open("ab")
    server = subprocess.Popen(
        [sys.executable, "-m", "cchc", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            assert server.poll() is None, (root / "server.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the national instance did not start"
                time.sleep(0.2)
        yield {
            "db": root / "national.sqlite3",
            "url": f"http://127.0.0.1:{port}/api/v1/exchange/packages/",
            "token": token,
            "key_file": key_file,
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def _query(national, sql, *params):
    with sqlite3.connect(national["db"]) as db:
        return db.execute(sql, params).fetchall()


def _packages(national):
    return _query(
        national, "SELECT period, revision, status, reason FROM exchange_exchangepackage ORDER BY id"
    )


def _push(national, *args) -> str:
    out = io.StringIO()
    call_command("exchange", "push", national["url"], "--token", national["token"], *args, stdout=out)
    return out.getvalue()


def test_a_province_exchanges_signed_packages_with_the_national_instance(national, settings, tmp_path):
    settings.CCHC_PROVINCE_CODE = "56"
    settings.CCHC_EXCHANGE_KEY_FILE = str(national["key_file"])
    official.load_province("56")
    province = Unit.objects.by_code("56", on=Period.parse("2026-10").end).get(type=UnitType.PROVINCE)
    communes = list(Unit.objects.filter(parent=province, type=UnitType.COMMUNE).order_by("code")[:3])
    for number, commune in enumerate(communes, start=1):
        for field in ("Hộ tịch", "Đất đai"):
            FieldMonthRollup.objects.create(
                unit=commune, field=field, month="2026-10-01", received=10 * number, finished=number
            )

    plan = Plan.objects.create(
        issuing_unit=province, title="Kế hoạch CCHC 2026", year_from=2026, year_to=2026, status="issued"
    )
    Target.objects.create(plan=plan, code="CT1", text="Tỷ lệ đúng hạn", value=95)
    campaign = Campaign.objects.create(
        organiser=province, year=2025, title="Chỉ số CCHC 2025", phase="published"
    )
    Result.objects.create(
        campaign=campaign, unit=communes[0], unit_type="commune", score=90, max_points=100, index=90, rank=1
    )

    _push(national, "--period", "2026-10")
    assert _packages(national) == [("2026-10", 1, "accepted", "")]
    assert _query(national, "SELECT target_code, goal, state FROM exchange_targetrow") == [
        ("CT1", 95, "no_data")
    ]
    assert _query(
        national,
        "SELECT r.year, u.code, r.rank FROM exchange_parresultrow r JOIN units_unit u ON u.id = r.unit_id",
    ) == [(2025, communes[0].code, 1)]
    rows = _query(
        national,
        "SELECT r.sent_code, r.field, r.received, u.code FROM exchange_fieldmonthrow r "
        "JOIN units_unit u ON u.id = r.unit_id ORDER BY r.sent_code, r.field",
    )
    assert rows == sorted(
        (c.code, field, 10 * n, c.code) for n, c in enumerate(communes, 1) for field in ("Hộ tịch", "Đất đai")
    )
    assert _query(national, "SELECT COUNT(*) FROM exchange_metricrow")[0][0] > 0

    # The same data again: nothing changes, and the national answer is shown in Vietnamese.
    assert "Đã nhận, không thay đổi" in _push(national, "--period", "2026-10")
    assert _packages(national) == [("2026-10", 1, "accepted", "")]

    FieldMonthRollup.objects.filter(unit=communes[0], field="Hộ tịch").update(received=11)
    _push(national, "--period", "2026-10")
    assert _packages(national) == [("2026-10", 1, "accepted", ""), ("2026-10", 2, "accepted", "")]
    by_revision = _query(
        national,
        "SELECT p.revision, r.received FROM exchange_fieldmonthrow r JOIN exchange_exchangepackage p "
        "ON p.id = r.package_id WHERE r.sent_code = ? AND r.field = 'Hộ tịch' ORDER BY p.revision",
        communes[0].code,
    )
    assert by_revision == [(1, 10), (2, 11)]

    good = export.export("2026-10")
    tampered = rewritten(good, {"data/onestop_field_month.jsonl": b""})
    foreign = package.build(
        {"province": {"code": "56", "name": province.name}, "period": "2026-10"},
        {
            "onestop_field_month": [
                json.loads(
                    zipfile.ZipFile(io.BytesIO(good)).read("data/onestop_field_month.jsonl").splitlines()[0]
                )
                | {"unit_code": "11"}
            ]
        },
        export.load_key(),
    )
    wrong_key = export.export("2026-10", key=Ed25519PrivateKey.generate())
    for data in (tampered, foreign, wrong_key):
        path = tmp_path / "pkg.zip"
        path.write_bytes(data)
        with pytest.raises(CommandError, match="Bị từ chối \\(HTTP 422\\): "):
            _push(national, "--period", "2026-10", "--file", str(path))
    assert [row[2:] for row in _packages(national)[2:]] == [
        ("refused", "hash_mismatch"),
        ("refused", "out_of_scope"),
        ("refused", "bad_signature"),
    ]
    assert _query(national, "SELECT COUNT(*) FROM exchange_exchangepackage WHERE status = 'accepted'") == [
        (2,)
    ]

    request = urllib.request.Request(national["url"], data=good, method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 401
