"""Who acts in the demo's survey and feedback stories, and the working days they act on."""

import datetime
from dataclasses import dataclass
from typing import Any

from cchc.accounts.models import Role, RoleAssignment
from cchc.units.models import Unit
from cchc.workdays.calendar import is_working_day

PAST_YEAR, CURRENT_YEAR = 2025, 2026
ONE_DAY = datetime.timedelta(days=1)


@dataclass
class People:
    planner: Any  # the reform office: runs the campaigns, routes and closes feedback
    organiser: Unit
    focal: dict[int, Any]  # unit id -> the unit's focal point (enters paper forms, answers feedback)

    def handler(self, unit: Unit | None) -> Any:
        return self.focal.get(unit.pk, self.planner) if unit is not None else self.planner


def find_people(planner: Any, organiser: Unit) -> People:
    focal: dict[int, Any] = {}
    assignments = RoleAssignment.objects.filter(
        unit__path__startswith=organiser.path, user__is_active=True, role=Role.FOCAL_POINT
    ).select_related("user")
    for assignment in assignments.order_by("user__username"):
        focal.setdefault(assignment.unit_id, assignment.user)
    return People(planner=planner, organiser=organiser, focal=focal)


def working_days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days, day = [], first
    while day <= last:
        if is_working_day(day):
            days.append(day)
        day += ONE_DAY
    return days or [last]


def working_days_back(day: datetime.date, count: int) -> datetime.date:
    while count > 0:
        day -= ONE_DAY
        if is_working_day(day):
            count -= 1
    return day
