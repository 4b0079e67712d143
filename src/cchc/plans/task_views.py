"""The task page: details, progress reports and their review, deadline changes and their decision."""

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.accounts.permissions import ENTER, PLAN, has_unit_permission
from cchc.plans import forms
from cchc.plans.models import DeadlineChange, PlanStatus, TaskUpdate, UpdateState
from cchc.plans.reminders import working_days_late, working_days_left
from cchc.plans.scoping import plan_filter
from cchc.plans.services import tasks as task_services
from cchc.plans.views import attempt, form_errors_as_messages, task_or_404


@login_required
def task_detail(request, pk: int):
    task = task_or_404(request.user, pk)
    updates = list(task.updates.select_related("reported_by", "reviewed_by"))
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
    form = forms.ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        attempt(
            request,
            lambda: task_services.report_progress(actor=request.user, task=task, **form.cleaned_data),
            _("Your report is sent for review."),
        )
    else:
        form_errors_as_messages(request, form)
    return redirect("plans:task", pk=task.pk)


@login_required
@require_POST
def update_review(request, pk: int):
    visible = TaskUpdate.objects.filter(plan_filter(request.user, "task__plan__"))
    update = get_object_or_404(visible, pk=pk)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        attempt(
            request,
            lambda: task_services.review_update(
                actor=request.user, update=update, accept=accept, comment=form.cleaned_data["comment"]
            ),
            _("The report is accepted.") if accept else _("The report is returned to the lead unit."),
        )
    else:
        form_errors_as_messages(request, form)
    return redirect("plans:task", pk=update.task_id)


@login_required
@require_POST
def deadline_request(request, pk: int):
    task = task_or_404(request.user, pk)
    form = forms.DeadlineRequestForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: task_services.request_deadline_change(actor=request.user, task=task, **form.cleaned_data),
            _("The request for a new deadline is sent."),
        )
    else:
        form_errors_as_messages(request, form)
    return redirect("plans:task", pk=task.pk)


@login_required
@require_POST
def deadline_decide(request, pk: int):
    visible = DeadlineChange.objects.filter(plan_filter(request.user, "task__plan__"))
    change = get_object_or_404(visible, pk=pk)
    form = forms.DeadlineDecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        attempt(
            request,
            lambda: task_services.decide_deadline_change(
                actor=request.user, change=change, approve=approve, comment=form.cleaned_data["comment"]
            ),
            _("The new deadline is approved.") if approve else _("The request is refused."),
        )
    else:
        form_errors_as_messages(request, form)
    return redirect("plans:task", pk=change.task_id)


@login_required
def update_evidence(request, pk: int):
    """A progress update's evidence, served only to those who see the task's plan."""
    update = get_object_or_404(TaskUpdate.objects.filter(plan_filter(request.user, "task__plan__")), pk=pk)
    if not update.evidence:
        raise Http404
    return FileResponse(
        update.evidence.open("rb"), as_attachment=True, filename=Path(update.evidence.name).name
    )
