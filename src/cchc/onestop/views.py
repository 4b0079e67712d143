"""One-stop pages: the dashboard of a unit and the QĐ 766 service index, with what the other pages share.

The dossier lists are in views_dossiers, the import pages in views_imports. Every page reads units
through `Unit.objects.for_user(user, VIEW)`: a unit outside the user's reach is a 404.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.accounts.permissions import VIEW
from cchc.core.periods import Period
from cchc.onestop import queries
from cchc.units.models import PATH_STEP, Unit

# The figures at the top of the dashboard; each opens the dossiers it counts.
HEADLINE_COUNTS = (
    ("received", gettext_lazy("Received")),
    ("finished", gettext_lazy("Finished")),
    ("finished_early", gettext_lazy("Finished early")),
    ("finished_on_time", gettext_lazy("Finished on time")),
    ("finished_late", gettext_lazy("Finished late")),
    ("pending", gettext_lazy("Pending at the end of the period")),
    ("pending_overdue", gettext_lazy("Pending past the deadline")),
)
# Rates: the measure behind the numerator and the denominator where a single list shows it.
# The on-time rate links to the late dossiers, the ones that bring it down.
HEADLINE_RATES = (
    ("on_time_rate", gettext_lazy("On time"), "finished_late", None),
    ("online_rate", gettext_lazy("Received online"), "received_online", "received"),
    ("digitized_rate", gettext_lazy("Digitised"), "received_digitized", "received"),
    ("apology_rate", gettext_lazy("Late with an apology letter"), "finished_late_apology", "finished_late"),
)
MEASURE_LABELS = dict(HEADLINE_COUNTS) | {
    "received_online": gettext_lazy("Received online"),
    "received_digitized": gettext_lazy("Received and digitised"),
    "finished_late_apology": gettext_lazy("Finished late with an apology letter in time"),
}
TREND_MONTHS = 12


# -- the unit and the period asked for --------------------------------------------------------------


def visible_units(user):
    return Unit.objects.for_user(user, VIEW)


def chosen_unit(request) -> Unit | None:
    """The unit in ?unit= (404 when unknown or out of reach), else the user's top unit (None if none)."""
    raw = request.GET.get("unit", "").strip()
    units = visible_units(request.user)
    if raw:
        try:
            pk = int(raw)
        except ValueError:  # also digits int() refuses, such as "²"
            raise Http404 from None
        return get_object_or_404(units, pk=pk)
    today = timezone.localdate()
    return units.active_on(today).order_by("path").first() or units.order_by("path").first()


def period_error_text(raw: str) -> str:
    return _("“%(value)s” is not a period: write 2026, 2026-Q2, 2026-H1 or 2026-06.") % {"value": raw}


def chosen_period(request) -> tuple[Period, str]:
    """The period in ?period=, or the current year; with an error text for a bad one."""
    default = Period.parse(str(timezone.localdate().year))
    raw = request.GET.get("period", "").strip()
    if not raw:
        return default, ""
    try:
        return queries.parse_period(raw), ""
    except ValueError:
        return default, period_error_text(raw)


def period_choices(period: Period) -> list[str]:
    """Recent years, then the halves, quarters and months of the chosen period's year."""
    this_year = timezone.localdate().year
    year = period.year
    keys = [str(y) for y in range(min(year, this_year - 2), max(year, this_year) + 1)]
    keys += [f"{year}-H1", f"{year}-H2", f"{year}-M9"] + [f"{year}-Q{q}" for q in range(1, 5)]
    keys += [f"{year}-{month:02d}" for month in range(1, 13)]
    if period.key not in keys:
        keys.append(period.key)
    return keys


