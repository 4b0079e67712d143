"""A province plan for 2026 with two areas, three targets and three tasks, issued and ready to cascade."""

import datetime

import pytest
import time_machine

from cchc.plans.models import ReformArea
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services
from cchc.workdays import calendar


@pytest.fixture
def province_plan(cast):
    plan = plan_services.create_plan(
        actor=cast["reform_admin"],
        issuing_unit=cast["province"],
        title="Kế hoạch CCHC năm 2026",
        year_from=2026,
    )
    tthc = plan_services.add_area(
        actor=cast["reform_admin"],
        plan=plan,
        title="",
        reform_area=ReformArea.objects.get(code="tthc"),
        order=1,
    )
    direction = plan_services.add_area(
        actor=cast["reform_admin"],
        plan=plan,
        title="",
        reform_area=ReformArea.objects.get(code="chi-dao"),
        order=0,
    )
    plan_services.add_target(
        actor=cast["reform_admin"],
        plan=plan,
        area=tthc,
        code="CT1",
        text="Tối thiểu 98,5% hồ sơ đúng hạn",
        measure="hồ sơ giải quyết đúng hạn",
        comparator=">=",
        value="98.5",
        unit="%",
    )
    plan_services.add_target(
        actor=cast["reform_admin"],
        plan=plan,
        area=direction,
        code="CT2",
        text="100% cơ quan, đơn vị ban hành kế hoạch CCHC",
        comparator="=",
        value=100,
        unit="%",
        data_source="plans.unit_plans_issued",
    )
    plan_services.add_target(
        actor=cast["reform_admin"],
        plan=plan,
        area=direction,
        code="CT3",
        text="Ít nhất 2 cuộc kiểm tra mỗi xã",
        comparator=">=",
        value=2,
        unit="count",
        scope_types=["commune"],
    )
    admin = cast["reform_admin"]
    task_services.add_task(
        actor=admin,
        plan=plan,
        area=tthc,
        text="Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực tư pháp",
        lead_unit=cast["justice"],
        deadline=datetime.date(2026, 6, 30),
        expected_product="Báo cáo rà soát",
    )
    task_services.add_task(
        actor=admin,
        plan=plan,
        area=direction,
        text="Tuyên truyền cải cách hành chính",
        lead_unit=cast["home_affairs"],
        coordinating_units=[cast["justice"], cast["west_commune"]],
        deadline_kind="recurring",
    )
    task_services.add_task(
        actor=admin,
        plan=plan,
        area=tthc,
        text="Số hóa kết quả giải quyết TTHC tại xã",
        lead_unit=cast["west_commune"],
        deadline_kind="quarter",
        deadline=datetime.date(2026, 9, 30),
    )
    return plan_services.issue_plan(
        actor=admin, plan=plan, number="12/KH-UBND", issued_on=datetime.date(2026, 1, 5)
    )


@pytest.fixture
def mid_may_2026():
    """The clock stands at 15/05/2026 10:00 in Vietnam; the calendar's cache is dropped either side, since
    the years it holds depend on today."""
    calendar.invalidate_cache()
    moment = datetime.datetime(2026, 5, 15, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    with time_machine.travel(moment, tick=False):
        yield
    calendar.invalidate_cache()
