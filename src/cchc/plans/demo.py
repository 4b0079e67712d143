"""The demonstration province's 2026 CCHC plan: written for the demo, in the manner of real plans.

Every figure and date here is illustrative. The loader goes through the services, so the demo's
audit trail looks like a real one.
"""

import datetime
import random
from decimal import Decimal

from cchc.plans.models import ReformArea
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services
from cchc.units.models import Unit, UnitType

# (area code, target code, text, measure, comparator, value, unit, scope types, data source)
TARGETS = [
    (
        "chi-dao",
        "CT01",
        "100% cơ quan, đơn vị, địa phương ban hành kế hoạch CCHC năm 2026 trước ngày 31/01/2026",
        "đơn vị ban hành kế hoạch CCHC",
        "=",
        100,
        "%",
        [],
        "plans.unit_plans_issued",
    ),
    (
        "chi-dao",
        "CT02",
        "Kiểm tra công tác CCHC tối thiểu 30% cơ quan chuyên môn thuộc UBND tỉnh",
        "cơ quan được kiểm tra",
        ">=",
        30,
        "%",
        ["agency"],
        "manual",
    ),
    (
        "chi-dao",
        "CT03",
        "Kiểm tra tối thiểu 20% UBND xã, phường, đặc khu",
        "xã, phường được kiểm tra",
        ">=",
        20,
        "%",
        ["commune"],
        "manual",
    ),
    (
        "the-che",
        "CT04",
        "100% văn bản quy phạm pháp luật được ban hành đúng thẩm quyền, trình tự, thủ tục",
        "văn bản QPPL ban hành đúng quy định",
        "=",
        100,
        "%",
        [],
        "manual",
    ),
    (
        "tthc",
        "CT05",
        "Tối thiểu 98,5% hồ sơ thủ tục hành chính được giải quyết trước và đúng hạn",
        "hồ sơ giải quyết đúng hạn",
        ">=",
        "98.5",
        "%",
        [],
        "onestop.on_time_rate",
    ),
    (
        "tthc",
        "CT06",
        "Trên 50% hồ sơ thủ tục hành chính được tiếp nhận trực tuyến",
        "hồ sơ nộp trực tuyến",
        ">",
        50,
        "%",
        [],
        "onestop.online_rate",
    ),
    (
        "tthc",
        "CT07",
        "Mức độ hài lòng của người dân, doanh nghiệp đạt tối thiểu 92%",
        "người dân hài lòng",
        ">=",
        92,
        "%",
        [],
        "manual",
    ),
    (
        "to-chuc-bo-may",
        "CT08",
        "100% cơ quan, đơn vị rà soát chức năng, nhiệm vụ sau sắp xếp",
        "đơn vị hoàn thành rà soát",
        "=",
        100,
        "%",
        ["agency"],
        "manual",
    ),
    (
        "cong-vu",
        "CT09",
        "Ít nhất 90% công chức cấp xã được bồi dưỡng kỹ năng số",
        "công chức được bồi dưỡng",
        ">=",
        90,
        "%",
        ["commune"],
        "manual",
    ),
    (
        "tai-chinh-cong",
        "CT10",
        "Giải ngân vốn đầu tư công đạt trên 95% kế hoạch",
        "vốn giải ngân",
        ">",
        95,
        "%",
        ["agency"],
        "manual",
    ),
    (
        "chinh-phu-so",
        "CT11",
        "Tối thiểu 80% kết quả giải quyết TTHC được số hóa",
        "kết quả được số hóa",
        ">=",
        80,
        "%",
        [],
        "manual",
    ),
    (
        "chinh-phu-so",
        "CT12",
        "100% văn bản trao đổi giữa các cơ quan dưới dạng điện tử (trừ văn bản mật)",
        "văn bản điện tử",
        "=",
        100,
        "%",
        [],
        "manual",
    ),
]

