"""Tasks, the progress their lead units report, and deadline changes."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.permissions import ENTER, PLAN, require
from cchc.core import audit
from cchc.core.evidence import check_evidence
from cchc.plans.models import (
    DeadlineChange,
    DeadlineKind,
    Plan,
    PlanArea,
    Task,
    TaskStatus,
    TaskUpdate,
    UpdateState,
)
from cchc.plans.services.plans import check_not_closed, require_plan_editor
from cchc.units.models import Unit


def _check_units(plan: Plan, lead_unit: Unit, coordinating_units: list[Unit]) -> None:
    """The lead unit belongs to the plan's own tree; coordinating units to the tree of the plan at the
    top of the chain (a unit plan's task may be helped by a sister agency)."""
    top = plan
    while top.parent_id:
        top = top.parent  # type: ignore[assignment]
    if not lead_unit.path.startswith(plan.issuing_unit.path):
        raise ValidationError(
            {
                "lead_unit": _("%(unit)s is not under the unit that issued this plan.")
                % {"unit": lead_unit.name}
            }
        )
    for unit in coordinating_units:
        if not unit.path.startswith(top.issuing_unit.path):
            raise ValidationError(
                {
                    "coordinating_units": _("%(unit)s is not under the unit that issued this plan.")
                    % {"unit": unit.name}
                }
            )


TASK_FIELDS = [
    "order",
    "area",
    "code",
    "text",
    "lead_unit",
    "deadline_kind",
    "deadline",
    "expected_product",
    "status",
    "progress",
]


def _check_deadline(kind: str, deadline: datetime.date | None) -> None:
    if kind not in DeadlineKind.values:
        raise ValidationError({"deadline_kind": _("Unknown kind of deadline %(kind)s.") % {"kind": kind}})
    if kind != DeadlineKind.RECURRING and deadline is None:
        raise ValidationError({"deadline": _("Give the deadline, or mark the task as ongoing.")})


@transaction.atomic
def add_task(
    *,
    actor: Any,
    plan: Plan,
    text: str,
    lead_unit: Unit,
    deadline_kind: str = DeadlineKind.DATE,
    deadline: datetime.date | None = None,
    coordinating_units: list[Unit] | None = None,
    area: PlanArea | None = None,
    expected_product: str = "",
    code: str = "",
    order: int = 0,
) -> Task:
    require_plan_editor(actor, plan)
    check_not_closed(plan)
    if not text.strip():
        raise ValidationError({"text": _("The task needs a text.")})
    _check_deadline(deadline_kind, deadline)
    if area is not None and area.plan_id != plan.pk:
        raise ValidationError({"area": _("The area belongs to another plan.")})
    _check_units(plan, lead_unit, coordinating_units or [])
    task = Task.objects.create(
        plan=plan,
        text=text.strip(),
        lead_unit=lead_unit,
        deadline_kind=deadline_kind,
        deadline=None if deadline_kind == DeadlineKind.RECURRING else deadline,
        area=area,
        expected_product=expected_product.strip(),
        code=code,
        order=order,
    )
    if coordinating_units:
        task.coordinating_units.set(coordinating_units)
    audit.record(
        actor=actor, action="task.create", obj=task, unit=lead_unit, after=audit.snapshot(task, TASK_FIELDS)
    )
    return task


@transaction.atomic
def report_progress(
    *, actor: Any, task: Task, status: str, progress: int, narrative: str, evidence: Any = None
) -> TaskUpdate:
    """The lead unit reports; the task's own figures change only when the reform office accepts."""
    require(actor, ENTER, task.lead_unit)
    check_not_closed(task.plan)
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Unknown status %(status)s.") % {"status": status}})
    if not 0 <= int(progress) <= 100:
        raise ValidationError({"progress": _("Progress is a percentage between 0 and 100.")})
    if status == TaskStatus.DONE and int(progress) != 100:
        raise ValidationError({"progress": _("A finished task must show 100 per cent progress.")})
    if not narrative.strip():
        raise ValidationError({"narrative": _("Say what was done.")})
    if TaskUpdate.objects.filter(task=task, state=UpdateState.SUBMITTED).exists():
        raise ValidationError(_("An earlier update of this task is still awaiting review."))
    update = TaskUpdate(
        task=task, reported_by=actor, status=status, progress=int(progress), narrative=narrative.strip()
    )
    if evidence:
        check_evidence(evidence)
        update.evidence = evidence
    update.save()
    audit.record(
        actor=actor,
        action="task.report",
        obj=task,
        unit=task.lead_unit,
        after={"status": status, "progress": int(progress), "update": update.pk},
    )
    return update


@transaction.atomic
def review_update(*, actor: Any, update: TaskUpdate, accept: bool, comment: str = "") -> TaskUpdate:
    update = (
        TaskUpdate.objects.select_for_update().select_related("task__plan__issuing_unit").get(pk=update.pk)
    )
    task = update.task
    require(actor, PLAN, task.plan.issuing_unit)
    if update.state != UpdateState.SUBMITTED:
        raise ValidationError(_("This update has already been reviewed."))
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Say why the update is returned.")})
    update.state = UpdateState.ACCEPTED if accept else UpdateState.RETURNED
    update.reviewed_by, update.reviewed_at, update.review_comment = actor, timezone.now(), comment.strip()
    update.save()
    if accept:
        before = audit.snapshot(task, TASK_FIELDS)
        task.status, task.progress = update.status, update.progress
        task.save(update_fields=["status", "progress"])
        audit.record(
            actor=actor,
            action="task.accept_update",
            obj=task,
            unit=task.lead_unit,
            before=before,
            after=audit.snapshot(task, TASK_FIELDS),
            reason=comment,
        )
    else:
        audit.record(
            actor=actor,
            action="task.return_update",
            obj=task,
            unit=task.lead_unit,
            after={"update": update.pk},
            reason=comment,
        )
    return update


@transaction.atomic
def request_deadline_change(
    *, actor: Any, task: Task, new_kind: str, new_deadline: datetime.date | None, reason: str
) -> DeadlineChange:
    require(actor, ENTER, task.lead_unit)
    _check_deadline(new_kind, new_deadline)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the new deadline.")})
    if task.deadline_changes.filter(approved__isnull=True).exists():
        raise ValidationError(_("An earlier request for this task is still awaiting a decision."))
    change = DeadlineChange.objects.create(
        task=task,
        old_kind=task.deadline_kind,
        old_deadline=task.deadline,
        new_kind=new_kind,
        new_deadline=None if new_kind == DeadlineKind.RECURRING else new_deadline,
        reason=reason.strip(),
        requested_by=actor,
    )
    audit.record(
        actor=actor,
        action="task.request_deadline",
        obj=task,
        unit=task.lead_unit,
        after={"new_kind": new_kind, "new_deadline": audit.json_value(new_deadline)},
        reason=reason,
    )
    return change


@transaction.atomic
def decide_deadline_change(
    *, actor: Any, change: DeadlineChange, approve: bool, comment: str = ""
) -> DeadlineChange:
    change = (
        DeadlineChange.objects.select_for_update()
        .select_related("task__plan__issuing_unit")
        .get(pk=change.pk)
    )
    task = change.task
    require(actor, PLAN, task.plan.issuing_unit)
    if change.approved is not None:
        raise ValidationError(_("This request has already been decided."))
    change.approved, change.decided_by, change.decided_at = approve, actor, timezone.now()
    change.save()
    before = audit.snapshot(task, TASK_FIELDS)
    if approve:
        task.deadline_kind, task.deadline = change.new_kind, change.new_deadline
        task.save(update_fields=["deadline_kind", "deadline"])
    audit.record(
        actor=actor,
        action="task.approve_deadline" if approve else "task.refuse_deadline",
        obj=task,
        unit=task.lead_unit,
        before=before,
        after=audit.snapshot(task, TASK_FIELDS),
        reason=comment or change.reason,
    )
    if approve:
        # The copies of the task in unit plans follow, or they would turn overdue on the old date.
        for copy in Task.objects.filter(parent=task).select_related("lead_unit"):
            copy_before = audit.snapshot(copy, TASK_FIELDS)
            copy.deadline_kind, copy.deadline = change.new_kind, change.new_deadline
            copy.save(update_fields=["deadline_kind", "deadline"])
            audit.record(
                actor=actor,
                action="task.approve_deadline",
                obj=copy,
                unit=copy.lead_unit,
                before=copy_before,
                after=audit.snapshot(copy, TASK_FIELDS),
                reason=comment or change.reason,
            )
    return change


@transaction.atomic
def update_task(*, actor: Any, task: Task, reason: str = "", **changes: Any) -> Task:
    """Edit a task's wording, area, product or lead unit; deadlines change through a request, status
    and progress through accepted updates."""
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    require_plan_editor(actor, task.plan)
    check_not_closed(task.plan)
    allowed = {"code", "text", "area", "lead_unit", "expected_product", "order"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    before = audit.snapshot(task, TASK_FIELDS)
    for field, value in changes.items():
        setattr(task, field, value.strip() if isinstance(value, str) else value)
    if not task.text:
        raise ValidationError({"text": _("The task needs a text.")})
    if task.area is not None and task.area.plan_id != task.plan_id:
        raise ValidationError({"area": _("The area belongs to another plan.")})
    _check_units(task.plan, task.lead_unit, [])
    task.save()
    after = audit.snapshot(task, TASK_FIELDS)
    if after != before:
        audit.record(
            actor=actor,
            action="task.update",
            obj=task,
            unit=task.lead_unit,
            before=before,
            after=after,
            reason=reason,
        )
    return task
