"""The province side: its signing key, and the package of one month built from the domain apps' queries."""

import datetime
import os
from decimal import ROUND_HALF_UP, Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from cchc.core import metrics
from cchc.core.periods import Period
from cchc.exchange import package
from cchc.onestop.models import ROLLUP_COUNTS, FieldMonthRollup
from cchc.parindex.queries.results import published_results
from cchc.plans.queries.targets import issued_readings
from cchc.units.models import Unit, UnitCode, UnitType

SIX_PLACES = Decimal("0.000001")


class ExportError(ValueError):
    """The package cannot be built (no key, no province); the message says what to do."""


def key_path() -> Path:
    configured = getattr(settings, "CCHC_EXCHANGE_KEY_FILE", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "exchange_key.pem"


def keygen(path: Path | None = None, *, overwrite: bool = False) -> Ed25519PrivateKey:
    """A new private key written with mode 0600; an existing key is kept unless `overwrite`."""
    path = path or key_path()
    if path.exists() and not overwrite:
        raise ExportError(
            f"{path} already exists; pass --force to replace it "
            "(the national instance must then get the new public key)."
        )
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT
    return key


def load_key(path: Path | None = None) -> Ed25519PrivateKey:
    path = path or key_path()
    if not path.is_file():
        raise ExportError(f"Chưa có khóa ký tại {path}: chạy `cchc exchange keygen` trước.")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ExportError(f"{path} không chứa khóa bí mật Ed25519.")
    return key


def software_version() -> str:
    try:
        return metadata.version("cchc")
    except metadata.PackageNotFoundError:  # run from a source tree without installing
        return "0"


def province_unit(code: str, period: Period) -> Unit:
    """The province that carried `code` during the period (codes were reused in 2025)."""
    found = (
        Unit.objects.by_code(code, on=period.end).filter(type=UnitType.PROVINCE, parent__isnull=True).first()
    )
    if found is None:
        raise ExportError(
            f"Không có tỉnh nào mang mã {code} trong kỳ {period.key}: đặt lại CCHC_PROVINCE_CODE."
        )
    return found


def _number(value: Decimal | None) -> str | None:
    """A decimal as fixed-point text, six places at most (what the national columns keep), without
    trailing zeros: the same value always gives the same text."""
    if value is None:
        return None
    rounded = Decimal(value).quantize(SIX_PLACES, rounding=ROUND_HALF_UP).normalize()
    return format(rounded, "f")


def codes_on(units: list[Unit], day: datetime.date) -> dict[int, str]:
    """Each unit's official code on `day`, or on its last day when it ended before (units.UnitCode
    keeps every code a unit carried: `Unit.code` is only the latest, and a package speaks of the
    code the unit had in its month, as the national instance reads it)."""
    wanted = {unit.pk: min(day, unit.valid_to) if unit.valid_to else day for unit in units}
    found = {unit.pk: unit.code for unit in units}
    history = UnitCode.objects.filter(unit_id__in=wanted).order_by("valid_from")
    for entry in history.only("unit_id", "code", "valid_from", "valid_to"):
        on = wanted[entry.unit_id]
        if (entry.valid_from is None or entry.valid_from <= on) and (
            entry.valid_to is None or on <= entry.valid_to
        ):
            found[entry.unit_id] = entry.code
    return found


def field_rows(province: Unit, period: Period) -> list[dict[str, Any]]:
    rows = list(
        FieldMonthRollup.objects.filter(unit__path__startswith=province.path, month=period.start)
        .select_related("unit")
        .order_by("unit__path", "field")
    )
    codes = codes_on(list({row.unit.pk: row.unit for row in rows}.values()), period.end)
    return [
        {
            "unit_code": codes[row.unit.pk],
            "field": row.field,
            **{name: getattr(row, name) for name in ROLLUP_COUNTS},
        }
        for row in rows
    ]


def metric_rows(province: Unit, period: Period) -> list[dict[str, Any]]:
    """Every published metric (one-stop rates, SIPAS index, feedback handling) of every unit of the
    province active in the month, where the unit has data."""
    units = list(Unit.objects.filter(path__startswith=province.path).active_on(period.end).exclude(code=""))
    codes = codes_on(units, period.end)
    rows = []
    for metric in metrics.available():
        for unit_id, ratio in metrics.compute_many(metric.key, units, period).items():
            if ratio is None:
                continue
            rows.append(
                {
                    "metric": metric.key,
                    "unit_code": codes[unit_id],
                    "numerator": _number(ratio.numerator),
                    "denominator": _number(ratio.denominator),
                }
            )
    return rows


def target_rows(province: Unit, period: Period) -> list[dict[str, Any]]:
    """The targets of the province's issued plans covering the month, read for the province and the
    month as the plan pages read them (`plans.queries.targets.issued_readings`)."""
    code = codes_on([province], period.end)[province.pk]
    positions: dict[int, int] = {}
    rows = []
    for reading in issued_readings(province, period):
        target, plan = reading.target, reading.target.plan
        positions[plan.pk] = positions.get(plan.pk, 0) + 1
        rows.append(
            {
                "unit_code": code,
                "plan_number": plan.number,
                "plan_title": plan.title,
                "position": positions[plan.pk],
                "target_code": target.code,
                "target_text": target.text,
                "measure_unit": target.unit,
                "comparator": target.comparator,
                "goal": _number(reading.goal),
                "value": _number(reading.value),
                "state": reading.state,
            }
        )
    return rows


def par_rows(province: Unit, period: Period) -> list[dict[str, Any]]:
    """The results of the PAR Index campaigns the province published by the month's end; each unit
    with the code it carried at the end of the campaign's year (the year the index measures)."""
    results = published_results(province, period.end)
    rows = []
    for year in sorted({result.campaign.year for result in results}):
        of_year = [result for result in results if result.campaign.year == year]
        codes = codes_on([result.unit for result in of_year], datetime.date(year, 12, 31))
        rows.extend(
            {
                "year": year,
                "unit_code": codes[result.unit.pk],
                "unit_type": result.unit_type,
                "index": _number(result.index),
                "rank": result.rank,
                "band": result.band,
            }
            for result in of_year
        )
    return rows


def export(
    period_text: str, *, province_code: str | None = None, key: Ed25519PrivateKey | None = None
) -> bytes:
    """The signed package of one month of the province (CCHC_PROVINCE_CODE unless given)."""
    period = Period.parse(period_text)
    if not package.PERIOD.match(period.key):
        raise ExportError("Kỳ của gói dữ liệu là một tháng, viết dạng YYYY-MM (ví dụ 2026-10).")
    code = province_code or getattr(settings, "CCHC_PROVINCE_CODE", "")
    if not code:
        raise ExportError("Đặt CCHC_PROVINCE_CODE là mã tỉnh (ví dụ 56) hoặc dùng --province.")
    province = province_unit(code, period)
    head = {
        "province": {"code": code, "name": province.name},
        "period": period.key,
        "created_at": package.now_text(),
        "software_version": software_version(),
    }
    files = {
        "onestop_field_month": field_rows(province, period),
        "metrics": metric_rows(province, period),
        "plan_targets": target_rows(province, period),
        "parindex_results": par_rows(province, period),
    }
    return package.build(head, files, key or load_key())
