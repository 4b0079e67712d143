"""The official units of one province before and after 1/7/2025, from the `vietnamadminunits` data set.

`read_province` turns the data set into a plan (units and lineage links, keyed by the data set's own
keys) without touching the database; `load_province` writes the plan through the unit services.
Keeping the two apart lets tests check the data against the law without loading anything.

The data set's converter tables say which old communes went whole into a new one and which were
divided; for a divided commune they give each new commune's total area, not the area of the part it
received, so split weights are proportional to those totals: an estimate, and the notes say so.
"""

import datetime
import importlib.util
import json
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.core.models import LegalDocument
from cchc.units.models import LineageRelation, Unit, UnitLineage, UnitType
from cchc.units.services import units as services

EFFECTIVE = datetime.date(2025, 7, 1)
LAST_OLD_DAY = EFFECTIVE - datetime.timedelta(days=1)
WEIGHT_STEP = Decimal("0.000001")  # UnitLineage.weight keeps six decimals

PROVINCE_RESOLUTION = {
    "number": "202/2025/QH15",
    "issued_on": datetime.date(2025, 6, 12),
    "issuer": "Quốc hội",
    "title": "Nghị quyết về việc sắp xếp đơn vị hành chính cấp tỉnh",
}
CODE_DECISION = {
    "number": "19/2025/QĐ-TTg",
    "issued_on": datetime.date(2025, 6, 30),
    "issuer": "Thủ tướng Chính phủ",
    "title": "Quyết định ban hành Bảng danh mục và mã số các đơn vị hành chính Việt Nam",
}


class UnknownProvince(LookupError):
    """The code is not one of the 34 current provinces; `choices` lists the valid ones."""

    def __init__(self, code: str, choices: list[tuple[str, str]]):
        self.code = code
        self.choices = choices
        listing = ", ".join(f"{number} {name}" for number, name in choices)
        # Worded here, in the operator's language, since the command shows it as it is.
        super().__init__(
            _("No current province has the code “%(code)s”. Valid codes: %(listing)s")
            % {"code": code, "listing": listing}
        )


@dataclass(frozen=True)
class PlannedUnit:
    key: str
    name: str
    type: str
    kind: str
    code: str
    parent_key: str | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None


@dataclass(frozen=True)
class PlannedLink:
    predecessor_key: str
    successor_key: str
    relation: str
    weight: Decimal
    level: str  # "province" or "commune": decides the legal basis
    note: str = ""


@dataclass
class ProvincePlan:
    code: str
    name: str
    old_provinces: list[str]
    units: list[PlannedUnit]  # parents always before their children
    links: list[PlannedLink]


@dataclass
class LoadResult:
    province_code: str
    province_name: str
    units_created: Counter = field(default_factory=Counter)
    units_existing: int = 0
    links_created: int = 0
    links_updated: int = 0
    links_unchanged: int = 0
    legal_documents_created: int = 0
    seconds: float = 0.0

    @property
    def nothing_to_do(self) -> bool:
        return not (sum(self.units_created.values()) or self.links_created or self.links_updated)

    def as_dict(self) -> dict[str, Any]:
        return {
            "province_code": self.province_code,
            "province_name": self.province_name,
            "units_created": dict(sorted(self.units_created.items())),
            "units_created_total": sum(self.units_created.values()),
            "units_existing": self.units_existing,
            "links_created": self.links_created,
            "links_updated": self.links_updated,
            "links_unchanged": self.links_unchanged,
            "legal_documents_created": self.legal_documents_created,
            "nothing_to_do": self.nothing_to_do,
            "seconds": round(self.seconds, 2),
        }


# Reading the data set ------------------------------------------------------------------------


def data_dir() -> Path:
    # find_spec locates the package without importing it: its __init__ loads parsers we do not need.
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The vietnamadminunits package is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _query(sql: str, params: tuple = ()) -> list[dict[str, Any]]:
    uri = f"{(data_dir() / 'dataset.db').as_uri()}?mode=ro"
    with sqlite3.connect(uri, uri=True) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute(sql, params)]


def _converter() -> dict[str, Any]:
    with open(data_dir() / "converter_2025.json", encoding="utf-8") as handle:
        return json.load(handle)


def province_choices() -> list[tuple[str, str]]:
    """(code, name) of the 34 provinces in force since 1/7/2025."""
    rows = _query("SELECT DISTINCT provinceCode, province FROM admin_units ORDER BY provinceCode")
    return [(row["provinceCode"], row["province"]) for row in rows]


def _province_kind(name: str) -> str:
    return "Thành phố" if name.startswith("Thành phố") else "Tỉnh"


