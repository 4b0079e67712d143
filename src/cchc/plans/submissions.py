"""Who must send a round's report and whether each did so in time (docs/reports.md).

Kept apart from `reporting` (the consolidated report) because the published metrics read it too,
and the consolidated report reads targets through `queries`, which read the metrics.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from cchc.plans.models import ReportSchedule, ReportStatus, UnitReport
from cchc.units.models import Unit, UnitType

REPORTING_TYPES = (UnitType.AGENCY, UnitType.DISTRICT, UnitType.COMMUNE)
ARRIVED = (ReportStatus.APPROVED, ReportStatus.ACCEPTED)

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
PENDING = "pending"


def expected_units(schedule: ReportSchedule) -> QuerySet[Unit]:
    issuing = schedule.plan.issuing_unit
    return (
        Unit.objects.active_on(schedule.data_to)
        .filter(path__startswith=issuing.path, type__in=REPORTING_TYPES)
        .exclude(pk=issuing.pk)
        .order_by("type", "name")
    )


def timeliness(schedule: ReportSchedule, report: UnitReport | None, today: datetime.date) -> str:
    if report is not None and report.approved_at is not None:
        arrived = timezone.localtime(report.approved_at).date()
        return ON_TIME if arrived <= schedule.due_on else LATE
    return MISSING if today > schedule.due_on else PENDING


@dataclass(frozen=True)
class SubmissionRow:
    """One expected unit in a round: its report (if started) and whether it came in time."""

    unit: Unit
    report: UnitReport | None
    timeliness: str

    @property
    def status(self) -> str | None:
        return self.report.status if self.report else None


def submission_table(schedule: ReportSchedule, *, today: datetime.date | None = None) -> list[SubmissionRow]:
    today = today or timezone.localdate()
    reports = {report.unit_id: report for report in schedule.reports.select_related("unit")}
    return [
        SubmissionRow(unit, reports.get(unit.pk), timeliness(schedule, reports.get(unit.pk), today))
        for unit in expected_units(schedule)
    ]


@dataclass(frozen=True)
class SubmissionCounts:
    expected: int
    on_time: int
    late: int
    missing: int
    pending: int

    @classmethod
    def of(cls, rows: list[SubmissionRow]) -> "SubmissionCounts":
        count = [row.timeliness for row in rows].count
        return cls(len(rows), count(ON_TIME), count(LATE), count(MISSING), count(PENDING))
