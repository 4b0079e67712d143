"""Plans from issue to measurement: permissions, cascading, measurements summed up the tree, states."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.core.models import AuditEntry
from cchc.core.periods import Period
from cchc.plans import queries
from cchc.plans.models import Measurement, Plan, PlanStatus, Target
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services
from tests.conftest import uploaded

pytestmark = pytest.mark.django_db
YEAR = Period.parse("2026")


def test_only_the_reform_office_drafts_the_province_plan(cast):
    with pytest.raises(PermissionDenied):
        plan_services.create_plan(
            actor=cast["justice_focal"], issuing_unit=cast["province"], title="X", year_from=2026
        )
    assert not Plan.objects.exists()


def test_issuing_records_number_date_and_audit(province_plan, cast):
    assert province_plan.status == PlanStatus.ISSUED
    entry = AuditEntry.objects.for_object(province_plan).get(action="plan.issue")
    assert entry.before["status"] == "draft" and entry.after["number"] == "12/KH-UBND"
    with pytest.raises(ValidationError):
        plan_services.issue_plan(
            actor=cast["reform_admin"],
            plan=province_plan,
            number="13/KH-UBND",
            issued_on=datetime.date(2026, 1, 6),
        )


def test_bad_targets_are_refused_and_leave_nothing(province_plan, cast):
    count = Target.objects.count()
    bad = [
        {"comparator": "≈", "value": 1},
        {"comparator": ">=", "value": "nhiều"},
        {"comparator": ">=", "value": 120},
        {"comparator": ">=", "value": 5, "scope_types": ["hamlet"]},
        {"comparator": ">=", "value": 5, "data_source": "khong.co"},
    ]
    for fields in bad:
        with pytest.raises(ValidationError):
            plan_services.add_target(
                actor=cast["reform_admin"], plan=province_plan, text="Chỉ tiêu", **fields
            )
    assert Target.objects.count() == count


def test_a_unit_plan_is_prefilled_with_what_concerns_the_unit(province_plan, cast):
    commune_plan = plan_services.cascade_plan(
        actor=cast["commune_officer"], parent=province_plan, unit=cast["west_commune"]
    )
    assert commune_plan.parent == province_plan and commune_plan.status == PlanStatus.DRAFT
    assert sorted(commune_plan.targets.values_list("code", flat=True)) == ["CT1", "CT2", "CT3"]
    justice_plan = plan_services.cascade_plan(
        actor=cast["justice_focal"], parent=province_plan, unit=cast["justice"]
    )
    assert sorted(justice_plan.targets.values_list("code", flat=True)) == [
        "CT1",
        "CT2",
    ]  # CT3 is for communes
    texts = sorted(justice_plan.tasks.values_list("text", flat=True))
    assert texts == [
        "Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực tư pháp",
        "Tuyên truyền cải cách hành chính",
    ]
    coordinated = justice_plan.tasks.get(text="Tuyên truyền cải cách hành chính")
    assert coordinated.lead_unit == cast["justice"] and list(coordinated.coordinating_units.all()) == [
        cast["home_affairs"]
    ]
    assert {area.title for area in justice_plan.areas.all()} == {
        area.title for area in province_plan.areas.all()
    }


def test_cascading_needs_a_role_on_the_unit_and_happens_once(province_plan, cast):
    with pytest.raises(PermissionDenied):
        plan_services.cascade_plan(actor=cast["commune_officer"], parent=province_plan, unit=cast["justice"])
    plan_services.cascade_plan(actor=cast["justice_focal"], parent=province_plan, unit=cast["justice"])
    with pytest.raises(ValidationError):
        plan_services.cascade_plan(actor=cast["justice_focal"], parent=province_plan, unit=cast["justice"])


def test_unit_plans_issued_is_measured_by_the_system(province_plan, cast):
    target = province_plan.targets.get(code="CT2")
    reading = queries.read_target(target, cast["province"], YEAR)
    assert (reading.ratio.numerator, reading.ratio.denominator) == (Decimal(0), Decimal(4))
    own = plan_services.cascade_plan(actor=cast["justice_focal"], parent=province_plan, unit=cast["justice"])
    plan_services.issue_plan(
        actor=cast["justice_focal"], plan=own, number="5/KH-STP", issued_on=datetime.date(2026, 1, 20)
    )
    reading = queries.read_target(target, cast["province"], YEAR)
    assert reading.value == Decimal(25)
    assert queries.read_target(target, cast["justice"], YEAR).value == Decimal(100)


def test_a_unit_with_plans_under_two_province_plans_counts_once(province_plan, cast):
    """Sở Tư pháp implements both a five-year plan and this year's: it is one unit of four that issued."""
    admin = cast["reform_admin"]
    five_year = plan_services.create_plan(
        actor=admin,
        issuing_unit=cast["province"],
        title="Kế hoạch CCHC 2021-2026",
        year_from=2021,
        year_to=2026,
    )
    five_year = plan_services.issue_plan(
        actor=admin, plan=five_year, number="1/KH-UBND", issued_on=datetime.date(2021, 1, 5)
    )
    for parent, number in ((five_year, "3/KH-STP"), (province_plan, "4/KH-STP")):
        own = plan_services.cascade_plan(actor=cast["justice_focal"], parent=parent, unit=cast["justice"])
        plan_services.issue_plan(
            actor=cast["justice_focal"], plan=own, number=number, issued_on=datetime.date(2026, 1, 20)
        )
    target = province_plan.targets.get(code="CT2")
    reading = queries.read_target(target, cast["province"], YEAR)
    assert (reading.ratio.numerator, reading.ratio.denominator) == (Decimal(1), Decimal(4))