def split_weights(areas: list[float | None]) -> tuple[list[Decimal], bool]:
    """Shares proportional to `areas`, rounded to six decimals and adding up to exactly 1.

    Falls back to equal shares when an area is missing or not positive; the flag says which was used.
    """
    count = len(areas)
    by_area = all(area is not None and area > 0 for area in areas)
    if by_area:
        total = sum(Decimal(str(area)) for area in areas)
        shares = [(Decimal(str(area)) / total).quantize(WEIGHT_STEP, ROUND_HALF_UP) for area in areas]
    else:
        shares = [(Decimal(1) / count).quantize(WEIGHT_STEP, ROUND_HALF_UP)] * count
    # Rounding leaves a few millionths over or under: the largest share absorbs them.
    largest = max(range(count), key=lambda index: shares[index])
    shares[largest] += Decimal(1) - sum(shares)
    if any(share <= 0 for share in shares):
        return split_weights([None] * count)
    return shares, by_area


def read_province(code: str) -> ProvincePlan:
    """The plan for one current province: its old and new units and how they descend."""
    code = code.strip().zfill(2) if code.strip().isdigit() else code.strip()
    new_rows = _query("SELECT * FROM admin_units WHERE provinceCode = ? ORDER BY wardCode", (code,))
    if not new_rows:
        raise UnknownProvince(code, province_choices())
    converter = _converter()
    new_key = new_rows[0]["provinceKey"]
    old_keys = converter["DICT_PROVINCE"][new_key]
    placeholders = ",".join("?" * len(old_keys))
    old_rows = _query(
        f"SELECT * FROM admin_units_legacy WHERE provinceKey IN ({placeholders})"
        " ORDER BY provinceCode, districtCode, wardCode",
        tuple(old_keys),
    )

    province_name = new_rows[0]["province"]
    new_province = f"new:{new_key}"
    units = [
        PlannedUnit(
            key=new_province,
            name=province_name,
            type=UnitType.PROVINCE,
            kind=_province_kind(province_name),
            code=code,
            parent_key=None,
            valid_from=EFFECTIVE,
            valid_to=None,
        )
    ]
    for row in new_rows:
        units.append(
            PlannedUnit(
                key=f"new:{new_key}:{row['wardKey']}",
                name=row["ward"],
                type=UnitType.COMMUNE,
                kind=row["wardType"],
                code=row["wardCode"],
                parent_key=new_province,
                valid_from=EFFECTIVE,
                valid_to=None,
            )
        )

    old_province_names: dict[str, str] = {}
    districts: set[str] = set()
    for row in old_rows:
        province = f"old:{row['provinceKey']}"
        district = f"old:{row['provinceKey']}_{row['districtKey']}"
        if row["provinceKey"] not in old_province_names:
            old_province_names[row["provinceKey"]] = row["province"]
            units.append(
                PlannedUnit(
                    key=province,
                    name=row["province"],
                    type=UnitType.PROVINCE,
                    kind=_province_kind(row["province"]),
                    code=row["provinceCode"],
                    parent_key=None,
                    valid_from=None,
                    valid_to=LAST_OLD_DAY,
                )
            )
        if district not in districts:
            districts.add(district)
            units.append(
                PlannedUnit(
                    key=district,
                    name=row["district"],
                    type=UnitType.DISTRICT,
                    kind=row["districtType"],
                    code=row["districtCode"],
                    parent_key=province,
                    valid_from=None,
                    valid_to=LAST_OLD_DAY,
                )
            )
        if row["wardKey"]:  # island districts without communes have one row with no commune
            units.append(
                PlannedUnit(
                    key=f"{district}_{row['wardKey']}",
                    name=row["ward"],
                    type=UnitType.COMMUNE,
                    kind=row["wardType"],
                    code=row["wardCode"],
                    parent_key=district,
                    valid_from=None,
                    valid_to=LAST_OLD_DAY,
                )
            )

    relation = LineageRelation.RENAME if len(old_keys) == 1 else LineageRelation.MERGE
    links = [PlannedLink(f"old:{key}", new_province, relation, Decimal(1), "province") for key in old_keys]

    # The converter keys old communes "province_district_commune"; an island district that had no
    # communes appears as "province_district_" and itself becomes a special zone.
    for ward_key, olds in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_key, {}).items():
        for old in olds:
            links.append(
                PlannedLink(
                    f"old:{old.rstrip('_')}",
                    f"new:{new_key}:{ward_key}",
                    LineageRelation.MERGE,
                    Decimal(1),
                    "commune",
                    "Huyện không có xã, nay là đặc khu này." if old.endswith("_") else "",
                )
            )
    for old, parts in converter["DICT_PROVINCE_WARD_DIVIDED"].get(new_key, {}).items():
        areas = [part.get("newWardAreaKm2") for part in parts]
        weights, by_area = split_weights(areas)
        for part, weight, area in zip(parts, weights, areas, strict=True):
            if by_area:
                total = sum(Decimal(str(each)) for each in areas)
                note = (
                    f"Tỷ lệ ước tính theo diện tích của xã mới ({_decimal(area)} trên {_decimal(total)} km²);"
                    " bộ dữ liệu không cho biết diện tích của từng phần."
                )
            else:
                note = "Chia đều: bộ dữ liệu không có diện tích dùng được của các xã mới."
            links.append(
                PlannedLink(
                    f"old:{old}",
                    f"new:{new_key}:{part['newWardKey']}",
                    LineageRelation.SPLIT,
                    weight,
                    "commune",
                    note,
                )
            )

    keys = {unit.key for unit in units}
    dangling = [link for link in links if link.predecessor_key not in keys or link.successor_key not in keys]
    if dangling:
        raise RuntimeError(f"The data set links units it does not list, e.g. {dangling[0]}")
    return ProvincePlan(code, province_name, [old_province_names[key] for key in old_keys], units, links)


