"""The benchmark's province and its procedure catalogue: the same in every run, apart from real data.

The bench province (code BENCH) has about 600 units: 20 provincial agencies with 8 divisions each
and 420 communes. Its catalogue has 2,000 procedures (codes BENCH-P0001…) over 50 fields. Both come
from a fixed seed; the dossiers (`cchc.bench.dossiers`) come from the run's seed.
"""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.db import connection, transaction

if TYPE_CHECKING:
    from cchc.units.models import Unit

CODE = "BENCH"
CATALOGUE_SEED = 766
AGENCIES = 20
DIVISIONS = 8  # per agency
COMMUNES = 420
PROCEDURES = 2_000
PROVINCIAL_PROCEDURES = 1_200  # the rest are commune-level
UNITS_VALID_FROM = datetime.date(2020, 1, 1)
FIRST_DAY = datetime.date(2023, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)  # the window is fixed so that a seed always gives the same file
FIELDS = (
    "Hộ tịch",
    "Chứng thực",
    "Đất đai",
    "Xây dựng",
    "Đầu tư",
    "Doanh nghiệp",
    "Hợp tác xã",
    "Hộ kinh doanh",
    "Giáo dục và Đào tạo",
    "Y tế",
    "Dược phẩm",
    "Khám bệnh, chữa bệnh",
    "Lao động",
    "Việc làm",
    "Bảo trợ xã hội",
    "Người có công",
    "Trẻ em",
    "Giao thông đường bộ",
    "Đường thủy nội địa",
    "Tài nguyên nước",
    "Môi trường",
    "Khoáng sản",
    "Đo đạc bản đồ",
    "Công thương",
    "An toàn thực phẩm",
    "Điện lực",
    "Trồng trọt",
    "Chăn nuôi",
    "Thú y",
    "Thủy sản",
    "Lâm nghiệp",
    "Thủy lợi",
    "Tư pháp",
    "Luật sư",
    "Công chứng",
    "Nuôi con nuôi",
    "Nội vụ",
    "Tôn giáo",
    "Thi đua khen thưởng",
    "Tài chính",
    "Quản lý công sản",
    "Văn hóa",
    "Thể dục thể thao",
    "Du lịch",
    "Gia đình",
    "Khoa học và Công nghệ",
    "Thông tin và Truyền thông",
    "Báo chí",
    "Xuất bản",
    "Phòng cháy chữa cháy",
)


@dataclass
class Province:
    province: "Unit"
    units: list["Unit"]
    commune_codes: list[str]
    agency_codes: list[str]  # agencies and their divisions: where provincial procedures are received


@dataclass
class Catalogue:
    codes: list[str]
    time_limit: np.ndarray  # float
    time_unit: np.ndarray  # object: working_day, day, hour
    online: np.ndarray  # object: none, partial, full
    provincial: np.ndarray  # bool


def ensure_province() -> Province:
    """The bench province with its agencies, divisions and communes, created on the first run."""
    from cchc.units.models import Unit, UnitType
    from cchc.units.services.units import create_unit

    province = Unit.objects.filter(type=UnitType.PROVINCE, code=CODE).first()
    with transaction.atomic():
        if province is None:
            province = create_unit(
                actor=None,
                name="Tỉnh Đo Hiệu Năng",
                type=UnitType.PROVINCE,
                code=CODE,
                kind="Tỉnh",
                valid_from=UNITS_VALID_FROM,
            )
        existing = set(Unit.objects.filter(path__startswith=province.path).values_list("code", flat=True))

        def unit(parent, name, type_, code, kind):
            if code in existing:
                return Unit.objects.get(code=code, path__startswith=province.path)
            return create_unit(
                actor=None,
                name=name,
                type=type_,
                code=code,
                parent=parent,
                kind=kind,
                valid_from=UNITS_VALID_FROM,
            )

        agency_codes = []
        for a in range(1, AGENCIES + 1):
            agency = unit(province, f"Sở thử nghiệm {a:02d}", UnitType.AGENCY, f"{CODE}.S{a:02d}", "Sở")
            agency_codes.append(agency.code)
            for d in range(1, DIVISIONS + 1):
                code = f"{CODE}.S{a:02d}.P{d}"
                unit(agency, f"Phòng {d} – Sở thử nghiệm {a:02d}", UnitType.SUBUNIT, code, "Phòng")
                agency_codes.append(code)
        commune_codes = []
        for c in range(1, COMMUNES + 1):
            kind = "Phường" if c % 4 == 0 else "Xã"
            code = f"{CODE}.X{c:03d}"
            unit(province, f"{kind} thử nghiệm {c:03d}", UnitType.COMMUNE, code, kind)
            commune_codes.append(code)
    units = list(Unit.objects.filter(path__startswith=province.path).order_by("path"))
    return Province(province, units, commune_codes, agency_codes)


