"""The demonstration province's 2026 CCHC plan: issued, cascaded, measured, reported on and inspected.

The plan's targets, tasks and the sentences people write are in `data/plans.yaml`. The loader goes
through the services, so the demo's audit trail looks like a real one.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from cchc.accounts.models import RoleAssignment
from cchc.core.periods import Period
from cchc.demo import clock
from cchc.demo.datafiles import read
from cchc.plans.models import ReformArea, Task, UnitReport
from cchc.plans.reporting import expected_units
from cchc.plans.services import inspections, reports
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services
from cchc.units.models import Unit, UnitType


def load_demo_plan(*, actor, province: Unit, agencies: dict[str, Unit]) -> None:
    """Issues the province plan, cascades it to the agencies and some communes, and adds progress."""
    data = read("plans")
    rng = random.Random(2026)
    plan = plan_services.create_plan(
        actor=actor, issuing_unit=province, title=data["plan_title"], year_from=2026
    )
    areas = {}
    for reform_area in ReformArea.objects.order_by("order"):
        areas[reform_area.code] = plan_services.add_area(
            actor=actor, plan=plan, title="", reform_area=reform_area, order=reform_area.order
        )
    for order, target in enumerate(data["targets"]):
        plan_services.add_target(
            actor=actor,
            plan=plan,
            area=areas[target["area"]],
            code=target["code"],
            text=target["text"],
            measure=target["measure"],
            comparator=target["comparator"],
            value=target["value"],
            unit=target["unit"],
            scope_types=list(target["scope"]),
            data_source=target["source"],
            order=order,
        )
    for order, task in enumerate(data["tasks"]):
        deadline = task["deadline"]
        task_services.add_task(
            actor=actor,
            plan=plan,
            area=areas[task["area"]],
            text=task["text"],
            lead_unit=agencies[task["lead"]],
            deadline_kind="date" if deadline else "recurring",
            deadline=deadline,
            expected_product=task["product"],
            coordinating_units=[agencies[helper] for helper in task["coordinating"]],
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
    _measurements(actor, plan, planners, rng)
    _progress(actor, plan, rng, data["progress"])
    load_demo_reports_and_inspections(actor=actor, plan=plan, province=province, agencies=agencies)


def _measurements(actor, plan, planners: list[Unit], rng: random.Random) -> None:
    """Quarterly figures for the manual targets, close to each target with some units short of it, for
    the quarters that have ended by the demo's day."""
    today = clock.today()
    keys = [f"{plan.year_from}-Q{number}" for number in (1, 2, 3)]
    quarters = [key for key in keys if Period.parse(key).end < today]
    for target in plan.targets.filter(data_source="manual"):
        for unit in planners:
            if not target.applies_to_type(unit.type) or rng.random() < 0.15:
                continue
            year_done = year_total = 0
            for quarter in quarters:
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
                period=str(plan.year_from),
                numerator=year_done,
                denominator=year_total,
            )


OVERDUE_SHARE = 0.15  # of the tasks whose deadline has passed: left unfinished (the "overdue" list)


def _focal_or(actor, unit: Unit):
    focal = RoleAssignment.objects.filter(unit=unit, role="focal_point").select_related("user").first()
    return focal.user if focal else actor


def task_story(task, today: datetime.date, rng: random.Random) -> tuple[str, int, str]:
    """(status, progress, review) for a task on `today`: done when its deadline has passed, except a
    few (OVERDUE_SHARE); under way in proportion to the time left otherwise. Review is "accept",
    "return", "pending" (awaiting the reform office) or "" (nothing reported yet)."""
    if task.deadline is not None and task.deadline < today:
        if rng.random() < OVERDUE_SHARE:
            return "in_progress", rng.choice([50, 70, 80]), rng.choice(["accept", ""])
        return "done", 100, "pending" if rng.random() < 0.1 else "accept"
    if task.deadline is None:  # recurring: reported on through the year
        return "in_progress", rng.choice([50, 60, 70]), rng.choice(["accept", "accept", "pending"])
    left = (task.deadline - today).days
    progress = max(10, min(90, 10 * round(9 - left / 30)))
    review = rng.choices(["accept", "pending", "return", ""], weights=(5, 2, 1, 1))[0]
    return "in_progress", progress, review


