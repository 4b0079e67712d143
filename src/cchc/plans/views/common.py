"""What the plan pages share: scoped look-ups, the plan's period picker, how target states look.

The pages themselves are the other modules of this package.
"""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.core.periods import Period
from cchc.kit.periods import chosen_period, period_choices
from cchc.plans import queries
from cchc.plans.models import Plan, Target, Task

# How each state of a target looks: a Bootstrap colour and a word, so colour is never the only cue.
STATES = {
    queries.MET: {"css": "success", "label": _("Met")},
    queries.AT_RISK: {"css": "warning", "label": _("At risk")},
    queries.MISSED: {"css": "danger", "label": _("Missed")},
    queries.NO_DATA: {"css": "secondary", "label": _("No data")},
}


# -- scoped look-ups: whoever may not see the plan gets a 404 -------------------------------------


def plan_or_404(user, pk: int) -> Plan:
    return get_object_or_404(Plan.objects.for_user(user).select_related("issuing_unit", "parent"), pk=pk)


def target_or_404(user, pk: int) -> Target:
    visible = (
        Target.objects.for_user(user)
        .select_related("plan__issuing_unit", "plan__parent", "area")
        .prefetch_related("scope_units")
    )
    return get_object_or_404(visible, pk=pk)


def task_or_404(user, pk: int) -> Task:
    visible = Task.objects.for_user(user).select_related("plan__issuing_unit", "area", "lead_unit")
    return get_object_or_404(visible, pk=pk)


# -- periods --------------------------------------------------------------------------------------


def default_period(plan: Plan, today: datetime.date) -> Period:
    """The current year, or the plan's nearest year when today lies outside its years."""
    year = min(max(today.year, plan.year_from), plan.year_to)
    return Period.parse(str(year))


def plan_period(request, plan: Plan) -> tuple[Period, str, list[str]]:
    """The period a plan page shows (?period=, else the default), the error text for a bad one, and
    the periods its picker offers: the plan's years with their halves and quarters."""
    period, error = chosen_period(request, default_period(plan, timezone.localdate()))
    return period, error, period_choices(range(plan.year_from, plan.year_to + 1), period)
