"""The exchange's cast: province 99 (the conftest's) sending, province 98 beside it, and old province
97 that merged into 99 on 1/7/2025 (its commune 97001 continues as Phường Đông), each registered on
this database as the national instance would have them, with their own keys."""

import datetime
import io
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cchc.exchange import package
from cchc.exchange.api import token_hash
from cchc.exchange.models import ProvinceRegistration
from cchc.onestop.models import ROLLUP_COUNTS
from cchc.units.models import LineageRelation, UnitType
from cchc.units.services import units as unit_services

MERGED = datetime.date(2025, 7, 1)
LAST_OLD_DAY = datetime.date(2025, 6, 30)


@pytest.fixture
def neighbour(db):
    province = unit_services.create_unit(
        actor=None, name="Tỉnh Bên Cạnh", type=UnitType.PROVINCE, code="98", valid_from=MERGED
    )
    unit_services.create_unit(
        actor=None, name="Xã Bên", type=UnitType.COMMUNE, code="98001", parent=province, valid_from=MERGED
    )
    return province


@pytest.fixture
def old_commune(province, east_ward):
    old = unit_services.create_unit(
        actor=None, name="Tỉnh Cũ", type=UnitType.PROVINCE, code="97", valid_to=LAST_OLD_DAY
    )
    commune = unit_services.create_unit(
        actor=None, name="Xã Cũ", type=UnitType.COMMUNE, code="97001", parent=old, valid_to=LAST_OLD_DAY
    )
    for before, after in ((old, province), (commune, east_ward)):
        unit_services.add_lineage(
            actor=None,
            predecessor=before,
            successor=after,
            relation=LineageRelation.MERGE,
            effective_date=MERGED,
        )
    return commune


@pytest.fixture
def keys():
    return {"99": Ed25519PrivateKey.generate(), "98": Ed25519PrivateKey.generate()}


@pytest.fixture
def registered(province, neighbour, old_commune, west_commune, keys):
    for unit in (province, neighbour):
        ProvinceRegistration.objects.create(
            unit=unit,
            code=unit.code,
            public_key=package.public_key_text(keys[unit.code]),
            token_hash=token_hash(f"token-{unit.code}"),
        )
    return keys


def field_row(unit_code: str, field: str = "Hộ tịch", received: int = 10) -> dict:
    return {"unit_code": unit_code, "field": field, **dict.fromkeys(ROLLUP_COUNTS, 0), "received": received}


def make(key, rows=None, *, period="2026-10", province="99", metrics=None, **head) -> bytes:
    """A package as a province would build it, signed with `key`."""
    manifest_head = {"province": {"code": province, "name": "Tỉnh"}, "period": period, **head}
    files = {"onestop_field_month": rows if rows is not None else [field_row("99001")]}
    if metrics is not None:
        files["metrics"] = metrics
    return package.build(manifest_head, files, key)


def rewritten(data: bytes, members: dict[str, bytes | None]) -> bytes:
    """The package with members replaced (bytes) or dropped (None), everything else as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            body = members.get(name, source.read(name))
            if body is not None:
                target.writestr(name, body)
    return out.getvalue()