# (area code, lead agency suffix or "communes", text, deadline, product, coordinating suffixes)
TASKS = [
    (
        "chi-dao",
        "SNV",
        "Tham mưu kế hoạch kiểm tra công tác CCHC năm 2026",
        datetime.date(2026, 2, 27),
        "Kế hoạch kiểm tra",
        ["VP"],
    ),
    (
        "chi-dao",
        "SNV",
        "Tổ chức đánh giá, xác định Chỉ số CCHC năm 2025 của các cơ quan, địa phương",
        datetime.date(2026, 3, 31),
        "Quyết định công bố kết quả",
        ["VP", "STP"],
    ),
    (
        "chi-dao",
        "SNV",
        "Tuyên truyền cải cách hành chính trên báo, đài và cổng thông tin",
        None,
        "Chuyên mục, tin bài",
        ["SVHTTDL"],
    ),
    (
        "the-che",
        "STP",
        "Rà soát, hệ thống hóa văn bản quy phạm pháp luật của tỉnh sau sắp xếp đơn vị hành chính",
        datetime.date(2026, 6, 30),
        "Báo cáo kết quả rà soát",
        ["SNV"],
    ),
    (
        "the-che",
        "STP",
        "Kiểm tra văn bản quy phạm pháp luật do HĐND, UBND cấp xã ban hành",
        datetime.date(2026, 10, 30),
        "Báo cáo kiểm tra",
        [],
    ),
    (
        "tthc",
        "VP",
        "Công bố, công khai danh mục thủ tục hành chính thuộc thẩm quyền cấp xã sau sắp xếp",
        datetime.date(2026, 3, 15),
        "Quyết định công bố",
        ["STP"],
    ),
    (
        "tthc",
        "VP",
        "Rà soát, đơn giản hóa thủ tục hành chính nội bộ",
        datetime.date(2026, 8, 31),
        "Phương án đơn giản hóa",
        ["SNV", "STC"],
    ),
    (
        "tthc",
        "VP",
        "Khảo sát sự hài lòng của người dân tại Trung tâm Phục vụ hành chính công",
        datetime.date(2026, 11, 30),
        "Báo cáo kết quả khảo sát",
        ["SNV"],
    ),
    (
        "to-chuc-bo-may",
        "SNV",
        "Rà soát quy định chức năng, nhiệm vụ của các cơ quan chuyên môn",
        datetime.date(2026, 5, 31),
        "Quyết định quy định chức năng, nhiệm vụ",
        [],
    ),
    (
        "cong-vu",
        "SNV",
        "Cập nhật cơ sở dữ liệu cán bộ, công chức, viên chức",
        datetime.date(2026, 9, 30),
        "Cơ sở dữ liệu được cập nhật",
        [],
    ),
    (
        "tai-chinh-cong",
        "STC",
        "Hướng dẫn giao quyền tự chủ tài chính cho đơn vị sự nghiệp công lập",
        datetime.date(2026, 4, 30),
        "Văn bản hướng dẫn",
        [],
    ),
    (
        "chinh-phu-so",
        "SKHCN",
        "Nâng cấp Hệ thống thông tin giải quyết TTHC của tỉnh",
        datetime.date(2026, 7, 31),
        "Hệ thống được nâng cấp",
        ["VP"],
    ),
    (
        "chinh-phu-so",
        "SKHCN",
        "Số hóa hồ sơ, kết quả giải quyết TTHC còn hiệu lực",
        datetime.date(2026, 12, 15),
        "Dữ liệu số hóa",
        ["VP"],
    ),
]


