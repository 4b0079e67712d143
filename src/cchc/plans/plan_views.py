"""Plan pages: the list, a plan with its areas, issuing and cascading, adding parts, and a target."""

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.accounts.permissions import ENTER, PLAN, ROLE_ACTIONS, has_any_permission, has_unit_permission
from cchc.plans import forms, queries
from cchc.plans.metrics import unit_plans_issued
from cchc.plans.models import Measurement, Plan, PlanStatus, Target
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services
from cchc.plans.views import (
    STATES,
    applies,
    attach_errors,
    attempt,
    chosen_period,
    default_period,
    form_errors_as_messages,
    may_edit_plan,
    metric_or_none,
    overlaps,
    period_choices,
    plan_or_404,
    read_many,
    target_or_404,
)
from cchc.units.models import Unit

ENTER_ROLES = [role for role, actions in ROLE_ACTIONS.items() if ENTER in actions]


@login_required
def plan_list(request):
    plans = (
        queries.plans_for(request.user)
        .annotate(target_count=Count("targets", distinct=True), task_count=Count("tasks", distinct=True))
        .order_by("-year_from", "issuing_unit__path", "pk")  # grouping drops Meta.ordering
    )
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    can_import = has_any_permission(request.user, PLAN)
    return render(request, "plans/plan_list.html", {"page": page, "can_import_plans": can_import})


def cascade_units(user, plan: Plan) -> list[Unit]:
    """The user's own units under the issuer that have no plan implementing this one yet."""
    if plan.status != PlanStatus.ISSUED:
        return []
    units = (
        Unit.objects.filter(role_assignments__user=user, role_assignments__role__in=ENTER_ROLES)
        .subtree(plan.issuing_unit)
        .exclude(pk=plan.issuing_unit_id)
        .exclude(plans__parent=plan)
        .active_on(timezone.localdate())
        .distinct()
    )
    return list(units.order_by("path"))


def _by_area(plan: Plan) -> list[dict[str, Any]]:
    """The plan's areas in order, each with its targets and tasks; unfiled ones come last."""
    areas: list[dict[str, Any]] = [{"area": area, "targets": [], "tasks": []} for area in plan.areas.all()]
    index = {entry["area"].pk: entry for entry in areas}
    loose: dict[str, Any] = {"area": None, "targets": [], "tasks": []}
    for target in plan.targets.all():
        index.get(target.area_id, loose)["targets"].append(target)
    for task in plan.tasks.select_related("lead_unit"):
        index.get(task.area_id, loose)["tasks"].append(task)
    return areas + ([loose] if loose["targets"] or loose["tasks"] else [])


@login_required
def plan_detail(request, pk: int):
    plan = plan_or_404(request.user, pk)
    today = timezone.localdate()
    year = default_period(plan, today)
    unit_plans = queries.plans_for(request.user).filter(parent=plan).order_by("issuing_unit__path")
    context = {
        "plan": plan,
        "areas": _by_area(plan),
        "unit_plans": unit_plans,
        # "Units that issued their own plan" is itself a target; the same metric counts them here.
        "issued_share": None if plan.parent_id else unit_plans_issued(plan.issuing_unit, year),
        "year": year,
        "can_edit": may_edit_plan(request.user, plan),
        "cascade_units": cascade_units(request.user, plan),
        "issue_form": forms.IssueForm(initial={"number": plan.number, "issued_on": today}),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
@require_POST
def plan_issue(request, pk: int):
    plan = plan_or_404(request.user, pk)
    form = forms.IssueForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: plan_services.issue_plan(actor=request.user, plan=plan, **form.cleaned_data),
            _("The plan is issued."),
        )
    else:
        form_errors_as_messages(request, form)
    return redirect("plans:plan", pk=plan.pk)


@login_required
@require_POST
def plan_cascade(request, pk: int):
    plan = plan_or_404(request.user, pk)
    unit_pk = request.POST.get("unit", "")
    unit = get_object_or_404(Unit.objects.for_user(request.user), pk=unit_pk if unit_pk.isdigit() else 0)
    done, own = attempt(
        request,
        lambda: plan_services.cascade_plan(actor=request.user, parent=plan, unit=unit),
        _("Your unit's plan was created from this one: complete it, then issue it."),
    )
    return redirect("plans:plan", pk=own.pk if done else plan.pk)


