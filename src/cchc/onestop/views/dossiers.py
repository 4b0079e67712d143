"""Dossier pages: the list behind a dashboard figure, one dossier, the overdue to-do list."""

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from cchc.accounts.permissions import VIEW, has_unit_permission
from cchc.kit.views import paginate
from cchc.onestop.models import Dossier
from cchc.onestop.queries import dossiers as queries
from cchc.onestop.queries.dashboard import MEASURE_LABELS
from cchc.onestop.views.pickers import chosen_period, chosen_unit, unit_choices

PAGE_SIZE = 50


@login_required
def dossier_list(request):
    """The dossiers that one figure of the dashboard counts: ?unit=&period=&measure=[&field=]."""
    unit = chosen_unit(request)
    if unit is None:
        raise Http404
    period, period_error = chosen_period(request)
    measure = request.GET.get("measure", "received").strip()
    field = request.GET.get("field", "").strip()
    context: dict[str, Any] = {"unit": unit, "measure": measure, "field": field, "error": period_error}
    if period_error:
        return render(request, "onestop/dossier_list.html", context, status=400)
    if measure not in queries.MEASURES:
        raise Http404
    dossiers = Dossier.objects.for_user(request.user, VIEW)
    whole = has_unit_permission(request.user, VIEW, unit)
    listed = queries.newest_first(dossiers, unit, period, measure, field, whole_subtree=whole)
    page, query = paginate(request, listed, PAGE_SIZE)
    context |= {
        "period": period,
        "measure_label": MEASURE_LABELS.get(measure, measure),
        "page": page,
        "query": query,
        "dashboard_query": urlencode({"unit": unit.pk, "period": period.key}),
    }
    return render(request, "onestop/dossier_list.html", context)


@login_required
def dossier_detail(request, pk: int):
    visible = Dossier.objects.for_user(request.user, VIEW).select_related("procedure", "unit")
    dossier = get_object_or_404(visible, pk=pk)
    context = {"dossier": dossier, "supplements": queries.supplements(dossier)}
    return render(request, "onestop/dossier_detail.html", context)


@login_required
def overdue(request):
    """Pending dossiers past their deadline in the units the user may view, oldest deadline first."""
    dossiers = Dossier.objects.for_user(request.user, VIEW)
    unit = None
    if request.GET.get("unit", "").strip():
        unit = chosen_unit(request)
        dossiers = dossiers.filter(unit__path__startswith=unit.path)
    now = timezone.now()
    listed = queries.OldestDeadlineFirst(queries.overdue_todo(dossiers, now=now), now=now)
    page, query = paginate(request, listed, PAGE_SIZE)
    context = {
        "unit": unit,
        "units": unit_choices(request.user, unit),
        "page": page,
        "rows": queries.overdue_rows(page),
        "query": query,
    }
    return render(request, "onestop/overdue.html", context)
