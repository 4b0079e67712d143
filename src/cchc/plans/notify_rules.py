"""Which plan events become notifications, and for whom (read by cchc.notifications at start-up).

* A unit's report: submitted -> the unit's leaders; approved -> the reform office that issued the plan;
  returned or accepted -> the unit's focal points.
* A task's progress update or deadline-change request -> the reform office; its review -> the focal points.
* An inspection finding -> the focal points of the unit that must remedy it.
* Deadlines (the daily run): tasks (plans.reminders) and reports due 7, 3 and 1 working days ahead, and
  overdue ones on the first working day after and every fifth working day since.
"""

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.accounts.models import Role
from cchc.core.models import AuditEntry
from cchc.notifications import steps
from cchc.notifications.recipients import but, holders, holders_by_unit
from cchc.notifications.registry import Event, deadlines, kind, on_action
from cchc.plans import reminders
from cchc.plans.models import Finding, PlanStatus, ReportSchedule, ReportStatus, Task, UnitReport
from cchc.plans.reporting import expected_units

REPORT = kind("plans_report", gettext_lazy("Periodic report"))
TASK = kind("plans_task", gettext_lazy("Task"))
FINDING = kind("plans_finding", gettext_lazy("Inspection finding"))
REPORT_DEADLINE = kind("report_deadline", gettext_lazy("Report deadline"))
kind(reminders.TASK_DEADLINE, gettext_lazy("Task deadline"))

FOCAL = [Role.FOCAL_POINT]
OFFICE = [Role.REFORM_OFFICE]


def _key(entry: AuditEntry) -> str:
    return f"audit:{entry.pk}"


# -- reports ----------------------------------------------------------------------------------------


def _report(entry: AuditEntry) -> UnitReport | None:
    return (
        UnitReport.objects.select_related("unit", "schedule__plan__issuing_unit")
        .filter(pk=entry.object_id)
        .first()
    )


def _report_event(entry: AuditEntry, title: str, people) -> list[Event]:
    report = _report(entry)
    if report is None:
        return []
    return [
        Event(
            key=_key(entry),
            kind=REPORT,
            title=title % {"report": report.schedule.title, "unit": report.unit.name},
            recipients=but(people(report), entry.actor_id),
            body=entry.reason,
            link=reverse("plans:report-detail", args=[report.pk]),
            unit=report.unit,
        )
    ]


def report_submitted(entry: AuditEntry) -> list[Event]:
    return _report_event(
        entry,
        _("%(unit)s submitted “%(report)s” for your approval"),
        lambda report: holders(report.unit, [Role.LEADER]),
    )


def report_approved(entry: AuditEntry) -> list[Event]:
    return _report_event(
        entry,
        _("%(unit)s sent “%(report)s” for review"),
        lambda report: holders(report.schedule.plan.issuing_unit, OFFICE, covering=True),
    )


def report_returned(entry: AuditEntry) -> list[Event]:
    return _report_event(
        entry, _("“%(report)s” of %(unit)s was returned for corrections"), lambda r: holders(r.unit, FOCAL)
    )


def report_accepted(entry: AuditEntry) -> list[Event]:
    return _report_event(entry, _("“%(report)s” of %(unit)s was accepted"), lambda r: holders(r.unit, FOCAL))


# -- tasks ------------------------------------------------------------------------------------------


def _task_event(entry: AuditEntry, title: str, to_office: bool) -> list[Event]:
    task = Task.objects.select_related("plan__issuing_unit", "lead_unit").filter(pk=entry.object_id).first()
    if task is None:
        return []
    people = (
        holders(task.plan.issuing_unit, OFFICE, covering=True)
        if to_office
        else holders(task.lead_unit, FOCAL)
    )
    return [
        Event(
            key=_key(entry),
            kind=TASK,
            title=title % {"task": task.text[:200], "unit": task.lead_unit.name},
            recipients=but(people, entry.actor_id),
            body=entry.reason,
            link=reverse("plans:task", args=[task.pk]),
            unit=task.lead_unit,
        )
    ]