def test_manual_measurements_sum_numerators_and_denominators_up_the_tree(province_plan, cast):
    target = province_plan.targets.get(code="CT1")
    plan_services.record_measurement(
        actor=cast["justice_focal"],
        target=target,
        unit=cast["justice"],
        period="2026",
        numerator=99,
        denominator=100,
    )
    plan_services.record_measurement(
        actor=cast["commune_officer"],
        target=target,
        unit=cast["west_commune"],
        period="2026",
        numerator=1,
        denominator=10,
    )
    province = queries.read_target(target, cast["province"], YEAR)
    # (99 + 1) / (100 + 10), not the mean of 99 % and 10 %.
    assert province.ratio.numerator == 100 and province.ratio.denominator == 110
    assert round(province.value, 2) == Decimal("90.91")
    assert queries.read_target(target, cast["justice"], YEAR).state == queries.MET


def test_states_met_at_risk_missed_and_no_data(province_plan, cast):
    target = province_plan.targets.get(code="CT1")
    assert queries.read_target(target, cast["justice"], YEAR).state == queries.NO_DATA
    plan_services.record_measurement(
        actor=cast["justice_focal"],
        target=target,
        unit=cast["justice"],
        period="2026",
        numerator=90,
        denominator=100,
    )
    with time_machine.travel(datetime.date(2026, 11, 1)):
        assert queries.read_target(target, cast["justice"], YEAR).state == queries.AT_RISK
    with time_machine.travel(datetime.date(2027, 1, 10)):
        assert queries.read_target(target, cast["justice"], YEAR).state == queries.MISSED


def test_cascaded_targets_read_the_measurements_of_the_province_target(province_plan, cast):
    own = plan_services.cascade_plan(actor=cast["justice_focal"], parent=province_plan, unit=cast["justice"])
    plan_services.record_measurement(
        actor=cast["justice_focal"],
        target=province_plan.targets.get(code="CT1"),
        unit=cast["justice"],
        period="2026",
        numerator=197,
        denominator=200,
    )
    copy = own.targets.get(code="CT1")
    assert queries.read_target(copy, cast["justice"], YEAR).value == Decimal("98.5")


def test_measurements_are_checked_and_audited(province_plan, cast):
    target = province_plan.targets.get(code="CT1")
    with pytest.raises(PermissionDenied):
        plan_services.record_measurement(
            actor=cast["commune_officer"],
            target=target,
            unit=cast["justice"],
            period="2026",
            numerator=1,
            denominator=1,
        )
    for numerator, denominator, period in [
        (5, None, "2026"),
        (5, 4, "2026"),
        (1, 2, "2026-Q5"),
        (-1, 2, "2026"),
    ]:
        with pytest.raises(ValidationError):
            plan_services.record_measurement(
                actor=cast["justice_focal"],
                target=target,
                unit=cast["justice"],
                period=period,
                numerator=numerator,
                denominator=denominator,
            )
    assert not Measurement.objects.exists()
    plan_services.record_measurement(
        actor=cast["justice_focal"],
        target=target,
        unit=cast["justice"],
        period="2026-Q1",
        numerator=8,
        denominator=10,
    )
    plan_services.record_measurement(
        actor=cast["justice_focal"],
        target=target,
        unit=cast["justice"],
        period="2026-Q1",
        numerator=9,
        denominator=10,
    )
    measurement = Measurement.objects.get()
    entry = AuditEntry.objects.for_object(measurement).get(action="measurement.update")
    assert entry.before["numerator"] == "8.000" and entry.after["numerator"] == "9.000"