def _decimal(value: object) -> str:
    """A number as the notes print it, with the Vietnamese decimal comma (12,5)."""
    return str(value).replace(".", ",")


# Writing it -----------------------------------------------------------------------------------


def _legal_documents(plan: ProvincePlan) -> tuple[dict[str, LegalDocument], int]:
    created = 0
    documents: dict[str, LegalDocument] = {}
    for name, spec in (("province", PROVINCE_RESOLUTION), ("code", CODE_DECISION)):
        documents[name], was_created = LegalDocument.objects.get_or_create(
            number=spec["number"],
            issued_on=spec["issued_on"],
            defaults={"issuer": spec["issuer"], "title": spec["title"]},
        )
        created += was_created
    documents["commune"], was_created = LegalDocument.objects.get_or_create(
        number=f"…/NQ-UBTVQH15 ({plan.name})",
        issued_on=None,
        defaults={
            "issuer": "Ủy ban Thường vụ Quốc hội",
            "title": f"Nghị quyết về việc sắp xếp các đơn vị hành chính cấp xã của {plan.name} năm 2025",
            "verified": False,
            "note": "Chưa rõ số và ngày ban hành khi nạp: việc sắp xếp các xã lấy từ bộ dữ liệu "
            "vietnamadminunits, không lấy từ văn bản nghị quyết. Hãy bổ sung theo nghị quyết.",
        },
    )
    created += was_created
    return documents, created


def _existing_units(plan: ProvincePlan) -> dict[tuple, list[Unit]]:
    found: dict[tuple, list[Unit]] = {}
    for unit in Unit.objects.filter(code__in={planned.code for planned in plan.units}):
        found.setdefault((unit.type, unit.code, unit.valid_from, unit.valid_to), []).append(unit)
    return found


@transaction.atomic
def load_province(code: str, *, actor: Any = None) -> LoadResult:
    """Create what is missing of the province's plan; a second run finds everything and changes nothing."""
    started = time.perf_counter()
    plan = read_province(code)
    result = LoadResult(plan.code, plan.name)
    documents, result.legal_documents_created = _legal_documents(plan)
    existing = _existing_units(plan)
    units: dict[str, Unit] = {}
    for planned in plan.units:
        parent = units[planned.parent_key] if planned.parent_key else None
        candidates = existing.get((planned.type, planned.code, planned.valid_from, planned.valid_to), [])
        match = next((unit for unit in candidates if unit.parent_id == (parent.pk if parent else None)), None)
        if match is not None:
            units[planned.key] = match
            result.units_existing += 1
            continue
        units[planned.key] = services.create_unit(
            actor=actor,
            name=planned.name,
            type=planned.type,
            kind=planned.kind,
            code=planned.code,
            parent=parent,
            valid_from=planned.valid_from,
            valid_to=planned.valid_to,
            legal_basis=documents["code"] if planned.valid_from == EFFECTIVE else None,
        )
        result.units_created[planned.type] += 1

    predecessor_ids = {units[link.predecessor_key].pk for link in plan.links}
    links = {
        (link.predecessor_id, link.successor_id): link
        for link in UnitLineage.objects.filter(predecessor_id__in=predecessor_ids, effective_date=EFFECTIVE)
    }
    for planned_link in plan.links:
        predecessor, successor = units[planned_link.predecessor_key], units[planned_link.successor_key]
        legal_basis = documents[planned_link.level]
        current = links.get((predecessor.pk, successor.pk))
        if current is not None and (
            current.relation,
            current.weight,
            current.legal_basis_id,
            current.note,
        ) == (planned_link.relation, planned_link.weight, legal_basis.pk, planned_link.note):
            result.links_unchanged += 1
            continue
        services.add_lineage(
            actor=actor,
            predecessor=predecessor,
            successor=successor,
            relation=planned_link.relation,
            effective_date=EFFECTIVE,
            weight=planned_link.weight,
            legal_basis=legal_basis,
            note=planned_link.note,
        )
        if current is None:
            result.links_created += 1
        else:
            result.links_updated += 1
    result.seconds = time.perf_counter() - started
    return result