def _add_part(request, pk: int, form_class, heading: str, create):
    """GET shows the form; POST calls `create(plan, cleaned_data)`, which calls a service."""
    plan = plan_or_404(request.user, pk)
    if not may_edit_plan(request.user, plan):
        raise PermissionDenied
    extra = {} if form_class is forms.AreaForm else {"plan": plan}
    form = form_class(request.POST or None, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            create(plan, dict(form.cleaned_data))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("plans:plan", pk=plan.pk)
    return render(request, "plans/part_form.html", {"plan": plan, "form": form, "heading": heading})


@login_required
def area_add(request, pk: int):
    def create(plan, data):
        return plan_services.add_area(actor=request.user, plan=plan, **data)

    return _add_part(request, pk, forms.AreaForm, _("Add an area"), create)


@login_required
def target_add(request, pk: int):
    def create(plan, data):
        data["baseline"] = data["baseline"] or None
        return plan_services.add_target(actor=request.user, plan=plan, **data)

    return _add_part(request, pk, forms.TargetForm, _("Add a target"), create)


@login_required
def task_add(request, pk: int):
    def create(plan, data):
        data["coordinating_units"] = list(data["coordinating_units"])
        return task_services.add_task(actor=request.user, plan=plan, **data)

    return _add_part(request, pk, forms.TaskForm, _("Add a task"), create)


def target_units(target: Target, period) -> list[Unit]:
    """The plan's issuer (the value of its whole tree) and the units just below it that the target
    covers. Deeper units add into these rows; their own values show on their own plans."""
    issuer = target.plan.issuing_unit
    below = Unit.objects.filter(parent=issuer).filter(overlaps(period)).order_by("type", "name")
    return [issuer] + [unit for unit in below if applies(target, unit)]


@login_required
def target_detail(request, pk: int):
    target = target_or_404(request.user, pk)
    plan = target.plan
    period, period_error = chosen_period(request, plan)
    units = target_units(target, period)
    readings = read_many([(target, unit) for unit in units], period)
    manual = target.data_source == "manual"
    entered = {}
    enterable: list[Unit] = []
    if manual:
        # The figures each unit entered itself, beside the summed value, so a correction is easy.
        measurements = Measurement.objects.filter(
            target=queries.root_target(target), period=period.key, unit__in=units
        )
        entered = {row.unit_id: row for row in measurements}
        enterable = [unit for unit in units if has_unit_permission(request.user, ENTER, unit)]
    form = forms.MeasurementForm(
        units=Unit.objects.filter(pk__in=[unit.pk for unit in enterable]).order_by("path"),
        initial={"period": period.key},
    )
    context = {
        "target": target,
        "plan": plan,
        "period": period,
        "period_error": period_error,
        "periods": period_choices(plan, period),
        "rows": [{"reading": r, "entered": entered.get(r.unit.pk)} for r in readings],
        "states": STATES,
        "manual": manual,
        "metric": None if manual else metric_or_none(target.data_source),
        "form": form if enterable else None,
    }
    return render(request, "plans/target_detail.html", context)


@login_required
@require_POST
def measurement_add(request, pk: int):
    target = target_or_404(request.user, pk)
    form = forms.MeasurementForm(request.POST, units=Unit.objects.subtree(target.plan.issuing_unit))
    if form.is_valid():
        data = form.cleaned_data
        # Measurements live on the province's target; a unit plan's copy reads them from there.
        attempt(
            request,
            lambda: plan_services.record_measurement(
                actor=request.user, target=queries.root_target(target), **data
            ),
            _("The value is saved."),
        )
    else:
        form_errors_as_messages(request, form)
    period = request.POST.get("period", "").strip()
    url = reverse("plans:target", args=[target.pk])
    return redirect(f"{url}?{urlencode({'period': period})}" if period else url)


@login_required
def plan_document(request, pk: int):
    """The plan's source document, served only to those who see the plan."""
    plan = plan_or_404(request.user, pk)
    if not plan.source_document:
        raise Http404
    name = Path(plan.source_document.name).name
    return FileResponse(plan.source_document.open("rb"), as_attachment=True, filename=name)
