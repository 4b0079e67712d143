"""Inspection pages: the year's plans, each plan with its coverage, each inspection and its findings.

Objects are fetched through the models' `for_user` querysets, so a user outside the units concerned
gets 404. Changes are POST-only and go through the services (kit.views.submit_form): a refusal comes
back as a message carrying the service's own text and the page is shown again with what was typed;
an action the user may not take at all is a 403.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.accounts.permissions import ENTER, PLAN, has_any_permission, has_unit_permission, scope_filter
from cchc.core.models import AuditEntry
from cchc.kit.downloads import stored_file
from cchc.kit.views import paginate, submit_form
from cchc.plans.forms import inspections as forms
from cchc.plans.models import Finding, Inspection, InspectionPlan
from cchc.plans.queries import inspections as inspection_queries
from cchc.plans.services import inspections as services


def _year(raw: str | None) -> int:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


# Inspection plans


def _plan_list(request: HttpRequest, plan_form: forms.InspectionPlanForm | None = None) -> HttpResponse:
    year = _year(request.POST.get("year") or request.GET.get("year"))
    plans = inspection_queries.plans_of_year(request.user, year)
    can_plan = has_any_permission(request.user, PLAN)
    context = {
        "year": year,
        "plans": plans,
        "plan_form": (plan_form or forms.InspectionPlanForm(user=request.user, initial={"year": year}))
        if can_plan
        else None,
    }
    return render(request, "plans/inspections/plan_list.html", context)


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    return _plan_list(request)


@login_required
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    form = forms.InspectionPlanForm(request.POST, user=request.user)
    done, plan = submit_form(
        request, form, lambda data: services.create_inspection_plan(actor=request.user, **data)
    )
    if not done:
        return _plan_list(request, form)
    messages.success(request, _("Created the inspection plan %(plan)s.") % {"plan": plan})
    return redirect("plans:inspection-plan", pk=plan.pk)


def _plan_page(
    request: HttpRequest, plan: InspectionPlan, form: forms.InspectionForm | None = None
) -> HttpResponse:
    inspections = inspection_queries.inspections_with_counts(plan, timezone.localdate())
    rows = inspection_queries.coverage_rows(plan)
    can_plan = has_unit_permission(request.user, PLAN, plan.issuing_unit)
    context = {
        "plan": plan,
        "inspections": inspections,
        "coverage": rows,
        "can_plan": can_plan,
        "form": (form or forms.InspectionForm(plan=plan)) if can_plan else None,
    }
    return render(request, "plans/inspections/plan_detail.html", context)


def _get_plan(request: HttpRequest, pk: int) -> InspectionPlan:
    return get_object_or_404(
        InspectionPlan.objects.for_user(request.user).select_related("issuing_unit"), pk=pk
    )


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, _get_plan(request, pk))


@login_required
@require_POST
def inspection_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk)
    form = forms.InspectionForm(request.POST, plan=plan)
    done, inspection = submit_form(
        request, form, lambda data: services.add_inspection(actor=request.user, plan=plan, **data)
    )
    if not done:
        return _plan_page(request, plan, form)
    messages.success(request, _("Added %(unit)s to the plan.") % {"unit": inspection.inspected_unit.name})
    return redirect("plans:inspection-plan", pk=plan.pk)


# Inspections


def _get_inspection(request: HttpRequest, pk: int) -> Inspection:
    return get_object_or_404(
        Inspection.objects.for_user(request.user).select_related("plan__issuing_unit", "inspected_unit"),
        pk=pk,
    )


def _inspection_page(request: HttpRequest, inspection: Inspection, **bound: Any) -> HttpResponse:
    can_plan = has_unit_permission(request.user, PLAN, inspection.plan.issuing_unit)
    record_form = bound.get("record_form") or forms.RecordInspectionForm(
        initial={"done_on": inspection.done_on, "team": inspection.team, "conclusion": inspection.conclusion}
    )
    context = {
        "inspection": inspection,
        "plan_visible": InspectionPlan.objects.for_user(request.user).filter(pk=inspection.plan_id).exists(),
        "findings": Finding.objects.for_user(request.user)
        .filter(inspection=inspection)
        .select_related("responsible_unit", "area"),
        "today": timezone.localdate(),
        "can_plan": can_plan,
        "record_form": record_form if can_plan else None,
        "finding_form": (bound.get("finding_form") or forms.FindingForm(inspection=inspection))
        if can_plan and inspection.done_on
        else None,
    }
    return render(request, "plans/inspections/inspection_detail.html", context)


@login_required
@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _inspection_page(request, _get_inspection(request, pk))


@login_required
@require_POST
def inspection_record(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _get_inspection(request, pk)
    form = forms.RecordInspectionForm(request.POST)
    done, _result = submit_form(
        request,
        form,
        lambda data: services.record_inspection(actor=request.user, inspection=inspection, **data),
    )
    if not done:
        return _inspection_page(request, inspection, record_form=form)
    messages.success(request, _("Recorded the inspection."))
    return redirect("plans:inspection", pk=inspection.pk)


@login_required
@require_POST
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _get_inspection(request, pk)
    form = forms.FindingForm(request.POST, inspection=inspection)
    done, _result = submit_form(
        request, form, lambda data: services.add_finding(actor=request.user, inspection=inspection, **data)
    )
    if not done:
        return _inspection_page(request, inspection, finding_form=form)
    messages.success(request, _("Added the finding."))
    return redirect("plans:inspection", pk=inspection.pk)


# Findings

MINE, ALL = "mine", "all"


@login_required
@require_GET
def finding_list(request: HttpRequest) -> HttpResponse:
    """A focal point sees by default what its units must remedy; the reform office sees everything."""
    default = ALL if has_any_permission(request.user, PLAN) else MINE
    show = request.GET.get("show") if request.GET.get("show") in (MINE, ALL) else default
    state = request.GET.get("state", "")
    today = timezone.localdate()
    findings = Finding.objects.for_user(request.user).select_related(
        "responsible_unit", "inspection__inspected_unit", "inspection__plan"
    )
    if show == MINE:
        findings = findings.filter(scope_filter(request.user, ENTER, "responsible_unit__path")).exclude(
            state=Finding.VERIFIED
        )
    if state == "overdue":
        findings = inspection_queries.overdue(findings, today)
    elif state in dict(Finding.STATES):
        findings = findings.filter(state=state)
    page, query = paginate(request, findings.order_by("deadline", "pk"))
    context = {
        "page": page,
        "query": query,
        "show": show,
        "state": state,
        "states": forms.STATE_FILTERS,
        "today": today,
    }
    return render(request, "plans/inspections/finding_list.html", context)


def _get_finding(request: HttpRequest, pk: int) -> Finding:
    return get_object_or_404(
        Finding.objects.for_user(request.user).select_related(
            "inspection__plan__issuing_unit", "inspection__inspected_unit", "responsible_unit", "area"
        ),
        pk=pk,
    )


def _finding_page(request: HttpRequest, finding: Finding, **bound: Any) -> HttpResponse:
    may_report = finding.state == Finding.OPEN and has_unit_permission(
        request.user, ENTER, finding.responsible_unit
    )
    may_verify = finding.state == Finding.REMEDIED and has_unit_permission(
        request.user, PLAN, finding.inspection.plan.issuing_unit
    )
    reopened = (
        AuditEntry.objects.for_object(finding).filter(action="finding.reopen").first()
        if finding.state == Finding.OPEN
        else None
    )
    context = {
        "finding": finding,
        "today": timezone.localdate(),
        "inspection_visible": Inspection.objects.for_user(request.user)
        .filter(pk=finding.inspection_id)
        .exists(),
        "reopened": reopened,
        "remedy_form": (bound.get("remedy_form") or forms.RemedyForm()) if may_report else None,
        "verify_form": (bound.get("verify_form") or forms.VerifyForm()) if may_verify else None,
    }
    return render(request, "plans/inspections/finding_detail.html", context)


@login_required
@require_GET
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    finding = _get_finding(request, pk)
    if "evidence" in request.GET:  # behind the finding's scoping, never from a public media address
        return stored_file(finding.evidence)
    return _finding_page(request, finding)


@login_required
@require_POST
def finding_action(request: HttpRequest, pk: int) -> HttpResponse:
    """`action=report` (the responsible unit) or `action=verify` with a decision (the reform office)."""
    finding = _get_finding(request, pk)
    action = request.POST.get("action")
    if action == "report":
        form: Any = forms.RemedyForm(request.POST, request.FILES)
        done, _result = submit_form(
            request, form, lambda data: services.report_remedy(actor=request.user, finding=finding, **data)
        )
        success, key = _("The remedy was reported; it now awaits verification."), "remedy_form"
    elif action == "verify":
        form = forms.VerifyForm(request.POST)
        accept = request.POST.get("decision") == forms.VerifyForm.ACCEPT
        done, _result = submit_form(
            request,
            form,
            lambda data: services.verify_remedy(
                actor=request.user, finding=finding, accept=accept, reason=data["reason"]
            ),
        )
        success = _("The remedy was verified.") if accept else _("The finding was reopened.")
        key = "verify_form"
    else:
        messages.error(request, _("Unknown action."))
        return redirect("plans:finding", pk=finding.pk)
    if not done:
        return _finding_page(request, finding, **{key: form})
    messages.success(request, success)
    return redirect("plans:finding", pk=finding.pk)
