"""The figures of citizen feedback per unit for a period: the chosen unit and each unit right below it,
on the base of the QĐ 766 5.2 and 5.3 metrics (`queries.feedback.unit_figures`, a fixed number of
queries whatever the number of units). Only units the user may view are offered or shown."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cchc.core.periods import Period
from cchc.core.replica import reads_from_replica
from cchc.kit.periods import QUARTERS, period_choices
from cchc.surveys.queries import feedback as queries
from cchc.units.models import Unit


@login_required
@require_GET
@reads_from_replica
def feedback_stats(request: HttpRequest) -> HttpResponse:
    """?unit=&period=: the chosen unit (the user's top unit by default) and each unit right below it."""
    today = timezone.localdate()
    units = Unit.objects.for_user(request.user)
    raw_unit = request.GET.get("unit", "").strip()
    if raw_unit:
        try:
            unit_pk = int(raw_unit)
        except ValueError:  # also digits int() refuses, such as "²"
            raise Http404 from None
        unit = get_object_or_404(units, pk=unit_pk)
    else:
        unit = units.active_on(today).order_by("path").first() or units.order_by("path").first()
    raw_period = request.GET.get("period", "").strip() or str(today.year)
    context: dict[str, Any] = {"unit": unit, "raw_period": raw_period, "error": "", "rows": []}
    context["keep"] = [("unit", unit.pk)] if unit is not None else []
    try:
        period = Period.parse(raw_period)
    except ValueError:
        context["error"] = _("“%(value)s” is not a period: write 2026, 2026-Q2 or 2026-06.") % {
            "value": raw_period
        }
        # The picker still offers this year's periods, so the page leads back to a valid one.
        context["periods"] = _choices(Period.parse(str(today.year)), today)
        return render(request, "surveys/feedback/stats.html", context, status=400)
    context["period"] = period
    context["periods"] = _choices(period, today)
    if unit is not None:
        children = list(unit.children.active_on(today).order_by("path"))
        total, *rows = queries.unit_figures([unit, *children], period, today)
        context["total"], context["rows"] = total, rows
        context["parent"] = unit.parent if unit.parent and units.filter(pk=unit.parent_id).exists() else None
    return render(request, "surveys/feedback/stats.html", context)


def _choices(period: Period, today) -> list[str]:
    """The picker offers the years so far with their quarters and months, by their names."""
    years = range(min(period.start.year, today.year - 1), today.year + 1)
    return period_choices(years, period, parts=QUARTERS, months=True, detail_year=period.start.year)
