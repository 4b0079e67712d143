"""The inspection cast: the province's 2026 plan listing Sở Tư pháp (carried out, one finding) and
Xã Tây (scheduled, not yet carried out). "Today" is 10/03/2026 unless a test travels elsewhere."""

import datetime

import pytest
import time_machine

from cchc.plans.services import inspections as services

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield TODAY


@pytest.fixture
def inspection_plan(cast):
    return services.create_inspection_plan(
        actor=cast["reform_admin"],
        issuing_unit=cast["province"],
        year=2026,
        number="15/KH-UBND",
        title="Kế hoạch kiểm tra CCHC năm 2026",
    )


@pytest.fixture
def justice_inspection(cast, inspection_plan):
    inspection = services.add_inspection(
        actor=cast["reform_admin"],
        plan=inspection_plan,
        inspected_unit=cast["justice"],
        planned_on=datetime.date(2026, 3, 2),
    )
    return services.record_inspection(
        actor=cast["reform_admin"],
        inspection=inspection,
        done_on=datetime.date(2026, 3, 3),
        team="Đoàn kiểm tra số 1",
        conclusion="Cơ bản thực hiện tốt.",
    )


@pytest.fixture
def commune_inspection(cast, inspection_plan):
    return services.add_inspection(
        actor=cast["reform_admin"],
        plan=inspection_plan,
        inspected_unit=cast["west_commune"],
        kind="unannounced",
    )


@pytest.fixture
def finding(cast, justice_inspection):
    return services.add_finding(
        actor=cast["reform_admin"],
        inspection=justice_inspection,
        description="Niêm yết thủ tục hành chính chưa đầy đủ",
        responsible_unit=cast["justice"],
        remedy_required="Niêm yết đủ 100% thủ tục tại bộ phận một cửa",
        deadline=datetime.date(2026, 4, 30),
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
