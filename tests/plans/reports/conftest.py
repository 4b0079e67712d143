"""A province plan for 2026 with its reporting rounds, and the leaders who approve units' reports.

Tasks of the plan (area, lead unit, deadline):
- T1 Cải cách thể chế, Sở Tư pháp, 10/03/2026 (overdue at the Q1 cut-off 14/03 unless done)
- T2 Cải cách thủ tục hành chính, Sở Tư pháp, 30/06/2026
- T3 Cải cách thủ tục hành chính, Sở Tư pháp, ongoing
- T4 Cải cách thủ tục hành chính, Xã Tây, 31/03/2026 (within Q1)
- T5 Cải cách thể chế, Sở Nội vụ, ongoing
"""

import datetime

import pytest
import time_machine

from cchc.accounts import services as account_services
from cchc.accounts.models import Role
from cchc.plans.services import plans as plan_services
from cchc.plans.services import reports
from cchc.plans.services import tasks as task_services
from tests.plans.reports.helpers import LONG_NARRATIVE, at, send_in


def _leader(username, unit):
    user = account_services.create_user(
        actor=None, username=username, password="mat-khau-thu-1", full_name=f"Lãnh đạo {unit.name}"
    )
    account_services.grant_role(actor=None, user=user, unit=unit, role=Role.LEADER)
    return user


@pytest.fixture
def justice_leader(justice):
    return _leader("stp.lanhdao", justice)


@pytest.fixture
def commune_leader(west_commune):
    return _leader("xatay.lanhdao", west_commune)


@pytest.fixture
def plan(cast):
    admin = cast["reform_admin"]
    plan = plan_services.create_plan(
        actor=admin,
        issuing_unit=cast["province"],
        title="Kế hoạch cải cách hành chính năm 2026",
        year_from=2026,
    )
    institutions = plan_services.add_area(actor=admin, plan=plan, title="Cải cách thể chế", order=1)
    procedures = plan_services.add_area(actor=admin, plan=plan, title="Cải cách thủ tục hành chính", order=2)
    plan_services.add_target(
        actor=admin,
        plan=plan,
        area=procedures,
        code="CT1",
        text="Tỷ lệ hồ sơ giải quyết đúng hạn",
        comparator=">=",
        value="90",
        unit="%",
    )
    plan_services.add_target(
        actor=admin,
        plan=plan,
        area=institutions,
        code="CT2",
        text="Số cuộc kiểm tra cải cách hành chính",
        comparator=">=",
        value=2,
        unit="count",
    )
    rows = [
        ("T1", institutions, "Rà soát văn bản quy phạm pháp luật", cast["justice"], "date", (2026, 3, 10)),
        ("T2", procedures, "Đơn giản hóa thủ tục lĩnh vực tư pháp", cast["justice"], "date", (2026, 6, 30)),
        ("T3", procedures, "Công khai thủ tục hành chính", cast["justice"], "recurring", None),
        ("T4", procedures, "Số hóa hồ sơ tại xã", cast["west_commune"], "quarter", (2026, 3, 31)),
        ("T5", institutions, "Tuyên truyền cải cách hành chính", cast["home_affairs"], "recurring", None),
    ]
    for order, (code, area, text, lead, kind, deadline) in enumerate(rows):
        task_services.add_task(
            actor=admin,
            plan=plan,
            area=area,
            code=code,
            text=text,
            lead_unit=lead,
            deadline_kind=kind,
            deadline=datetime.date(*deadline) if deadline else None,
            order=order,
        )
    return plan_services.issue_plan(
        actor=admin, plan=plan, number="95/KH-UBND", issued_on=datetime.date(2025, 12, 20)
    )


@pytest.fixture
def rounds(plan, reform_admin):
    created = reports.create_schedules_for_year(actor=reform_admin, plan=plan, year=2026)
    return {schedule.kind: schedule for schedule in created}


@pytest.fixture
def q1(rounds):
    return rounds["quarter"]


@pytest.fixture
def filled_q1(plan, q1, cast, justice_leader, commune_leader):
    """Q1 of 2026 as seen on 25/03/2026:

    - Sở Tư pháp: sent 18/03 (on time), accepted; T1 in progress (overdue), T2 done, T3 in progress;
    - Xã Tây: sent 22/03 (late), awaiting acceptance; T4 not started (due 31/03, not overdue);
    - Sở Nội vụ: a draft only (missing; its T5 is not counted); Phường Đông: nothing (missing).
    Measurements of CT1 for 2026-Q1: Sở Tư pháp 45/50 on the province target (and 10/10 on its own
    copy, which must not count twice), Xã Tây 40/50 on its copy; one for 2026-H1 that must not count.
    """
    justice, commune, admin = cast["justice"], cast["west_commune"], cast["reform_admin"]
    focal, officer = cast["justice_focal"], cast["commune_officer"]
    ct1 = plan.targets.get(code="CT1")
    justice_plan = plan_services.cascade_plan(actor=focal, parent=plan, unit=justice)
    commune_plan = plan_services.cascade_plan(actor=officer, parent=plan, unit=commune)
    # Entered on the unit's cascaded copy: the service stores it on the province target.
    plan_services.record_measurement(
        actor=focal,
        target=justice_plan.targets.get(code="CT1"),
        unit=justice,
        period="2026-Q1",
        numerator=45,
        denominator=50,
    )
    plan_services.record_measurement(
        actor=officer,
        target=commune_plan.targets.get(code="CT1"),
        unit=commune,
        period="2026-Q1",
        numerator=40,
        denominator=50,
    )
    plan_services.record_measurement(
        actor=focal, target=ct1, unit=justice, period="2026-H1", numerator=1, denominator=50
    )

    justice_report = reports.start_report(actor=focal, schedule=q1, unit=justice)
    t1, t2, t3 = (line["task"] for line in justice_report.task_lines)
    lines = [
        {"task": t1, "status": "in_progress", "progress": 60},
        {"task": t2, "status": "done", "progress": 100},
        {"task": t3, "status": "in_progress", "progress": 30},
    ]
    with time_machine.travel(at(2026, 3, 18)):
        justice_report = send_in(
            justice_report, focal=focal, leader=justice_leader, narrative=LONG_NARRATIVE, lines=lines
        )
        reports.accept_report(actor=admin, report=justice_report)
    commune_report = reports.start_report(actor=officer, schedule=q1, unit=commune)
    with time_machine.travel(at(2026, 3, 22)):
        send_in(commune_report, focal=officer, leader=commune_leader, narrative="Xã Tây đã số hóa 40 hồ sơ.")
    draft = reports.start_report(actor=admin, schedule=q1, unit=cast["home_affairs"])
    t5 = draft.task_lines[0]["task"]
    reports.save_report(
        actor=admin,
        report=draft,
        narrative="Bản nháp",
        task_lines=[{"task": t5, "status": "done", "progress": 100}],
    )
    return q1


@pytest.fixture
def report(q1, justice, justice_focal):
    """Sở Tư pháp's report for the first quarter, just started by its focal point."""
    return reports.start_report(actor=justice_focal, schedule=q1, unit=justice)