def load_demo_plan(*, actor, province: Unit, agencies: dict[str, Unit]) -> None:
    """Issues the province plan, cascades it to the agencies and some communes, and adds progress."""
    rng = random.Random(2026)
    plan = plan_services.create_plan(
        actor=actor,
        issuing_unit=province,
        title="Kế hoạch cải cách hành chính năm 2026 (minh họa)",
        year_from=2026,
    )
    areas = {}
    for reform_area in ReformArea.objects.order_by("order"):
        areas[reform_area.code] = plan_services.add_area(
            actor=actor, plan=plan, title="", reform_area=reform_area, order=reform_area.order
        )
    for order, (area, code, text, measure, comparator, value, unit, scope, source) in enumerate(TARGETS):
        plan_services.add_target(
            actor=actor,
            plan=plan,
            area=areas[area],
            code=code,
            text=text,
            measure=measure,
            comparator=comparator,
            value=value,
            unit=unit,
            scope_types=scope,
            data_source=source,
            order=order,
        )
    for order, (area, lead, text, deadline, product, helpers) in enumerate(TASKS):
        task_services.add_task(
            actor=actor,
            plan=plan,
            area=areas[area],
            text=text,
            lead_unit=agencies[lead],
            deadline_kind="date" if deadline else "recurring",
            deadline=deadline,
            expected_product=product,
            coordinating_units=[agencies[helper] for helper in helpers],
            code=f"NV{order + 1:02d}",
            order=order,
        )
    plan = plan_services.issue_plan(
        actor=actor, plan=plan, number="28/KH-UBND", issued_on=datetime.date(2025, 12, 29)
    )

    communes = list(
        Unit.objects.subtree(province).active_on(datetime.date(2026, 1, 1)).filter(type=UnitType.COMMUNE)[:12]
    )
    planners = list(agencies.values()) + communes
    for index, unit in enumerate(planners):
        own = plan_services.cascade_plan(actor=actor, parent=plan, unit=unit)
        # Most units issued on time, a few late, a few not yet: the "units issued their plan" target shows it.
        if index % 7 != 6:
            day = datetime.date(2026, 1, 10) + datetime.timedelta(
                days=rng.randint(0, 40) if index % 5 else 45
            )
            plan_services.issue_plan(actor=actor, plan=own, number=f"{index + 3}/KH", issued_on=day)
    for target in plan.targets.filter(data_source="manual"):
        for unit in planners:
            if not target.applies_to_type(unit.type) or rng.random() < 0.15:
                continue
            year_done = year_total = 0
            for quarter in ("2026-Q1", "2026-Q2", "2026-Q3"):
                total = rng.randint(40, 400)
                share = min(
                    Decimal(1), Decimal(str(rng.uniform(0.85, 1.0))) * target.value / 100 + Decimal("0.05")
                )
                done = min(total, int(total * share))
                plan_services.record_measurement(
                    actor=actor, target=target, unit=unit, period=quarter, numerator=done, denominator=total
                )
                year_done, year_total = year_done + done, year_total + total
            # The year so far, so that the plan's default (yearly) view has figures too.
            plan_services.record_measurement(
                actor=actor,
                target=target,
                unit=unit,
                period="2026",
                numerator=year_done,
                denominator=year_total,
            )
    _progress(actor, plan, rng)
    load_demo_reports_and_inspections(actor=actor, plan=plan, province=province, agencies=agencies)


def _progress(actor, plan, rng: random.Random) -> None:
    """Progress updates in every state: accepted, returned, awaiting review; one deadline change."""
    from cchc.accounts.models import RoleAssignment

    tasks = list(plan.tasks.select_related("lead_unit").order_by("order"))
    for index, task in enumerate(tasks):
        focal = (
            RoleAssignment.objects.filter(unit=task.lead_unit, role="focal_point")
            .select_related("user")
            .first()
        )
        reporter = focal.user if focal else actor
        if index % 4 == 3:
            continue  # not reported yet
        done = task.deadline is not None and task.deadline < datetime.date(2026, 9, 1)
        update = task_services.report_progress(
            actor=reporter,
            task=task,
            status="done" if done else "in_progress",
            progress=100 if done else rng.choice([30, 50, 70]),
            narrative="Đã triển khai theo kế hoạch; kết quả chi tiết tại báo cáo kèm theo (minh họa).",
        )
        if index % 4 == 0:
            task_services.review_update(actor=actor, update=update, accept=True, comment="Thống nhất.")
        elif index % 4 == 1:
            task_services.review_update(
                actor=actor,
                update=update,
                accept=False,
                comment="Đề nghị bổ sung sản phẩm, tài liệu kiểm chứng.",
            )
    late = next(task for task in tasks if task.deadline and task.deadline > datetime.date(2026, 6, 1))
    task_services.request_deadline_change(
        actor=actor,
        task=late,
        new_kind="date",
        new_deadline=late.deadline + datetime.timedelta(days=45),
        reason="Chờ hướng dẫn của bộ, ngành Trung ương (minh họa).",
    )


