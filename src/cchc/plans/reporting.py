"""Reading the periodic reports: who must report, who did so in time, and the province's summary.

Rules (docs/reports.md):
- expected to report: the agencies, districts and communes under the plan's issuing unit that
  exist on the round's data cut-off day (`data_to`); the issuing unit itself and sub-units
  (divisions inside an agency) are not;
- on time: the report reached the reform office (`approved_at`, local date) on or before `due_on`;
  late: it reached it after; missing: `due_on` has passed and it never reached it; pending: not
  yet due and not yet arrived;
- the consolidated report reads the reports that reached the reform office (approved or accepted).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cchc.core.metrics import Ratio
from cchc.core.periods import Period
from cchc.plans.models import (
    DeadlineKind,
    ReportSchedule,
    Target,
    TaskStatus,
    UnitReport,
)
from cchc.plans.models.plans import compare
from cchc.plans.queries.targets import read_many
from cchc.plans.submissions import (
    ARRIVED,
    LATE,
    MISSING,
    ON_TIME,
    PENDING,
    REPORTING_TYPES,
    SubmissionCounts,
    SubmissionRow,
    expected_units,
    submission_table,
    timeliness,
)
from cchc.units.models import Unit

# Who reports and when (`submissions`) is read from here too, by the report's pages and files.
__all__ = [
    "ARRIVED",
    "LATE",
    "MISSING",
    "ON_TIME",
    "PENDING",
    "REPORTING_TYPES",
    "ConsolidatedReport",
    "SubmissionCounts",
    "SubmissionRow",
    "TargetResult",
    "consolidated_report",
    "expected_units",
    "submission_table",
    "timeliness",
]

EXCERPT_LENGTH = 300


def is_overdue(line: dict[str, Any], on: datetime.date) -> bool:
    """A task line still open whose deadline fell on or before `on`; ongoing tasks never are."""
    if line["status"] in (TaskStatus.DONE, TaskStatus.CANCELLED):
        return False
    if line.get("deadline_kind") == DeadlineKind.RECURRING or not line.get("deadline"):
        return False
    return datetime.date.fromisoformat(line["deadline"]) <= on


@dataclass
class TaskCounts:
    total: int = 0
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    cancelled: int = 0
    overdue: int = 0

    def add(self, line: dict[str, Any], cut_off: datetime.date) -> None:
        self.total += 1
        attribute = {
            TaskStatus.DONE: "done",
            TaskStatus.IN_PROGRESS: "in_progress",
            TaskStatus.CANCELLED: "cancelled",
        }.get(line["status"], "not_started")
        setattr(self, attribute, getattr(self, attribute) + 1)
        self.overdue += is_overdue(line, cut_off)

    @property
    def done_share(self) -> Decimal | None:
        """Done among the tasks still to do (cancelled ones do not count); None without tasks."""
        base = self.total - self.cancelled
        return Decimal(self.done) / base if base else None


@dataclass
class AreaProgress:
    """Task counts of one area, for one unit or (unit None) for all units together."""

    area: str
    unit: Unit | None
    counts: TaskCounts = field(default_factory=TaskCounts)


@dataclass(frozen=True)
class TargetResult:
    target: Target
    ratio: Ratio | None
    units_with_data: int | None  # None when the value comes from a published metric

    @property
    def value(self) -> Decimal | None:
        return None if self.ratio is None else self.ratio.value

    @property
    def met(self) -> bool | None:
        value = self.value
        return None if value is None else compare(value, self.target.comparator, self.target.value)


@dataclass(frozen=True)
class Narrative:
    unit: Unit
    excerpt: str


@dataclass
class ConsolidatedReport:
    """Everything the province's report and its annexes say about one round."""

    schedule: ReportSchedule
    submissions: list[SubmissionRow]
    counts: SubmissionCounts
    areas: list[AreaProgress]
    unit_areas: list[AreaProgress]
    targets: list[TargetResult]
    narratives: list[Narrative]

    @property
    def overdue(self) -> int:
        return sum(area.counts.overdue for area in self.areas)


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0]
    return f"{cut}…"


def _area_progress(
    schedule: ReportSchedule, reports: list[UnitReport]
) -> tuple[list[AreaProgress], list[AreaProgress]]:
    plan_order = list(schedule.plan.areas.values_list("title", flat=True))
    totals: dict[str, AreaProgress] = {}
    per_unit: list[AreaProgress] = []
    for report in reports:
        mine: dict[str, AreaProgress] = {}
        for line in report.task_lines:
            area = line.get("area") or ""
            mine.setdefault(area, AreaProgress(area, report.unit)).counts.add(line, schedule.data_to)
            totals.setdefault(area, AreaProgress(area, None)).counts.add(line, schedule.data_to)
        per_unit += sorted(mine.values(), key=lambda row: _area_key(row.area, plan_order))
    return sorted(totals.values(), key=lambda row: _area_key(row.area, plan_order)), per_unit


def _area_key(area: str, plan_order: list[str]) -> tuple[int, str]:
    """The plan's own order of areas; areas it does not have (and "no area") come after."""
    return (plan_order.index(area) if area in plan_order else len(plan_order) + (area == ""), area)


def _target_results(schedule: ReportSchedule) -> list[TargetResult]:
    """Each target of the plan with its value for the round's period over the issuing unit and
    every unit below it: the very reading the plan's dashboard shows for that period."""
    plan = schedule.plan
    targets = list(plan.targets.select_related("area"))
    period = Period.parse(schedule.period)
    readings = read_many([(target, plan.issuing_unit) for target in targets], period)
    return [TargetResult(reading.target, reading.ratio, reading.units_with_data) for reading in readings]


def consolidated_report(
    schedule: ReportSchedule, *, today: datetime.date | None = None
) -> ConsolidatedReport:
    submissions = submission_table(schedule, today=today)
    arrived = [row.report for row in submissions if row.report is not None and row.status in ARRIVED]
    areas, unit_areas = _area_progress(schedule, arrived)
    return ConsolidatedReport(
        schedule=schedule,
        submissions=submissions,
        counts=SubmissionCounts.of(submissions),
        areas=areas,
        unit_areas=unit_areas,
        targets=_target_results(schedule),
        narratives=[
            Narrative(report.unit, excerpt(report.narrative)) for report in arrived if report.narrative
        ],
    )