def unit_choices(user, chosen: Unit | None) -> list[tuple[Unit, str]]:
    """The units the user may view that exist today (and the chosen one), in tree order, indented."""
    today = timezone.localdate()
    units = list(visible_units(user).active_on(today).order_by("path"))
    if chosen is not None and chosen.pk not in {unit.pk for unit in units}:
        units.append(chosen)
    top = min((len(unit.path) for unit in units), default=0)
    return [(unit, "\u00a0\u00a0" * ((len(unit.path) - top) // (PATH_STEP + 1))) for unit in units]


def drill_url(unit: Unit, period: Period, measure: str, field: str | None = None) -> str:
    query = {"unit": unit.pk, "period": period.key, "measure": measure}
    if field:
        query["field"] = field
    return f"{reverse('onestop:dossiers')}?{urlencode(query)}"


def no_unit(request, template: str, extra: dict[str, Any] | None = None):
    """The page of a user who may view no unit at all: it says so instead of failing."""
    return render(request, template, {"unit": None, **(extra or {})})


# -- the dashboard --------------------------------------------------------------------------------


@dataclass
class RankRow:
    unit: Unit
    stats: queries.Stats
    rank: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        return self.stats.rate("on_time_rate")

    @property
    def score(self) -> tuple:
        rate = self.on_time_rate
        return (rate is not None, rate or 0)


def ranking(units: list[Unit], stats: dict[int, queries.Stats], period: Period) -> list[dict[str, Any]]:
    """Best on-time rate first, units without a finished or pending dossier last; ties share a rank."""
    rows = sorted((RankRow(unit, stats[unit.pk]) for unit in units), key=lambda row: row.unit.name)
    rows.sort(key=lambda row: row.score, reverse=True)
    for position, row in enumerate(rows, start=1):
        previous = rows[position - 2] if position > 1 else None
        row.rank = previous.rank if previous is not None and previous.score == row.score else position
    return [
        {
            "rank": row.rank,
            "unit": row.unit,
            "on_time_rate": row.on_time_rate,
            "received": row.stats.counts["received"],
            "finished_late": row.stats.counts["finished_late"],
            "pending_overdue": row.stats.counts["pending_overdue"],
            "received_url": drill_url(row.unit, period, "received"),
            "late_url": drill_url(row.unit, period, "finished_late"),
            "overdue_url": drill_url(row.unit, period, "pending_overdue"),
            "rate_url": drill_url(row.unit, period, "finished_late"),
        }
        for row in rows
    ]


def heat_map(units: list[Unit], period: Period) -> dict[str, Any]:
    """Late dossiers by unit (rows) and field (columns), with the link behind each cell."""
    late = queries.late_by_field(units, period)
    fields = sorted({field for counts in late.values() for field in counts})
    rows: list[dict[str, Any]] = []
    for unit in units:
        counts = late.get(unit.pk, {})
        cells = [
            {
                "field": field,
                "count": counts.get(field, 0),
                "url": drill_url(unit, period, "finished_late", field),
            }
            for field in fields
        ]
        rows.append({"unit": unit, "cells": cells, "total": sum(counts.values())})
    chart = {
        "units": [row["unit"].name for row in rows],
        "fields": fields,
        "cells": [[x, y, cell["count"]] for y, row in enumerate(rows) for x, cell in enumerate(row["cells"])],
        "urls": [[cell["url"] for cell in row["cells"]] for row in rows],
        "max": max((cell["count"] for row in rows for cell in row["cells"]), default=0),
    }
    return {"fields": fields, "rows": rows, "chart": chart}


def trend_months(period: Period) -> list[datetime.date]:
    """The period's months when it spans half a year or more, else the twelve months up to its end;
    months after the current one are left out (they have nothing to show yet)."""
    this_month = timezone.localdate().replace(day=1)
    months = [month for month in queries.months_of(period) if month <= this_month] or queries.months_of(
        period
    )[:1]
    if len(months) >= 6:
        return months
    last = months[-1]
    result = []
    for back in range(TREND_MONTHS - 1, -1, -1):
        index = last.year * 12 + last.month - 1 - back
        result.append(datetime.date(index // 12, index % 12 + 1, 1))
    return result


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _rates(trend: list[tuple[datetime.date, queries.Stats]], key: str) -> list[float | None]:
    return [_number(stats.rate(key)) for _month, stats in trend]


def trend_chart(unit: Unit, period: Period) -> dict[str, Any]:
    trend = queries.monthly_trend(unit, trend_months(period))
    return {
        "months": [f"{month:%m/%Y}" for month, _stats in trend],
        "urls": [drill_url(unit, Period.parse(f"{month:%Y-%m}"), "received") for month, _stats in trend],
        "series": [
            {"key": "on_time", "name": str(_("On-time rate")), "data": _rates(trend, "on_time_rate")},
            {"key": "online", "name": str(_("Online rate")), "data": _rates(trend, "online_rate")},
        ],
        "rows": [
            {
                "month": month,
                "on_time": stats.rate("on_time_rate"),
                "online": stats.rate("online_rate"),
                "received": stats.counts["received"],
                "url": drill_url(unit, Period.parse(f"{month:%Y-%m}"), "received"),
            }
            for month, stats in trend
        ],
    }


def headline(unit: Unit, period: Period, stats: queries.Stats) -> dict[str, list[dict[str, Any]]]:
    counts = [
        {"key": key, "label": label, "value": stats.counts[key], "url": drill_url(unit, period, key)}
        for key, label in HEADLINE_COUNTS
    ]
    rates = []
    for key, label, numerator, denominator in HEADLINE_RATES:
        part, whole = stats.ratio(key)
        rates.append(
            {
                "key": key,
                "label": label,
                "value": stats.rate(key),
                "url": drill_url(unit, period, numerator),
                "part": part,
                "whole": whole,
                "part_url": drill_url(unit, period, numerator) if key != "on_time_rate" else None,
                "whole_url": drill_url(unit, period, denominator) if denominator else None,
            }
        )
    return {"counts": counts, "rates": rates}


@login_required
def dashboard(request):
    unit = chosen_unit(request)
    period, period_error = chosen_period(request)
    base = {"period": period, "period_error": period_error, "periods": period_choices(period)}
    if unit is None:
        return no_unit(request, "onestop/dashboard.html", base)
    stats = queries.unit_stats(unit, period)
    on = min(period.end, timezone.localdate())
    children = queries.children_of(unit, on)
    child_stats = queries.stats_for_units(children, period) if children else {}
    context = {
        **base,
        "unit": unit,
        "units": unit_choices(request.user, unit),
        "headline": headline(unit, period, stats),
        "trend": trend_chart(unit, period),
        "ranking": ranking(children, child_stats, period),
        "heat": heat_map(children or [unit], period),
    }
    return render(request, "onestop/dashboard.html", context)


# -- the QĐ 766 service index ---------------------------------------------------------------------


def _index_report(unit: Unit, period: Period) -> dict[str, Any] | None:
    """The report of the service-index module, or None while that module is not installed."""
    try:
        from cchc.onestop.service_index import index_report
    except ModuleNotFoundError as error:
        if error.name != "cchc.onestop.service_index":
            raise
        return None
    return index_report(unit, period)


@login_required
def service_index(request):
    unit = chosen_unit(request)
    period, period_error = chosen_period(request)
    base = {"period": period, "period_error": period_error, "periods": period_choices(period)}
    if unit is None:
        return no_unit(request, "onestop/index.html", base)
    context = {
        **base,
        "unit": unit,
        "units": unit_choices(request.user, unit),
        "report": _index_report(unit, period),
    }
    return render(request, "onestop/index.html", context)
