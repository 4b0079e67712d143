"""The leadership overview ("Tổng quan"): the plan's targets, overdue tasks, one-stop, PAR Index,
SIPAS and feedback for a unit the user may view and a period (`web.overview.data` reads them)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cchc.core.replica import reads_from_replica
from cchc.kit.periods import REPORTING_PARTS, period_choices
from cchc.onestop.views.pickers import chosen_period, chosen_unit, unit_choices
from cchc.web.overview.charts import trend_chart
from cchc.web.overview.data import build_overview

YEARS_BACK = 2  # years offered before the current one


@login_required
@require_GET
@reads_from_replica
def overview(request):
    today = timezone.localdate()
    unit = chosen_unit(request)  # 404 for a unit the user may not view
    # The current year by default; a year the working-day calendar does not cover is refused like a
    # misspelt period (deadlines, trend months and dossiers cannot be counted in it).
    period, period_error = chosen_period(request)
    years = range(min(period.year, today.year - YEARS_BACK), max(period.year, today.year) + 1)
    context: dict[str, Any] = {
        "unit": unit,
        "period": period,
        "period_error": period_error,
        # Month, quarter, six and nine months of the chosen year, and the years.
        "periods": period_choices(years, period, parts=REPORTING_PARTS, months=True, detail_year=period.year),
        "keep": [("unit", unit.pk)] if unit is not None else [],
        "units": unit_choices(request.user, unit) if unit is not None else [],
    }
    if unit is not None:
        data = build_overview(request.user, unit, period, today)
        context |= {"overview": data, "trend": trend_chart(data.onestop)}
    return render(request, "web/overview.html", context)
