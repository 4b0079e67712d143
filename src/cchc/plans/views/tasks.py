"""The task page: details, progress reports and their review, deadline changes and their decision."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.accounts.permissions import ENTER, PLAN, has_unit_permission
from cchc.kit.downloads import stored_file
from cchc.kit.views import submit_form
from cchc.plans.forms import plans as forms
from cchc.plans.models import DeadlineChange, PlanStatus, TaskUpdate, UpdateState
from cchc.plans.reminders import working_days_late, working_days_left
from cchc.plans.services import tasks as task_services
from cchc.plans.views.common import task_or_404


@login_required
def task_detail(request, pk: int):
    task = task_or_404(request.user, pk)
    updates = list(
        TaskUpdate.objects.for_user(request.user)
        .filter(task=task)
        .select_related("reported_by", "reviewed_by")
    )
    changes = list(task.deadline_changes.select_related("requested_by", "decided_by"))
    may_report = has_unit_permission(request.user, ENTER, task.lead_unit)
    pending_update = next((u for u in updates if u.state == UpdateState.SUBMITTED), None)
    pending_change = next((c for c in changes if c.approved is None), None)
    may_act = may_report and task.plan.status != PlanStatus.CLOSED
    today = timezone.localdate()
    context = {
        "task": task,
        "plan": task.plan,
        "coordinating": task.coordinating_units.order_by("path"),
        "updates": updates,
        "changes": changes,
        "pending_update": pending_update,
        "pending_change": pending_change,
        "may_review": has_unit_permission(request.user, PLAN, task.plan.issuing_unit),
        "progress_form": forms.ProgressForm(initial={"status": task.status, "progress": task.progress})
        if may_act and pending_update is None
        else None,
        "deadline_form": forms.DeadlineRequestForm(
            initial={"new_kind": task.deadline_kind, "new_deadline": task.deadline}
        )
        if may_act and pending_change is None
        else None,
        "days_left": working_days_left(task.deadline, today) if task.deadline else None,
        "days_late": working_days_late(task.deadline, today) if task.deadline else 0,
    }
    return render(request, "plans/task_detail.html", context)


@login_required
@require_POST
def progress_report(request, pk: int):
    task = task_or_404(request.user, pk)
    submit_form(
        request,
        forms.ProgressForm(request.POST, request.FILES),
        lambda data: task_services.report_progress(actor=request.user, task=task, **data),
        success=_("Your report is sent for review."),
    )
    return redirect("plans:task", pk=task.pk)


@login_required
@require_POST
def update_review(request, pk: int):
    update = get_object_or_404(TaskUpdate.objects.for_user(request.user), pk=pk)
    accept = request.POST.get("decision") == "accept"
    submit_form(
        request,
        forms.ReviewForm(request.POST),
        lambda data: task_services.review_update(
            actor=request.user, update=update, accept=accept, comment=data["comment"]
        ),
        success=_("The report is accepted.") if accept else _("The report is returned to the lead unit."),
    )
    return redirect("plans:task", pk=update.task_id)


@login_required
@require_POST
def deadline_request(request, pk: int):
    task = task_or_404(request.user, pk)
    submit_form(
        request,
        forms.DeadlineRequestForm(request.POST),
        lambda data: task_services.request_deadline_change(actor=request.user, task=task, **data),
        success=_("The request for a new deadline is sent."),
    )
    return redirect("plans:task", pk=task.pk)


@login_required
@require_POST
def deadline_decide(request, pk: int):
    change = get_object_or_404(DeadlineChange.objects.for_user(request.user), pk=pk)
    approve = request.POST.get("decision") == "approve"
    submit_form(
        request,
        forms.DeadlineDecisionForm(request.POST),
        lambda data: task_services.decide_deadline_change(
            actor=request.user, change=change, approve=approve, comment=data["comment"]
        ),
        success=_("The new deadline is approved.") if approve else _("The request is refused."),
    )
    return redirect("plans:task", pk=change.task_id)


@login_required
def update_evidence(request, pk: int):
    """A progress update's evidence, served only to those who see the update: the lead unit, the units
    above it and its appraisers (querysets.ProgressQuerySet), not sibling units of the plan."""
    update = get_object_or_404(TaskUpdate.objects.for_user(request.user), pk=pk)
    return stored_file(update.evidence)