def _progress(actor, plan, rng: random.Random, texts: dict[str, str]) -> None:
    """Progress dated from the demo's day: most tasks on track or done, a realistic few overdue, updates
    in every state of review (accepted, returned, awaiting review) and one deadline change requested.
    The units' own copies of a task (cascaded plans) follow the province's task."""
    today = clock.today()
    tasks = list(plan.tasks.select_related("lead_unit").order_by("order"))
    for task in tasks:
        status, progress, review = task_story(task, today, rng)
        copies = list(Task.objects.filter(plan__parent=plan, code=task.code).select_related("lead_unit"))
        for each in [task, *copies]:
            if not review:
                continue  # not reported yet
            update = task_services.report_progress(
                actor=_focal_or(actor, each.lead_unit),
                task=each,
                status=status,
                progress=progress,
                narrative=texts["narrative"],
            )
            if review in ("accept", "return"):
                accept = review == "accept"
                comment = texts["accepted" if accept else "returned"]
                task_services.review_update(actor=actor, update=update, accept=accept, comment=comment)
    later = [task for task in tasks if task.deadline and task.deadline > today]
    late = later[0] if later else next(task for task in tasks if task.deadline)
    task_services.request_deadline_change(
        actor=actor,
        task=late,
        new_kind="date",
        new_deadline=max(late.deadline, today) + datetime.timedelta(days=45),
        reason=texts["deadline_change"],
    )


def load_demo_reports_and_inspections(*, actor, plan, province: Unit, agencies: dict[str, Unit]) -> None:
    """The year's reporting rounds, the first quarter's reports in every state, and an inspection round."""
    data = read("plans")
    _reports(actor, plan, agencies, data["reports"])
    _inspections(actor, province, agencies, data["inspections"])


# The latest past round in every state; the rounds before it mostly accepted, as a year goes.
LATEST_STEPS = ["accept", "accept", "return", "approve", "submit", "draft", None]
EARLIER_STEPS = ["accept"] * 8 + ["return", None]


def _reports(actor, plan, agencies: dict[str, Unit], texts: dict[str, str]) -> None:
    """Every round whose period has begun by the demo's day: the units' reports in the states a real
    year shows (None: not started, so "missing" once the round is due)."""
    today = clock.today()
    reports.create_schedules_for_year(actor=actor, plan=plan, year=plan.year_from)
    rounds = list(plan.schedules.filter(data_from__lte=today).order_by("due_on"))
    past = [schedule for schedule in rounds if schedule.due_on < today]
    rng = random.Random(f"demo-reports-{today:%Y%m%d}")
    for schedule in rounds:
        if schedule.due_on >= today:
            steps = ["draft", "submit", None, None, None]  # the open round: a few started early
        else:
            steps = LATEST_STEPS if schedule == past[-1] else EARLIER_STEPS
        for unit in expected_units(schedule):
            _report(actor, schedule, unit, rng.choice(steps), texts)


def _report(actor, schedule, unit: Unit, step: str | None, texts: dict[str, str]) -> None:
    if step is None:
        return
    report = reports.start_report(actor=actor, schedule=schedule, unit=unit)
    report = reports.save_report(
        actor=actor, report=report, narrative=texts["narrative"], task_lines=report.task_lines
    )
    if step == "draft":
        return
    report = reports.submit_report(actor=actor, report=report)
    if step != "submit":
        report = reports.approve_report(actor=actor, report=report)
        if step == "accept":
            reports.accept_report(actor=actor, report=report, comment=texts["accepted"])
        elif step == "return":
            reports.return_report(actor=actor, report=report, comment=texts["returned"])
    # The services stamp the present moment; a round long past was sent around its due day.
    if schedule.due_on < clock.today():
        sent = timezone.make_aware(
            datetime.datetime.combine(schedule.due_on - datetime.timedelta(days=2), datetime.time(9))
        )
        stamps = {"submitted_at": sent, "approved_at": sent + datetime.timedelta(hours=3)}
        if step == "accept":
            stamps["accepted_at"] = sent + datetime.timedelta(days=5)
        UnitReport.objects.filter(pk=report.pk).update(**stamps)


def _inspections(actor, province: Unit, agencies: dict[str, Unit], texts: dict[str, str]) -> None:
    today = clock.today()
    inspection_plan = inspections.create_inspection_plan(
        actor=actor, issuing_unit=province, year=2026, title=texts["plan_title"], number="35/KH-UBND"
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
            team=texts["team"],
            conclusion=texts["conclusion"],
        )
        finding = inspections.add_finding(
            actor=actor,
            inspection=inspection,
            responsible_unit=unit,
            description=texts["finding"],
            remedy_required=texts["remedy_required"],
            deadline=planned + datetime.timedelta(days=45),
        )
        if index % 3 == 0:
            inspections.report_remedy(actor=actor, finding=finding, remedy_report=texts["remedy_done"])
            inspections.verify_remedy(actor=actor, finding=finding, accept=True)
        elif index % 3 == 1:
            inspections.report_remedy(actor=actor, finding=finding, remedy_report=texts["remedy_under_way"])
