"""The QĐ 766 service index of a unit, computed from our dossiers beside the official scores."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cchc.core.replica import reads_from_replica
from cchc.onestop.queries.index import index_report
from cchc.onestop.views.pickers import chosen_unit, picker


@login_required
@reads_from_replica
def service_index(request):
    unit = chosen_unit(request)
    period, context = picker(request, unit)
    if unit is not None:
        context["report"] = index_report(unit, period)
    return render(request, "onestop/index.html", context)
