"""What the plan pages share: scoped look-ups, running a service from a form, reading targets in bulk.

The pages themselves are in plan_views (plans, areas, targets), task_views and dashboard_views.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.accounts.permissions import ENTER, PLAN, has_unit_permission
from cchc.core import metrics
from cchc.core.metrics import Ratio
from cchc.core.periods import Period
from cchc.plans import queries
from cchc.plans.models import Measurement, Plan, PlanStatus, Target, TargetUnitValue, Task
from cchc.plans.scoping import plan_filter
from cchc.units.models import Unit

# How each state of a target looks: a Bootstrap colour and a word, so colour is never the only cue.
STATES = {
    queries.MET: {"css": "success", "label": _("Met")},
    queries.AT_RISK: {"css": "warning", "label": _("At risk")},
    queries.MISSED: {"css": "danger", "label": _("Missed")},
    queries.NO_DATA: {"css": "secondary", "label": _("No data")},
}


# -- scoped look-ups: whoever may not see the plan gets a 404 -------------------------------------


def plan_or_404(user, pk: int) -> Plan:
    return get_object_or_404(queries.plans_for(user), pk=pk)


def target_or_404(user, pk: int) -> Target:
    visible = (
        Target.objects.filter(plan_filter(user, "plan__"))
        .select_related("plan__issuing_unit", "plan__parent", "area")
        .prefetch_related("scope_units")
    )
    return get_object_or_404(visible, pk=pk)


def task_or_404(user, pk: int) -> Task:
    visible = Task.objects.filter(plan_filter(user, "plan__")).select_related(
        "plan__issuing_unit", "area", "lead_unit"
    )
    return get_object_or_404(visible, pk=pk)


def may_edit_plan(user, plan: Plan) -> bool:
    """The services' rule: PLAN on the issuer for a province plan, ENTER for a unit's own plan."""
    action = ENTER if plan.parent_id else PLAN
    return plan.status != PlanStatus.CLOSED and has_unit_permission(user, action, plan.issuing_unit)


# -- calling services -----------------------------------------------------------------------------


def attempt(request, action: Callable[[], Any], success: str = "") -> tuple[bool, Any]:
    """Run a service call. A ValidationError becomes messages; the service's transaction has then
    changed nothing. PermissionDenied is left to Django, which answers 403."""
    try:
        result = action()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return False, None
    if success:
        messages.success(request, success)
    return True, result


def form_errors_as_messages(request, form) -> None:
    """For the small forms on object pages: their errors go to the message area above the page."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def attach_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form, beside the field it names when the form has that field."""
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


# -- periods --------------------------------------------------------------------------------------


def default_period(plan: Plan, today: datetime.date) -> Period:
    """The current year, or the plan's nearest year when today lies outside its years."""
    year = min(max(today.year, plan.year_from), plan.year_to)
    return Period.parse(str(year))


def chosen_period(request, plan: Plan) -> tuple[Period, str]:
    """The period asked for in ?period=, or the default; with an error text for a bad one."""
    default = default_period(plan, timezone.localdate())
    raw = request.GET.get("period", "").strip()
    if not raw:
        return default, ""
    try:
        return Period.parse(raw), ""
    except ValueError:
        return default, _("“%(value)s” is not a period: write 2026, 2026-Q2, 2026-H1 or 2026-06.") % {
            "value": raw
        }


def period_choices(plan: Plan, current: Period) -> list[str]:
    keys = []
    for year in range(plan.year_from, plan.year_to + 1):
        keys += [f"{year}", f"{year}-H1", f"{year}-M9"] + [f"{year}-Q{q}" for q in range(1, 5)]
    if current.key not in keys:
        keys.append(current.key)
    return keys


# -- reading many targets at once ----------------------------------------------------------------


def overlaps(period: Period) -> Q:
    """Units that existed at some point of the period."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=period.end)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=period.start)
    )


def applies(target: Target, unit: Unit) -> bool:
    """Like services.plans.applies_to, but on prefetched scope_units (no query per unit)."""
    return target.applies_to_type(unit.type) or any(named.pk == unit.pk for named in target.scope_units.all())


def _summed(rows: list[tuple[str, Any, Any]], path: str) -> Ratio | None:
    """What queries.measured computes in SQL: sums over the unit and everything below it."""
    matching = [
        (numerator, denominator) for row_path, numerator, denominator in rows if row_path.startswith(path)
    ]
    if not matching:
        return None
    denominators = [denominator for _n, denominator in matching if denominator is not None]
    return Ratio(sum(n for n, _d in matching), sum(denominators) if denominators else None)


def metric_or_none(key: str) -> metrics.Metric | None:
    try:
        return metrics.get(key)
    except KeyError:  # the publishing module is not installed here: no data rather than a crash
        return None


def _metric(key: str, unit: Unit, period: Period) -> Ratio | None:
    metric = metric_or_none(key)
    return None if metric is None else metric.compute(unit, period)


def read_many(pairs: Iterable[tuple[Target, Unit]], period: Period) -> list[queries.TargetReading]:
    """queries.read_target for many (target, unit) pairs, with two queries for all manual targets
    instead of two per pair. Metric-backed targets still ask their metric, once per pair."""
    pairs = list(pairs)
    targets = {target.pk: target for target, _unit in pairs}
    roots = {pk: queries.root_target(t) for pk, t in targets.items() if t.data_source == "manual"}
    rows: dict[int, list[tuple[str, Any, Any]]] = defaultdict(list)
    if roots:
        found = Measurement.objects.filter(
            target__in={root.pk for root in roots.values()}, period=period.key
        ).values_list("target_id", "unit__path", "numerator", "denominator")
        for target_id, path, numerator, denominator in found:
            rows[target_id].append((path, numerator, denominator))
    goals = {
        (target_id, unit_id): value
        for target_id, unit_id, value in TargetUnitValue.objects.filter(target__in=targets).values_list(
            "target_id", "unit_id", "value"
        )
    }
    readings = []
    for target, unit in pairs:
        if target.pk in roots:
            ratio = _summed(rows[roots[target.pk].pk], unit.path)
        else:
            ratio = _metric(target.data_source, unit, period)
        goal = goals.get((target.pk, unit.pk), target.value)
        readings.append(queries.TargetReading(target, unit, period, ratio, goal))
    return readings