def load_demo_reports_and_inspections(*, actor, plan, province: Unit, agencies: dict[str, Unit]) -> None:
    """The year's reporting rounds, the first quarter's reports in every state, and an inspection round."""
    from django.utils import timezone

    from cchc.plans.services import inspections, reports

    rounds = reports.create_schedules_for_year(actor=actor, plan=plan, year=2026)
    first = min(rounds, key=lambda schedule: schedule.due_on)
    narrative = (
        "Đơn vị đã triển khai các nhiệm vụ theo kế hoạch; kết quả cụ thể tại phụ lục kèm theo (minh họa)."
    )
    steps = ["accept", "return", "approve", "submit", "draft", None]  # None: not started, so "missing"
    for index, agency in enumerate(agencies.values()):
        step = steps[index % len(steps)]
        if step is None:
            continue
        report = reports.start_report(actor=actor, schedule=first, unit=agency)
        report = reports.save_report(
            actor=actor, report=report, narrative=narrative, task_lines=report.task_lines
        )
        if step == "draft":
            continue
        report = reports.submit_report(actor=actor, report=report)
        if step == "submit":
            continue
        report = reports.approve_report(actor=actor, report=report)
        if step == "accept":
            reports.accept_report(actor=actor, report=report, comment="Đạt yêu cầu.")
        elif step == "return":
            reports.return_report(
                actor=actor, report=report, comment="Đề nghị bổ sung số liệu chỉ tiêu quý I."
            )

    today = timezone.localdate()
    inspection_plan = inspections.create_inspection_plan(
        actor=actor,
        issuing_unit=province,
        year=2026,
        title="Kế hoạch kiểm tra CCHC năm 2026 (minh họa)",
        number="35/KH-UBND",
    )
    communes = list(
        Unit.objects.subtree(province).active_on(datetime.date(2026, 1, 1)).filter(type=UnitType.COMMUNE)[:4]
    )
    inspected = [agencies[code] for code in ("STP", "SXD", "SNNMT", "SYT", "SCT")] + communes
    for index, unit in enumerate(inspected):
        kind = "unannounced" if index % 3 == 2 else "scheduled"
        planned = datetime.date(2026, 4 + index % 6, 10)
        inspection = inspections.add_inspection(
            actor=actor, plan=inspection_plan, inspected_unit=unit, kind=kind, planned_on=planned
        )
        if index >= 6 or planned >= today:
            continue  # still to come
        inspections.record_inspection(
            actor=actor,
            inspection=inspection,
            done_on=planned,
            team="Đoàn kiểm tra CCHC tỉnh",
            conclusion="Đơn vị cơ bản thực hiện tốt; còn một số tồn tại cần khắc phục (minh họa).",
        )
        finding = inspections.add_finding(
            actor=actor,
            inspection=inspection,
            responsible_unit=unit,
            description="Chưa niêm yết đầy đủ thủ tục hành chính tại nơi tiếp nhận hồ sơ.",
            remedy_required="Niêm yết đầy đủ, đúng quy định và báo cáo kết quả.",
            deadline=planned + datetime.timedelta(days=45),
        )
        if index % 3 == 0:
            inspections.report_remedy(
                actor=actor, finding=finding, remedy_report="Đã niêm yết bổ sung (minh họa)."
            )
            inspections.verify_remedy(actor=actor, finding=finding, accept=True)
        elif index % 3 == 1:
            inspections.report_remedy(
                actor=actor, finding=finding, remedy_report="Đang niêm yết bổ sung (minh họa)."
            )
