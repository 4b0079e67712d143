"""The figures of the dashboard: headline counts and rates, the monthly trend, the ranking of the
units below and the heat map of late dossiers, each figure with the link to the dossiers it counts.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.core.periods import Period
from cchc.onestop.queries.stats import (
    Stats,
    children_of,
    late_by_field,
    monthly_trend,
    months_of,
    period_is_current,
    stats_for_units,
)
from cchc.units.models import Unit

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


def drill_url(unit: Unit, period: Period, measure: str, field: str | None = None) -> str:
    query = {"unit": unit.pk, "period": period.key, "measure": measure}
    if field:
        query["field"] = field
    return f"{reverse('onestop:dossiers')}?{urlencode(query)}"


def field_links(units: list[Unit], period: Period, measure: str, fields: list[str]) -> dict:
    """{(unit id, field): drill_url(unit, period, measure, field)} for every pair, built from one
    reversed URL and each field quoted once: the heat map has a link per unit and field (thousands on
    a province's page), and resolving and encoding each one took a third of the page's time."""
    base = f"{reverse('onestop:dossiers')}?{urlencode({'unit': 0})[:-1]}"  # "…?unit="
    tail = {
        field: f"&{urlencode({'period': period.key, 'measure': measure, 'field': field})}" for field in fields
    }
    return {(unit.pk, field): f"{base}{unit.pk}{tail[field]}" for unit in units for field in fields}


@dataclass
class RankRow:
    unit: Unit
    stats: Stats
    rank: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        return self.stats.rate("on_time_rate")

    @property
    def score(self) -> tuple:
        rate = self.on_time_rate
        return (rate is not None, rate or 0)


def ranking(units: list[Unit], stats: dict[int, Stats], period: Period) -> list[dict[str, Any]]:
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
    late = late_by_field(units, period)
    fields = sorted({field for counts in late.values() for field in counts})
    links = field_links(units, period, "finished_late", fields)
    rows: list[dict[str, Any]] = []
    for unit in units:
        counts = late.get(unit.pk, {})
        cells = [
            {"field": field, "count": counts.get(field, 0), "url": links[(unit.pk, field)]}
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
    months = [month for month in months_of(period) if month <= this_month] or months_of(period)[:1]
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


def _rates(trend: list[tuple[datetime.date, Stats]], key: str) -> list[float | None]:
    return [_number(stats.rate(key)) for _month, stats in trend]


def trend_chart(
    unit: Unit, period: Period, *, now: datetime.datetime | None = None, live: tuple[int, int] | None = None
) -> dict[str, Any]:
    trend = monthly_trend(unit, trend_months(period), now=now, live=live)
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


def headline(unit: Unit, period: Period, stats: Stats) -> dict[str, list[dict[str, Any]]]:
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


def figures(unit: Unit, period: Period) -> dict[str, Any]:
    """Everything the dashboard of `unit` for `period` shows below its picker.

    The unit and the units below it are read together: one read of the rollups and, for the current
    period, one count of the pending dossiers as of now, which the trend's current month reuses. That
    count is the page's costliest query (it reads every pending dossier of the subtree), so it must
    not run once per figure.
    """
    now = timezone.now()
    on = min(period.end, timezone.localdate())
    children = children_of(unit, on)
    every = stats_for_units([unit, *children], period)
    stats = every[unit.pk]
    child_stats = {child.pk: every[child.pk] for child in children}
    # The period contains today: its stocks are those of now, the same as the current month's.
    live = (
        (stats.counts["pending"], stats.counts["pending_overdue"]) if period_is_current(period, now) else None
    )
    return {
        "headline": headline(unit, period, stats),
        "trend": trend_chart(unit, period, now=now, live=live),
        "ranking": ranking(children, child_stats, period),
        "heat": heat_map(children or [unit], period),
    }
