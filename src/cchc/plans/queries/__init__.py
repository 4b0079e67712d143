"""Reading the plans app: targets' values and states (`targets`), the plan pages' tables (`plans`),
the dashboard (`dashboard`) and the inspection pages (`inspections`).

What other modules read most, a target's value for a unit and period, is importable from here.
"""

from cchc.plans.queries.targets import (
    AT_RISK,
    MET,
    MISSED,
    NO_DATA,
    TargetReading,
    applies,
    goal_for,
    measured,
    overdue_tasks,
    overlaps,
    read_many,
    read_target,
    root_target,
)

__all__ = [
    "AT_RISK",
    "MET",
    "MISSED",
    "NO_DATA",
    "TargetReading",
    "applies",
    "goal_for",
    "measured",
    "overdue_tasks",
    "overlaps",
    "read_many",
    "read_target",
    "root_target",
]
