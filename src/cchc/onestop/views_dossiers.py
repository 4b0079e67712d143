"""Dossier pages: the list behind a dashboard figure, one dossier, the overdue to-do list, procedures."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cchc.accounts.permissions import VIEW
from cchc.onestop import queries
from cchc.onestop.forms import ProcedureFilter
from cchc.onestop.models import Dossier, OnlineLevel, Procedure
from cchc.onestop.views import MEASURE_LABELS, chosen_unit, period_error_text, unit_choices, visible_units
from cchc.workdays.calendar import get_calendar, working_days_between

PAGE_SIZE = 50
ONE_DAY = datetime.timedelta(days=1)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def dossier_list(request):
    """The dossiers that one figure of the dashboard counts: ?unit=&period=&measure=[&field=]."""
    unit = chosen_unit(request)
    if unit is None:
        raise Http404
    raw_period = request.GET.get("period", "").strip() or str(timezone.localdate().year)
    measure = request.GET.get("measure", "received").strip()
    field = request.GET.get("field", "").strip()
    context: dict[str, Any] = {"unit": unit, "measure": measure, "field": field, "error": ""}
    try:
        period = queries.parse_period(raw_period)
    except ValueError:
        context["error"] = period_error_text(raw_period)
        return render(request, "onestop/dossier_list.html", context, status=400)
    if measure not in queries.MEASURES:
        raise Http404
    dossiers = queries.dossiers_behind(unit, period, measure) & Dossier.objects.for_user(request.user, VIEW)
    if field:
        dossiers = dossiers.filter(procedure__field=field)
    dossiers = dossiers.select_related("procedure", "unit").order_by("-received_at", "-pk")
    context |= {
        "period": period,
        "measure_label": MEASURE_LABELS.get(measure, measure),
        "page": _page(request, dossiers),
        "query": _query_without_page(request),
        "dashboard_query": urlencode({"unit": unit.pk, "period": period.key}),
    }
    return render(request, "onestop/dossier_list.html", context)


def _supplements(dossier: Dossier) -> list[dict[str, Any]]:
    rows = []
    for pair in dossier.supplements or []:
        requested, completed = [*pair, None, None][:2] if isinstance(pair, list | tuple) else (pair, None)
        rows.append({"requested": _moment(requested), "completed": _moment(completed)})
    return rows


def _moment(value: Any) -> Any:
    if not value:
        return None
    parsed = parse_datetime(str(value))
    return (
        timezone.localtime(parsed) if parsed is not None and timezone.is_aware(parsed) else (parsed or value)
    )


@login_required
def dossier_detail(request, pk: int):
    visible = Dossier.objects.for_user(request.user, VIEW).select_related("procedure", "unit")
    dossier = get_object_or_404(visible, pk=pk)
    context = {"dossier": dossier, "supplements": _supplements(dossier)}
    return render(request, "onestop/dossier_detail.html", context)


def working_days_overdue(overdue_from: datetime.datetime, today: datetime.date, calendar) -> int:
    """Working days after the day the deadline passed, up to today included; 0 on that day itself."""
    day = timezone.localtime(overdue_from).date()
    if today <= day:
        return 0
    return working_days_between(day + ONE_DAY, today, calendar=calendar)


@login_required
def overdue(request):
    """Pending dossiers past their deadline in the units the user may view, oldest deadline first."""
    units = visible_units(request.user)
    unit = None
    if request.GET.get("unit", "").strip():
        unit = chosen_unit(request)
        units = units.subtree(unit)
    page = _page(request, queries.overdue_todo(units))
    today, calendar = timezone.localdate(), get_calendar()
    rows = [(dossier, working_days_overdue(dossier.overdue_from, today, calendar)) for dossier in page]
    context = {
        "unit": unit,
        "units": unit_choices(request.user, unit),
        "page": page,
        "rows": rows,
        "query": _query_without_page(request),
    }
    return render(request, "onestop/overdue.html", context)


@login_required
def procedure_list(request):
    fields = list(Procedure.objects.order_by("field").values_list("field", flat=True).distinct())
    form = ProcedureFilter(request.GET or None, fields=fields)
    procedures = Procedure.objects.order_by("code")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            procedures = procedures.filter(Q(code__icontains=data["q"]) | Q(name__icontains=data["q"]))
        if data["field"]:
            procedures = procedures.filter(field=data["field"])
        if data["online"]:
            procedures = procedures.filter(online=data["online"])
    context = {
        "form": form,
        "page": _page(request, procedures),
        "query": _query_without_page(request),
        "levels": OnlineLevel,
    }
    return render(request, "onestop/procedure_list.html", context)