def test_progress_is_reported_then_accepted_or_returned(province_plan, cast):
    task = province_plan.tasks.get(lead_unit=cast["justice"])
    with pytest.raises(PermissionDenied):
        task_services.report_progress(
            actor=cast["commune_officer"], task=task, status="in_progress", progress=10, narrative="x"
        )
    update = task_services.report_progress(
        actor=cast["justice_focal"],
        task=task,
        status="in_progress",
        progress=40,
        narrative="Đã rà soát 12 thủ tục",
    )
    task.refresh_from_db()
    assert task.progress == 0  # not counted until accepted
    with pytest.raises(ValidationError):
        task_services.review_update(actor=cast["reform_admin"], update=update, accept=False, comment="")
    with pytest.raises(PermissionDenied):
        task_services.review_update(actor=cast["justice_focal"], update=update, accept=True)
    task_services.review_update(actor=cast["reform_admin"], update=update, accept=True, comment="Đạt")
    task.refresh_from_db()
    assert (task.status, task.progress) == ("in_progress", 40)
    with pytest.raises(ValidationError):
        task_services.report_progress(
            actor=cast["justice_focal"], task=task, status="done", progress=90, narrative="Xong"
        )


def test_deadline_changes_need_a_reason_and_approval(province_plan, cast):
    task = province_plan.tasks.get(lead_unit=cast["justice"])
    with pytest.raises(ValidationError):
        task_services.request_deadline_change(
            actor=cast["justice_focal"],
            task=task,
            new_kind="date",
            new_deadline=datetime.date(2026, 9, 30),
            reason=" ",
        )
    change = task_services.request_deadline_change(
        actor=cast["justice_focal"],
        task=task,
        new_kind="date",
        new_deadline=datetime.date(2026, 9, 30),
        reason="Chờ hướng dẫn của Bộ",
    )
    task.refresh_from_db()
    assert task.deadline == datetime.date(2026, 6, 30)
    task_services.decide_deadline_change(actor=cast["reform_admin"], change=change, approve=True)
    task.refresh_from_db()
    assert task.deadline == datetime.date(2026, 9, 30)
    entry = AuditEntry.objects.for_object(task).get(action="task.approve_deadline")
    assert (entry.before["deadline"], entry.after["deadline"]) == ("2026-06-30", "2026-09-30")


def test_plans_are_visible_down_and_up_the_tree(province_plan, cast):
    own = plan_services.cascade_plan(actor=cast["justice_focal"], parent=province_plan, unit=cast["justice"])
    assert set(Plan.objects.for_user(cast["commune_officer"])) == {province_plan}
    assert set(Plan.objects.for_user(cast["justice_focal"])) == {province_plan, own}
    assert set(Plan.objects.for_user(cast["leader"])) == {province_plan, own}


def test_overdue_tasks(province_plan, cast):
    overdue = queries.overdue_tasks([province_plan.pk], on=datetime.date(2026, 7, 1))
    assert [task.lead_unit for task in overdue] == [cast["justice"]]


def test_figures_of_an_accepted_report_period_are_locked(province_plan, cast):
    from cchc.plans.services import reports

    target = province_plan.targets.get(code="CT1")
    admin, focal = cast["reform_admin"], cast["justice_focal"]
    plan_services.record_measurement(
        actor=focal, target=target, unit=cast["justice"], period="2026-Q1", numerator=9, denominator=10
    )
    first = reports.create_schedules_for_year(actor=admin, plan=province_plan, year=2026, kinds=["quarter"])[
        0
    ]
    report = reports.start_report(actor=admin, schedule=first, unit=cast["justice"])
    reports.save_report(actor=admin, report=report, narrative="Báo cáo quý I", task_lines=report.task_lines)
    reports.submit_report(actor=admin, report=report)
    reports.approve_report(actor=admin, report=report)
    reports.accept_report(actor=admin, report=report)
    with pytest.raises(ValidationError):
        plan_services.record_measurement(
            actor=focal, target=target, unit=cast["justice"], period="2026-Q1", numerator=10, denominator=10
        )
    assert Measurement.objects.get(period="2026-Q1").numerator == 9
    # Other periods and other units stay open.
    plan_services.record_measurement(
        actor=focal, target=target, unit=cast["justice"], period="2026-Q2", numerator=10, denominator=10
    )


def test_a_unit_can_have_its_own_target_value(province_plan, cast):
    target = province_plan.targets.get(code="CT1")
    with pytest.raises(PermissionDenied):
        plan_services.set_unit_value(
            actor=cast["justice_focal"], target=target, unit=cast["west_commune"], value=95
        )
    with pytest.raises(ValidationError):
        plan_services.set_unit_value(
            actor=cast["reform_admin"], target=target, unit=cast["west_commune"], value=101
        )
    plan_services.set_unit_value(
        actor=cast["reform_admin"], target=target, unit=cast["west_commune"], value="95"
    )
    plan_services.record_measurement(
        actor=cast["commune_officer"],
        target=target,
        unit=cast["west_commune"],
        period="2026",
        numerator=96,
        denominator=100,
    )
    assert queries.read_target(target, cast["west_commune"], YEAR).state == queries.MET  # 96 ≥ 95, not ≥ 98,5
    commune_plan = plan_services.cascade_plan(
        actor=cast["commune_officer"], parent=province_plan, unit=cast["west_commune"]
    )
    assert commune_plan.targets.get(code="CT1").value == 95
    assert AuditEntry.objects.filter(action="target.set_unit_value", unit=cast["west_commune"]).exists()


