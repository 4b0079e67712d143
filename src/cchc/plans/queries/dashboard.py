"""Reading a plan's dashboard: targets for the plan and for each leading unit, tasks by area and
status, overdue tasks by unit, the league table of units and the calendar of deadlines."""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core.periods import Period
from cchc.plans.models import DeadlineKind, Plan, Task, TaskStatus, TaskUpdate, UpdateState
from cchc.plans.queries.targets import MET, TargetReading, applies, overdue_tasks, read_many
from cchc.plans.reminders import working_days_late, working_days_left
from cchc.units.models import Unit

CALENDAR_DAYS = 60  # calendar days ahead shown in the calendar of deadlines
CLOSED = (TaskStatus.DONE, TaskStatus.CANCELLED)


def _rate(part: int, whole: int) -> Decimal | None:
    return None if whole == 0 else Decimal(part) * 100 / whole


@dataclass
class LeagueRow:
    """One unit's record on this plan: tasks done on time out of those due, and targets met."""

    unit: Unit
    due: int = 0
    on_time: int = 0
    targets: int = 0
    targets_met: int = 0
    rank: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        return _rate(self.on_time, self.due)

    @property
    def targets_rate(self) -> Decimal | None:
        return _rate(self.targets_met, self.targets)

    @property
    def score(self) -> tuple:
        # Higher is better; a unit with nothing to judge yet ranks after every unit with a figure.
        return (
            self.on_time_rate is not None,
            self.on_time_rate or 0,
            self.targets_rate is not None,
            self.targets_rate or 0,
        )


def done_on(plan: Plan) -> dict[int, datetime.date]:
    """The day each task was reported done, by the first accepted report saying so."""
    rows = (
        TaskUpdate.objects.filter(task__plan=plan, state=UpdateState.ACCEPTED, status=TaskStatus.DONE)
        .values("task_id")
        .annotate(first=Min("reported_at"))
    )
    return {row["task_id"]: timezone.localdate(row["first"]) for row in rows}


def league_table(tasks: list[Task], readings, today: datetime.date, done_days) -> list[LeagueRow]:
    """Units that lead tasks of the plan, best first; equal scores share a rank (1, 1, 3)."""
    rows: dict[int, LeagueRow] = {}
    for task in tasks:
        row = rows.setdefault(task.lead_unit_id, LeagueRow(task.lead_unit))
        if task.deadline is None or task.deadline_kind == DeadlineKind.RECURRING:
            continue
        if task.status == TaskStatus.CANCELLED:
            continue
        done = task.status == TaskStatus.DONE
        if not done and task.deadline >= today:
            continue  # still has time: not yet due
        row.due += 1
        # A task marked done without a dated accepted report (e.g. imported) gets the benefit of the doubt.
        if done and done_days.get(task.pk, task.deadline) <= task.deadline:
            row.on_time += 1
    for reading in readings:
        leader = rows.get(reading.unit.pk)
        if leader is not None:
            leader.targets += 1  # a target without data for the unit counts as not met
            leader.targets_met += reading.state == MET
    by_name = sorted(rows.values(), key=lambda row: row.unit.name)
    ranked = sorted(by_name, key=lambda row: row.score, reverse=True)  # stable: ties stay by name
    for position, row in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        row.rank = previous.rank if previous is not None and previous.score == row.score else position
    return ranked


def tasks_chart(plan_areas, tasks: list[Task]) -> dict:
    """Counts of tasks per area and status, shaped for a stacked bar chart."""
    areas: list[tuple[int | None, str]] = [(area.pk, area.title) for area in plan_areas]
    if any(task.area_id is None for task in tasks):
        areas.append((None, _("Other tasks")))
    counts: dict[tuple[int | None, str], int] = {}
    for task in tasks:
        counts[(task.area_id, task.status)] = counts.get((task.area_id, task.status), 0) + 1
    return {
        "categories": [title for _pk, title in areas],
        "series": [
            {"key": status, "name": str(label), "data": [counts.get((pk, status), 0) for pk, _t in areas]}
            for status, label in TaskStatus.choices
        ],
    }


def overdue_by_unit(plan: Plan, today: datetime.date) -> list[dict]:
    late = sorted(overdue_tasks([plan.pk], today), key=lambda task: (task.lead_unit.path, task.deadline))
    groups = [
        {"unit": unit, "tasks": [(task, working_days_late(task.deadline, today)) for task in group]}
        for unit, group in itertools.groupby(late, key=lambda task: task.lead_unit)
    ]
    return sorted(groups, key=lambda group: -len(group["tasks"]))


def deadline_calendar(tasks: list[Task], today: datetime.date) -> list[dict]:
    """Open tasks past their deadline, then those due in the next CALENDAR_DAYS days by month."""
    horizon = today + datetime.timedelta(days=CALENDAR_DAYS)  # calendar days, as the page says
    dated = sorted(
        (task.deadline, task.pk, task)
        for task in tasks
        if task.deadline is not None
        and task.deadline_kind != DeadlineKind.RECURRING
        and task.status not in CLOSED
    )
    groups: list[dict] = []
    past = [(task, working_days_late(deadline, today)) for deadline, _pk, task in dated if deadline < today]
    if past:
        groups.append({"past": True, "month": None, "entries": past})
    coming = [(deadline, task) for deadline, _pk, task in dated if today <= deadline <= horizon]
    for month, group in itertools.groupby(coming, key=lambda pair: pair[0].replace(day=1)):
        entries = [(task, working_days_left(deadline, today)) for deadline, task in group]
        groups.append({"past": False, "month": month, "entries": entries})
    return groups


@dataclass
class Dashboard:
    """Everything the dashboard shows about a plan for a period, read with a fixed number of queries
    whatever the number of units (targets through `read_many`)."""

    lights: list[TargetReading]
    chart: dict[str, Any]
    task_count: int
    overdue: list[dict[str, Any]]
    league: list[LeagueRow]
    calendar: list[dict[str, Any]]


def dashboard(plan: Plan, period: Period, today: datetime.date) -> Dashboard:
    targets = list(plan.targets.select_related("area").prefetch_related("scope_units"))
    tasks = list(plan.tasks.select_related("lead_unit", "area"))
    leaders = sorted({task.lead_unit for task in tasks}, key=lambda unit: unit.path)
    # One bulk read: the plan's own figures first, then each leading unit's targets.
    pairs = [(target, plan.issuing_unit) for target in targets]
    pairs += [(target, unit) for unit in leaders for target in targets if applies(target, unit)]
    readings = read_many(pairs, period)
    return Dashboard(
        lights=readings[: len(targets)],
        chart=tasks_chart(plan.areas.all(), tasks),
        task_count=len(tasks),
        overdue=overdue_by_unit(plan, today),
        league=league_table(tasks, readings[len(targets) :], today, done_on(plan)),
        calendar=deadline_calendar(tasks, today),
    )
