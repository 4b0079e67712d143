"""The dashboard of a unit: headline figures, the monthly trend, the units below, late dossiers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cchc.onestop.queries import dashboard as figures
from cchc.onestop.views.pickers import chosen_unit, picker


@login_required
def dashboard(request):
    unit = chosen_unit(request)
    period, context = picker(request, unit)
    if unit is not None:
        context |= figures.figures(unit, period)
    return render(request, "onestop/dashboard.html", context)
