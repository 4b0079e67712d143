"""Plan pages: the list, a plan with its areas, issuing and cascading, adding parts, and a target."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.accounts.permissions import ENTER, PLAN, has_any_permission, has_unit_permission
from cchc.core import metrics
from cchc.kit.downloads import stored_file
from cchc.kit.views import paginate, run_service, submit_form
from cchc.plans import queries
from cchc.plans.forms import plans as forms
from cchc.plans.models import Plan
from cchc.plans.queries import plans as plan_queries
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services
from cchc.plans.views.common import (
    STATES,
    default_period,
    plan_or_404,
    plan_period,
    target_or_404,
)
from cchc.units.models import Unit


@login_required
def plan_list(request):
    page, _query = paginate(request, plan_queries.plan_list(request.user))
    can_import = has_any_permission(request.user, PLAN)
    return render(request, "plans/plan_list.html", {"page": page, "can_import_plans": can_import})


@login_required
def plan_detail(request, pk: int):
    plan = plan_or_404(request.user, pk)
    today = timezone.localdate()
    year = default_period(plan, today)
    unit_plans = (
        Plan.objects.for_user(request.user)
        .filter(parent=plan)
        .select_related("issuing_unit", "parent")
        .order_by("issuing_unit__path")
    )
    context = {
        "plan": plan,
        "areas": plan_queries.by_area(plan),
        "unit_plans": unit_plans,
        "issued_share": None if plan.parent_id else plan_queries.units_that_issued_plans(plan, year),
        "year": year,
        "can_edit": plan_services.may_edit(request.user, plan),
        "cascade_units": plan_queries.cascade_units(request.user, plan),
        "issue_form": forms.IssueForm(initial={"number": plan.number, "issued_on": today}),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
@require_POST
def plan_issue(request, pk: int):
    plan = plan_or_404(request.user, pk)
    submit_form(
        request,
        forms.IssueForm(request.POST),
        lambda data: plan_services.issue_plan(actor=request.user, plan=plan, **data),
        success=_("The plan is issued."),
    )
    return redirect("plans:plan", pk=plan.pk)


@login_required
@require_POST
def plan_cascade(request, pk: int):
    plan = plan_or_404(request.user, pk)
    unit_pk = request.POST.get("unit", "")
    unit = get_object_or_404(Unit.objects.for_user(request.user), pk=unit_pk if unit_pk.isdigit() else 0)
    done, own = run_service(
        request,
        lambda: plan_services.cascade_plan(actor=request.user, parent=plan, unit=unit),
        success=_("Your unit's plan was created from this one: complete it, then issue it."),
    )
    return redirect("plans:plan", pk=own.pk if done else plan.pk)


def _add_part(request, pk: int, form_class, heading: str, create):
    """GET shows the form; POST calls `create(plan, cleaned_data)`, which calls a service."""
    plan = plan_or_404(request.user, pk)
    if not plan_services.may_edit(request.user, plan):
        raise PermissionDenied
    extra = {} if form_class is forms.AreaForm else {"plan": plan}
    form = form_class(request.POST or None, **extra)
    if request.method == "POST" and form.is_valid():
        done, _part = run_service(request, lambda: create(plan, dict(form.cleaned_data)), form=form)
        if done:
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


@login_required
def target_detail(request, pk: int):
    target = target_or_404(request.user, pk)
    plan = target.plan
    period, period_error, periods = plan_period(request, plan)
    units = plan_queries.target_units(target, period)
    readings = queries.read_many([(target, unit) for unit in units], period)
    manual = target.data_source == "manual"
    entered = {}
    enterable: list[Unit] = []
    if manual:
        entered = plan_queries.entered(target, period, units)
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
        "periods": periods,
        "rows": [{"reading": r, "entered": entered.get(r.unit.pk)} for r in readings],
        "states": STATES,
        "manual": manual,
        "metric": None if manual else metrics.find(target.data_source),
        "form": form if enterable else None,
    }
    return render(request, "plans/target_detail.html", context)


@login_required
@require_POST
def measurement_add(request, pk: int):
    target = target_or_404(request.user, pk)
    form = forms.MeasurementForm(request.POST, units=Unit.objects.subtree(target.plan.issuing_unit))
    # Measurements live on the province's target; a unit plan's copy reads them from there.
    submit_form(
        request,
        form,
        lambda data: plan_services.record_measurement(
            actor=request.user, target=queries.root_target(target), **data
        ),
        success=_("The value is saved."),
    )
    period = request.POST.get("period", "").strip()
    url = reverse("plans:target", args=[target.pk])
    return redirect(f"{url}?{urlencode({'period': period})}" if period else url)


@login_required
def plan_document(request, pk: int):
    """The plan's source document, served only to those who see the plan."""
    plan = plan_or_404(request.user, pk)
    return stored_file(plan.source_document, plan.source_name)