def catalogue() -> Catalogue:
    rng = np.random.default_rng(CATALOGUE_SEED)
    units = rng.choice(
        np.array(["working_day", "day", "hour"], dtype=object), PROCEDURES, p=[0.82, 0.1, 0.08]
    )
    limits = np.empty(PROCEDURES)
    working = units == "working_day"
    limits[working] = rng.choice(
        [1, 2, 3, 5, 7, 10, 12, 15, 20, 30, 45],
        working.sum(),
        p=[0.06, 0.06, 0.16, 0.2, 0.12, 0.14, 0.04, 0.1, 0.06, 0.04, 0.02],
    )
    days = units == "day"
    limits[days] = rng.choice([3, 5, 7, 15, 30], days.sum())
    hours = units == "hour"
    limits[hours] = rng.choice([4, 8, 24], hours.sum())
    online = rng.choice(np.array(["none", "partial", "full"], dtype=object), PROCEDURES, p=[0.3, 0.4, 0.3])
    provincial = np.arange(PROCEDURES) < PROVINCIAL_PROCEDURES
    codes = [f"{CODE}-P{i + 1:04d}" for i in range(PROCEDURES)]
    return Catalogue(codes, limits, units, online, provincial)


def ensure_procedures(cat: Catalogue) -> None:
    """Import the catalogue unless all of it is there already (the import is per row, with audit)."""
    from cchc.onestop.models import Procedure
    from cchc.onestop.services import import_procedures

    if Procedure.objects.filter(code__startswith=f"{CODE}-P").count() == PROCEDURES:
        return
    rng = np.random.default_rng(CATALOGUE_SEED + 1)
    fields = rng.integers(0, len(FIELDS), PROCEDURES)
    fee = rng.random(PROCEDURES) < 0.4
    written = rng.random(PROCEDURES) < 0.9
    records = [
        {
            "code": code,
            "name": f"Thủ tục thử nghiệm số {i + 1}",
            "field": FIELDS[fields[i]],
            "level": "cấp tỉnh" if cat.provincial[i] else "cấp xã",
            "time_limit": f"{cat.time_limit[i]:g}",
            "time_unit": cat.time_unit[i],
            "online": cat.online[i],
            "has_fee": "1" if fee[i] else "0",
            "written_result": "1" if written[i] else "0",
        }
        for i, code in enumerate(cat.codes)
    ]
    result = import_procedures(records, actor=None)
    if not result.applied:
        raise RuntimeError(f"The bench procedures could not be imported: {result.errors[:3]}")


def clear_dossiers(province: Province) -> None:
    """Remove the bench's dossiers and rollups (the caller checked that no other unit has dossiers)."""
    from cchc.onestop.models import Dossier, FieldMonthRollup, UnitMonthRollup

    ours = {"unit__path__startswith": province.province.path}
    rollups: list[type[FieldMonthRollup] | type[UnitMonthRollup]] = [FieldMonthRollup, UnitMonthRollup]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:  # fast, but not in a test
        # The rollups go with the dossiers when all of them are the bench's (an archived month's counts
        # outlive its dossiers): deleted row by row, they left the field rollup a million dead rows
        # that the next run's import wrote beside and read through, as no real first load does.
        emptied = [model for model in rollups if not model.objects.exclude(**ours).exists()]
        names = [Dossier._meta.db_table, *(model._meta.db_table for model in emptied)]
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(names)}")
    else:
        Dossier.objects.filter(**ours)._raw_delete(Dossier.objects.db)
    for model in rollups:
        model.objects.filter(**ours).delete()  # a rollup that also holds other units' rows


def unit_codes() -> tuple[list[str], list[str]]:
    agencies = []
    for a in range(1, AGENCIES + 1):
        agencies.append(f"{CODE}.S{a:02d}")
        agencies += [f"{CODE}.S{a:02d}.P{d}" for d in range(1, DIVISIONS + 1)]
    communes = [f"{CODE}.X{c:03d}" for c in range(1, COMMUNES + 1)]
    return agencies, communes
