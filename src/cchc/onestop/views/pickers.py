"""What the one-stop pages share: the unit and the period asked for, and the picker that shows them.

Units are read through `Unit.objects.for_user(user, VIEW)`: a unit outside the user's reach is a 404.
"""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.permissions import VIEW
from cchc.core.periods import Period
from cchc.kit import periods
from cchc.onestop import queries
from cchc.units.models import PATH_STEP, Unit


def chosen_unit(request) -> Unit | None:
    """The unit in ?unit= (404 when unknown or out of reach), else the user's top unit (None if none)."""
    raw = request.GET.get("unit", "").strip()
    units = Unit.objects.for_user(request.user, VIEW)
    if raw:
        try:
            pk = int(raw)
        except ValueError:  # also digits int() refuses, such as "²"
            raise Http404 from None
        return get_object_or_404(units, pk=pk)
    today = timezone.localdate()
    return units.active_on(today).order_by("path").first() or units.order_by("path").first()


def chosen_period(request) -> tuple[Period, str]:
    """The period in ?period= (the kit's picker), or the current year; a year the working-day
    calendar does not cover is refused like a misspelt period, since no dossier can fall in it."""
    default = Period.parse(str(timezone.localdate().year))
    period, error = periods.chosen_period(request, default)
    if error or queries.in_calendar(period):
        return period, error
    # The kit's words for a misspelt period (the same message id, so the same translation).
    text = _("“%(value)s” is not a period: write 2026, 2026-Q2, 2026-H1 or 2026-06.")
    return default, text % {"value": request.GET.get("period", "").strip()[:40]}


def period_choices(period: Period) -> list[str]:
    """Recent years (and the chosen one), then the halves, quarters and months of the chosen year."""
    this_year = timezone.localdate().year
    years = range(min(period.year, this_year - 2), max(period.year, this_year) + 1)
    return periods.period_choices(
        years, period, parts=periods.HALVES_AND_QUARTERS, months=True, detail_year=period.year
    )


def picker(request, unit: Unit | None) -> tuple[Period, dict[str, Any]]:
    """The period asked for, and what `onestop/_picker.html` draws: the unit select beside the kit's
    period picker (which keeps the unit when the period changes)."""
    period, period_error = chosen_period(request)
    context: dict[str, Any] = {
        "unit": unit,
        "period": period,
        "period_error": period_error,
        "periods": period_choices(period),
        "keep": [("unit", unit.pk)] if unit is not None else [],
    }
    if unit is not None:
        context["units"] = unit_choices(request.user, unit)
    return period, context


def unit_choices(user, chosen: Unit | None) -> list[tuple[Unit, str]]:
    """The units the user may view that exist today (and the chosen one), in tree order, indented."""
    today = timezone.localdate()
    units = list(Unit.objects.for_user(user, VIEW).active_on(today).order_by("path"))
    if chosen is not None and chosen.pk not in {unit.pk for unit in units}:
        units.append(chosen)
    top = min((len(unit.path) for unit in units), default=0)
    return [(unit, "\u00a0\u00a0" * ((len(unit.path) - top) // (PATH_STEP + 1))) for unit in units]
