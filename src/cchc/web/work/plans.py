"""Work in plans: tasks due, periodic reports to write, approve and review, progress updates and
deadline changes to decide. A fixed number of queries, whatever the number of rows."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from cchc.plans.models import (
    DeadlineChange,
    PlanStatus,
    ReportSchedule,
    ReportStatus,
    TaskUpdate,
    UnitReport,
    UpdateState,
)
from cchc.plans.reminders import PANEL_DAYS, open_tasks
from cchc.plans.reporting import REPORTING_TYPES
from cchc.units.models import Unit
from cchc.web.work.items import (
    DEADLINE_DECIDE,
    REPORT_APPROVE,
    REPORT_DUE,
    REPORT_REVIEW,
    TASK_DUE,
    UPDATE_REVIEW,
    WorkItem,
    dated,
    waiting,
)
from cchc.web.work.roles import REVIEWERS, Roles
from cchc.workdays.calendar import WorkCalendar, add_working_days

# A round stays on the list this long after its due date while its report has not gone out; older
# rounds are the reform office's business (the round's page lists who never reported).
REPORT_LOOK_BACK = datetime.timedelta(days=92)
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def work(user, roles: Roles, today: datetime.date, calendar: WorkCalendar) -> list[WorkItem]:
    horizon = add_working_days(today, PANEL_DAYS + 1, calendar=calendar)
    return [
        *_tasks_due(user, roles, today, horizon, calendar),
        *_reports_due(user, roles, today, horizon, calendar),
        *_reports_to_approve(user, roles, today, calendar),
        *_reports_to_review(user, roles, today, calendar),
        *_updates_to_review(user, roles, today, calendar),
        *_deadline_changes(user, roles, today, calendar),
    ]


def _tasks_due(user, roles, today, horizon, calendar) -> list[WorkItem]:
    """Open tasks the user's unit leads, overdue or due within PANEL_DAYS working days, unless a
    progress report already waits for review (the unit cannot send another until it is reviewed)."""
    if not roles.focal:
        return []
    tasks = (
        open_tasks()
        .for_user(user)
        .filter(lead_unit_id__in=roles.focal, deadline__lt=horizon)
        .exclude(updates__state=UpdateState.SUBMITTED)
    )
    return [
        dated(
            TASK_DUE,
            title=task.text,
            unit=task.lead_unit.name,
            url=reverse("plans:task", args=[task.pk]),
            deadline=task.deadline,
            today=today,
            calendar=calendar,
            detail=task.plan.number or task.plan.title,
        )
        for task in tasks
    ]


def _reports_due(user, roles, today, horizon, calendar) -> list[WorkItem]:
    """Rounds whose period is over (or ends within PANEL_DAYS working days) and whose report from the
    user's unit has not gone to its leader yet: not started, being written, or returned."""
    if not roles.focal:
        return []
    units = list(Unit.objects.filter(pk__in=roles.focal, type__in=REPORTING_TYPES))
    if not units:
        return []
    above = {path for unit in units for path in unit.ancestor_paths()[:-1]}
    schedules = list(
        ReportSchedule.objects.for_user(user)
        .filter(
            plan__status=PlanStatus.ISSUED,
            plan__issuing_unit__path__in=above,
            data_to__lt=horizon,
            due_on__gte=today - REPORT_LOOK_BACK,
        )
        .select_related("plan__issuing_unit")
    )
    reports = {
        (report.schedule_id, report.unit_id): report
        for report in UnitReport.objects.filter(schedule__in=schedules, unit__in=units)
    }
    items = []
    for schedule in schedules:
        issuer = schedule.plan.issuing_unit.path
        for unit in units:
            if not unit.path.startswith(issuer) or not unit.is_active_on(schedule.data_to):
                continue
            report = reports.get((schedule.pk, unit.pk))
            if report is not None and report.status not in EDITABLE:
                continue
            if report is None:
                url, state = reverse("plans:report-round", args=[schedule.pk]), _("Not started yet")
            else:
                url, state = reverse("plans:report-detail", args=[report.pk]), report.get_status_display()
            items.append(
                dated(
                    REPORT_DUE,
                    title=schedule.title,
                    unit=unit.name,
                    url=url,
                    deadline=schedule.due_on,
                    today=today,
                    calendar=calendar,
                    detail=state,
                )
            )
    return items


def _reports_to_approve(user, roles, today, calendar) -> list[WorkItem]:
    if not roles.leading:
        return []
    reports = (
        UnitReport.objects.for_user(user)
        .filter(status=ReportStatus.SUBMITTED, unit_id__in=roles.leading)
        .select_related("schedule", "unit")
    )
    return [
        dated(
            REPORT_APPROVE,
            title=report.schedule.title,
            unit=report.unit.name,
            url=reverse("plans:report-detail", args=[report.pk]),
            deadline=report.schedule.due_on,
            today=today,
            calendar=calendar,
        )
        for report in reports
    ]


def _reports_to_review(user, roles, today, calendar) -> list[WorkItem]:
    """Reports that reached the reform office of the plan's issuer: no deadline, waiting since approval."""
    condition = roles.under("schedule__plan__issuing_unit__path", *REVIEWERS)
    if condition is None:
        return []
    reports = (
        UnitReport.objects.for_user(user)
        .filter(condition, status=ReportStatus.APPROVED)
        .select_related("schedule", "unit")
    )
    return [
        waiting(
            REPORT_REVIEW,
            title=report.schedule.title,
            unit=report.unit.name,
            url=reverse("plans:report-detail", args=[report.pk]),
            since=report.approved_at,
            today=today,
            calendar=calendar,
        )
        for report in reports
    ]


def _updates_to_review(user, roles, today, calendar) -> list[WorkItem]:
    condition = roles.under("task__plan__issuing_unit__path", *REVIEWERS)
    if condition is None:
        return []
    updates = (
        TaskUpdate.objects.for_user(user)
        .filter(condition, state=UpdateState.SUBMITTED)
        .select_related("task__lead_unit")
    )
    return [
        waiting(
            UPDATE_REVIEW,
            title=update.task.text,
            unit=update.task.lead_unit.name,
            url=reverse("plans:task", args=[update.task_id]),
            since=update.reported_at,
            today=today,
            calendar=calendar,
            detail=_("%(progress)s %% reported") % {"progress": update.progress},
        )
        for update in updates
    ]


def _deadline_changes(user, roles, today, calendar) -> list[WorkItem]:
    condition = roles.under("task__plan__issuing_unit__path", *REVIEWERS)
    if condition is None:
        return []
    changes = (
        DeadlineChange.objects.for_user(user)
        .filter(condition, approved__isnull=True)
        .select_related("task__lead_unit")
    )
    return [
        waiting(
            DEADLINE_DECIDE,
            title=change.task.text,
            unit=change.task.lead_unit.name,
            url=reverse("plans:task", args=[change.task_id]),
            since=change.requested_at,
            today=today,
            calendar=calendar,
            detail=(
                _("New deadline asked: %(date)s") % {"date": f"{change.new_deadline:%d/%m/%Y}"}
                if change.new_deadline
                else ""
            ),
        )
        for change in changes
    ]
