"""Plans, their areas, targets and tasks; progress; periodic reports; inspections."""

from cchc.plans.models.inspections import Finding, Inspection, InspectionPlan
from cchc.plans.models.plans import (
    Comparator,
    Measurement,
    Plan,
    PlanArea,
    PlanStatus,
    ReformArea,
    Target,
    TargetUnit,
    TargetUnitValue,
)
from cchc.plans.models.reports import ReportKind, ReportSchedule, ReportStatus, UnitReport
from cchc.plans.models.tasks import DeadlineChange, DeadlineKind, Task, TaskStatus, TaskUpdate, UpdateState

__all__ = [
    "Comparator",
    "DeadlineChange",
    "DeadlineKind",
    "Finding",
    "Inspection",
    "InspectionPlan",
    "Measurement",
    "Plan",
    "PlanArea",
    "PlanStatus",
    "ReformArea",
    "ReportKind",
    "ReportSchedule",
    "ReportStatus",
    "Target",
    "TargetUnit",
    "TargetUnitValue",
    "Task",
    "TaskStatus",
    "TaskUpdate",
    "UnitReport",
    "UpdateState",
]
