"""The dashboard of a unit: headline figures, the monthly trend, the units below, late dossiers."""

from django.contrib.auth.decorators import login_required
from django.db.models import Min
from django.shortcuts import render

from cchc.core.replica import reads_from_replica
from cchc.onestop.models import FeedSource
from cchc.onestop.queries import dashboard as figures
from cchc.onestop.views.pickers import chosen_unit, picker


@login_required
@reads_from_replica
def dashboard(request):
    unit = chosen_unit(request)
    period, context = picker(request, unit)
    if unit is not None:
        context |= figures.figures(unit, period)
        # How fresh the live feed's data is (docs/onestop-feed.md): the oldest of the enabled sources.
        fresh = FeedSource.objects.filter(enabled=True).aggregate(oldest=Min("data_fresh_to"))
        context["data_fresh_to"] = fresh["oldest"]
    return render(request, "onestop/dashboard.html", context)