def test_numbers_too_large_for_their_column_are_refused(province_plan, cast):
    target = province_plan.targets.get(code="CT1")
    for numerator, denominator in [("99999999999999", "99999999999999"), ("1e30", "1e30"), ("inf", "1")]:
        with pytest.raises(ValidationError):
            plan_services.record_measurement(
                actor=cast["justice_focal"],
                target=target,
                unit=cast["justice"],
                period="2026",
                numerator=numerator,
                denominator=denominator,
            )
    with pytest.raises(ValidationError):
        plan_services.add_target(
            actor=cast["reform_admin"],
            plan=province_plan,
            text="Thu ngân sách",
            comparator=">",
            value="123456789012345",
            unit="tỷ đồng",
        )
    assert not Measurement.objects.exists()


def test_tasks_are_led_inside_the_plans_tree(province_plan, cast):
    own = plan_services.cascade_plan(
        actor=cast["commune_officer"], parent=province_plan, unit=cast["west_commune"]
    )
    with pytest.raises(ValidationError):
        task_services.add_task(
            actor=cast["commune_officer"],
            plan=own,
            text="Giao cho Sở",
            lead_unit=cast["justice"],
            deadline_kind="recurring",
        )
    # A sister agency may coordinate a unit plan's task: it lies under the province plan's issuer.
    task = task_services.add_task(
        actor=cast["commune_officer"],
        plan=own,
        text="Phối hợp với Sở",
        lead_unit=cast["west_commune"],
        deadline_kind="recurring",
        coordinating_units=[cast["justice"]],
    )
    assert list(task.coordinating_units.all()) == [cast["justice"]]


def test_a_unit_plan_implements_an_issued_plan_above_it(province_plan, cast):
    draft = plan_services.create_plan(
        actor=cast["reform_admin"], issuing_unit=cast["province"], title="Dự thảo", year_from=2026
    )
    for parent in (draft, province_plan):
        unit = cast["justice"] if parent is draft else cast["province"]
        with pytest.raises(ValidationError):
            plan_services.create_plan(
                actor=cast["reform_admin"], issuing_unit=unit, title="KH", year_from=2026, parent=parent
            )


def test_accepted_figures_cannot_be_changed_through_a_sub_unit(province_plan, cast):
    from cchc.plans.services import reports

    target, admin = province_plan.targets.get(code="CT1"), cast["reform_admin"]
    first = reports.create_schedules_for_year(actor=admin, plan=province_plan, year=2026, kinds=["quarter"])[
        0
    ]
    report = reports.start_report(actor=admin, schedule=first, unit=cast["justice"])
    reports.save_report(actor=admin, report=report, narrative="Báo cáo", task_lines=report.task_lines)
    for step in (reports.submit_report, reports.approve_report, reports.accept_report):
        report = step(actor=admin, report=report)
    with pytest.raises(ValidationError):
        plan_services.record_measurement(
            actor=cast["justice_focal"],
            target=target,
            unit=cast["justice_division"],
            period="2026-Q1",
            numerator=0,
            denominator=900,
        )


def test_an_approved_new_deadline_reaches_the_cascaded_copies(province_plan, cast):
    task = province_plan.tasks.get(lead_unit=cast["justice"])
    own = plan_services.cascade_plan(actor=cast["justice_focal"], parent=province_plan, unit=cast["justice"])
    change = task_services.request_deadline_change(
        actor=cast["justice_focal"],
        task=task,
        new_kind="date",
        new_deadline=datetime.date(2026, 12, 31),
        reason="Chờ hướng dẫn",
    )
    task_services.decide_deadline_change(actor=cast["reform_admin"], change=change, approve=True)
    copy = own.tasks.get(parent=task)
    assert copy.deadline == datetime.date(2026, 12, 31)
    assert AuditEntry.objects.for_object(copy).filter(action="task.approve_deadline").exists()


def test_progress_evidence_is_checked(province_plan, cast):
    task = province_plan.tasks.get(lead_unit=cast["justice"])
    with pytest.raises(ValidationError):
        task_services.report_progress(
            actor=cast["justice_focal"],
            task=task,
            status="in_progress",
            progress=10,
            narrative="x",
            evidence=uploaded("trang.html", b"<html></html>"),
        )
    assert not task.updates.exists()