def _task_rule(title: str, to_office: bool):
    return lambda entry: _task_event(entry, title, to_office)


# -- findings ---------------------------------------------------------------------------------------


def finding_recorded(entry: AuditEntry) -> list[Event]:
    finding = Finding.objects.select_related("responsible_unit").filter(pk=entry.object_id).first()
    if finding is None:
        return []
    return [
        Event(
            key=_key(entry),
            kind=FINDING,
            title=_("An inspection finding for %(unit)s must be remedied by %(deadline)s")
            % {"unit": finding.responsible_unit.name, "deadline": f"{finding.deadline:%d/%m/%Y}"},
            recipients=but(holders(finding.responsible_unit, FOCAL), entry.actor_id),
            body=str(finding)[:500],
            link=reverse("plans:finding", args=[finding.pk]),
            unit=finding.responsible_unit,
        )
    ]


# -- report deadlines -------------------------------------------------------------------------------


def report_deadlines(today: datetime.date) -> list[Event]:
    """Units that have not yet sent a round's report (approved by their leader), as the due date nears."""
    schedules = ReportSchedule.objects.filter(
        plan__status=PlanStatus.ISSUED, due_on__lt=steps.horizon(today)
    ).select_related("plan__issuing_unit")
    pending: list[tuple[ReportSchedule, Any, tuple[str, int]]] = []
    for schedule in schedules:
        step = steps.step(schedule.due_on, today)
        if step is None:
            continue
        sent = set(
            UnitReport.objects.filter(schedule=schedule, approved_at__isnull=False).values_list(
                "unit_id", flat=True
            )
        )
        sent |= set(
            UnitReport.objects.filter(schedule=schedule, status=ReportStatus.ACCEPTED).values_list(
                "unit_id", flat=True
            )
        )
        pending += [(schedule, unit, step) for unit in expected_units(schedule) if unit.pk not in sent]
    people = holders_by_unit({unit.pk for _s, unit, _step in pending}, FOCAL)
    events = []
    for schedule, unit, step in pending:
        events.append(
            Event(
                key=f"plans.report:{schedule.pk}:{unit.pk}:{steps.step_key(step, schedule.due_on)}",
                kind=REPORT_DEADLINE,
                title=_("%(when)s: send the report “%(report)s”")
                % {"when": steps.step_words(step, schedule.due_on), "report": schedule.title},
                recipients=tuple(people.get(unit.pk, [])),
                body=_("Report of %(unit)s for the plan %(plan)s.")
                % {"unit": unit.name, "plan": schedule.plan.number or schedule.plan.title},
                link=reverse("plans:report-round", args=[schedule.pk]),
                unit=unit,
            )
        )
    return [event for event in events if event.recipients]


on_action("report.submit", report_submitted)
on_action("report.approve", report_approved)
on_action("report.return", report_returned)
on_action("report.accept", report_accepted)
on_action(
    "task.report", _task_rule(gettext_lazy("Progress reported on “%(task)s” (%(unit)s), to review"), True)
)
on_action(
    "task.request_deadline",
    _task_rule(gettext_lazy("%(unit)s asks to move the deadline of “%(task)s”"), True),
)
on_action(
    "task.accept_update", _task_rule(gettext_lazy("Your progress update on “%(task)s” was accepted"), False)
)
on_action(
    "task.return_update", _task_rule(gettext_lazy("Your progress update on “%(task)s” was returned"), False)
)
on_action(
    "task.approve_deadline", _task_rule(gettext_lazy("The new deadline of “%(task)s” was approved"), False)
)
on_action(
    "task.refuse_deadline", _task_rule(gettext_lazy("The deadline change of “%(task)s” was refused"), False)
)
on_action("finding.create", finding_recorded)
deadlines("plans.tasks", reminders.reminder_events)
deadlines("plans.reports", report_deadlines)
