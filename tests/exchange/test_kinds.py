"""Plan target values and PAR Index results travel in the package and land in their national rows;
every unit is sent with the code it carried in the month (or in the PAR Index year), not its latest."""

import datetime
import io
import json
import zipfile
from decimal import Decimal

import pytest

from cchc.exchange import export, importing, package
from cchc.exchange.models import FieldMonthRow, ParResultRow, TargetRow
from cchc.onestop.models import FieldMonthRollup
from cchc.parindex.models import Campaign, Phase, Result
from cchc.plans.models import Measurement, Plan, PlanStatus, Target
from cchc.units.services import units as unit_services

pytestmark = pytest.mark.django_db


def _rows(data: bytes, kind: str) -> list[dict]:
    body = zipfile.ZipFile(io.BytesIO(data)).read(package.member_name(kind))
    return [json.loads(line) for line in body.splitlines()]


@pytest.fixture
def plan(province):
    plan = Plan.objects.create(
        issuing_unit=province,
        number="95/KH-UBND",
        title="Kế hoạch CCHC năm 2026",
        year_from=2026,
        year_to=2026,
        status=PlanStatus.ISSUED,
    )
    target = Target.objects.create(
        plan=plan, code="CT1", text="Tỷ lệ hồ sơ giải quyết đúng hạn", comparator=">=", value=Decimal(95)
    )
    Target.objects.create(plan=plan, code="", text="Số cuộc kiểm tra", unit="count", value=Decimal(4))
    Measurement.objects.create(target=target, unit=province, period="2026-10", numerator=97, denominator=100)
    # Neither a draft plan nor a plan of another year travels.
    Plan.objects.create(issuing_unit=province, title="Dự thảo", year_from=2026, year_to=2026)
    Plan.objects.create(
        issuing_unit=province, title="Năm 2025", year_from=2025, year_to=2025, status=PlanStatus.ISSUED
    )
    return plan


@pytest.fixture
def par_results(province, east_ward, west_commune):
    published = Campaign.objects.create(
        organiser=province,
        year=2025,
        title="Chỉ số CCHC 2025",
        phase=Phase.PUBLISHED,
        published_on=datetime.date(2026, 3, 1),
    )
    for rank, (unit, index) in enumerate(((east_ward, "91.2345678"), (west_commune, "80.5")), start=1):
        Result.objects.create(
            campaign=published,
            unit=unit,
            unit_type=unit.type,
            score=Decimal(index),
            max_points=100,
            index=Decimal(index),
            rank=rank,
            band="Tốt" if rank == 1 else "Khá",
        )
    unpublished = Campaign.objects.create(
        organiser=province, year=2026, title="Chỉ số CCHC 2026", phase=Phase.APPRAISAL
    )
    Result.objects.create(
        campaign=unpublished, unit=east_ward, unit_type="commune", score=1, max_points=1, index=1, rank=1
    )


def test_plan_targets_and_par_results_are_exported_and_imported(registered, plan, par_results, east_ward):
    data = export.export("2026-10", province_code="99", key=registered["99"])
    targets = _rows(data, "plan_targets")
    assert [
        (t["plan_number"], t["position"], t["target_code"], t["goal"], t["value"], t["state"])
        for t in targets
    ] == [
        ("95/KH-UBND", 1, "CT1", "95", "97", "met"),
        ("95/KH-UBND", 2, "", "4", None, "no_data"),
    ]
    assert {t["unit_code"] for t in targets} == {"99"}
    par = _rows(data, "parindex_results")
    assert [(r["year"], r["unit_code"], r["index"], r["rank"], r["band"]) for r in par] == [
        (2025, "99001", "91.234568", 1, "Tốt"),
        (2025, "99002", "80.5", 2, "Khá"),
    ]

    outcome = importing.receive(data, registration=None, actor=None, via="command")
    assert (outcome.status, outcome.revision) == ("accepted", 1), outcome.message
    first = TargetRow.objects.get(position=1)
    assert (first.unit.code, first.target_text, first.comparator, first.goal, first.value, first.state) == (
        "99",
        "Tỷ lệ hồ sơ giải quyết đúng hạn",
        ">=",
        95,
        97,
        "met",
    )
    assert TargetRow.objects.get(position=2).value is None
    ward = ParResultRow.objects.get(unit=east_ward)
    assert (ward.year, ward.index, ward.rank, ward.band, ward.sent_code) == (
        2025,
        Decimal("91.234568"),
        1,
        "Tốt",
        "99001",
    )


def test_a_unit_is_sent_with_the_code_it_had_in_the_month(registered, east_ward):
    FieldMonthRollup.objects.create(unit=east_ward, field="Hộ tịch", month="2026-10-01", received=4)
    unit_services.change_code(
        actor=None, unit=east_ward, new_code="99101", effective=datetime.date(2026, 11, 1)
    )
    october = export.export("2026-10", province_code="99", key=registered["99"])
    assert [row["unit_code"] for row in _rows(october, "onestop_field_month")] == ["99001"]
    assert {row["unit_code"] for row in _rows(october, "metrics")} <= {"99", "99001", "99002"}
    outcome = importing.receive(october, registration=None, actor=None, via="command")
    assert outcome.status == "accepted", outcome.message  # the national side reads 99001 in October
    assert FieldMonthRow.objects.get().unit == east_ward
    FieldMonthRollup.objects.create(unit=east_ward, field="Hộ tịch", month="2026-11-01", received=5)
    november = export.export("2026-11", province_code="99", key=registered["99"])
    assert [row["unit_code"] for row in _rows(november, "onestop_field_month")] == ["99101"]


def test_a_par_result_keeps_the_code_of_its_year(registered, par_results, east_ward):
    unit_services.change_code(
        actor=None, unit=east_ward, new_code="99101", effective=datetime.date(2026, 1, 1)
    )
    data = export.export("2026-10", province_code="99", key=registered["99"])
    assert [row["unit_code"] for row in _rows(data, "parindex_results")] == ["99001", "99002"]
    assert importing.receive(data, registration=None, actor=None, via="command").status == "accepted"
    assert ParResultRow.objects.get(sent_code="99001").unit == east_ward
