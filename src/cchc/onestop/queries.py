"""The read side: statistics of a unit (and everything below it) for a period, from the rollups.

Flows (received, finished, …) are sums over the period's months. Stocks at the end of the period
(pending, pending past the deadline) are running sums of the monthly counts up to its last month;
for the period that contains today they are taken as of now from the dossiers themselves, because
"past the deadline at the end of this month" has not happened yet.
"""

import datetime
import os
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from cchc.core.periods import Period
from cchc.onestop.models import ROLLUP_COUNTS, Dossier, FieldMonthRollup, Outcome, UnitMonthRollup
from cchc.units.models import PATH_STEP, Unit

TWO_PLACES = Decimal("0.01")

# Each rate: numerator and denominator as expressions over the counts (see `Stats.counts`).
RATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "on_time_rate": (("finished_early", "finished_on_time", "pending_within"), ("finished", "pending")),
    "online_rate": (("received_online",), ("received",)),
    "digitized_rate": (("received_digitized",), ("received",)),
    "apology_rate": (("finished_late_apology",), ("finished_late",)),
    "e_result_rate": (("finished_e_result",), ("finished_written",)),
    "paid_online_rate": (("received_paid_online",), ("received_fee",)),
    "full_online_rate": (("received_full_online_online",), ("received_full_online",)),
    "satisfaction_rate": (("rated_satisfied",), ("rated_satisfied", "rated_neutral", "rated_unsatisfied")),
}


def rate(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """numerator / denominator × 100 rounded half up to 2 places; None (not 0) when there is no base."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Stats:
    """Counts of a unit for a period (flows over the period, stocks at its end) and the rates from them."""

    counts: dict[str, int]

    def part(self, names: tuple[str, ...]) -> int:
        return sum(self.counts.get(name, 0) for name in names)

    def ratio(self, key: str) -> tuple[int, int]:
        numerator, denominator = RATES[key]
        return self.part(numerator), self.part(denominator)

    def rate(self, key: str) -> Decimal | None:
        return rate(*self.ratio(key))

    def __getitem__(self, name: str) -> Any:
        if name in RATES:
            return self.rate(name)
        return self.counts[name]

    def as_dict(self) -> dict[str, Any]:
        """The figures of `cchc onestop stats --json`: counts, then rates (None when there is no base)."""
        keys = ("received", "finished", "finished_early", "finished_on_time", "finished_late", "pending",
                "pending_overdue")  # fmt: skip
        data: dict[str, Any] = {key: self.counts[key] for key in keys}
        for key in RATES:
            value = self.rate(key)
            data[key] = None if value is None else float(value)
        return data


def months_of(period: Period) -> list[datetime.date]:
    months, day = [], period.start
    while day <= period.end:
        months.append(day)
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


def _empty() -> dict[str, int]:
    return dict.fromkeys(ROLLUP_COUNTS, 0)


def _finish(
    flows: dict[str, int], stock_in: int, stock_out: int, pending: int, now_overdue: int | None
) -> Stats:
    counts = dict(flows)
    counts["pending"] = pending
    counts["pending_overdue"] = now_overdue if now_overdue is not None else stock_in - stock_out
    counts["pending_within"] = counts["pending"] - counts["pending_overdue"]
    return Stats(counts)


def _is_current(period: Period, now: datetime.datetime) -> bool:
    today = timezone.localtime(now).date()
    return period.start <= today <= period.end


def overdue_now(units: list[Unit], now: datetime.datetime) -> dict[int, int]:
    """Dossiers pending past their deadline right now, per given unit (subtree), in one query.

    Pending dossiers are few (those of the last weeks), so they are counted per own unit under the
    units' common ancestor and summed up to the given units here.
    """
    if not units:
        return {}
    rows = (
        Dossier.objects.filter(
            unit__path__startswith=_common_path(units), counted=True, finished_at__isnull=True, overdue_from__lt=now
        )
        .values_list("unit__path")
        .annotate(count=Count("id"))
    )
    result = dict.fromkeys((unit.pk for unit in units), 0)
    for path, count in rows:
        for unit in units:
            if path.startswith(unit.path):
                result[unit.pk] += count
    return result


def stats_for_units(
    units: list[Unit], period: Period, *, now: datetime.datetime | None = None
) -> dict[int, Stats]:
    """Stats of each unit's subtree for the period, in three queries whatever the number of units."""
    now = now or timezone.now()
    months = months_of(period)
    ids = [unit.pk for unit in units]
    sums = [Sum(name) for name in ROLLUP_COUNTS]
    flows: dict[int, dict[str, int]] = defaultdict(_empty)
    rows = (
        UnitMonthRollup.objects.filter(unit_id__in=ids, month__gte=months[0], month__lte=months[-1])
        .values("unit_id")
        .annotate(*sums)
    )
    for row in rows:
        flows[row["unit_id"]] = {name: row[f"{name}__sum"] or 0 for name in ROLLUP_COUNTS}
    stocks = (
        UnitMonthRollup.objects.filter(unit_id__in=ids, month__lte=months[-1])
        .values("unit_id")
        .annotate(Sum("received"), Sum("finished"), Sum("overdue_in"), Sum("overdue_out"))
    )
    stock = {row["unit_id"]: row for row in stocks}
    live = overdue_now(units, now) if _is_current(period, now) else {}
    result = {}
    for unit in units:
        row = stock.get(unit.pk, {})
        pending = (row.get("received__sum") or 0) - (row.get("finished__sum") or 0)
        result[unit.pk] = _finish(
            flows[unit.pk], row.get("overdue_in__sum") or 0, row.get("overdue_out__sum") or 0, pending,
            live.get(unit.pk),
        )  # fmt: skip
    return result


def unit_stats(unit: Unit, period: Period, *, now: datetime.datetime | None = None) -> Stats:
    return stats_for_units([unit], period, now=now)[unit.pk]


def monthly_trend(
    unit: Unit, months: list[datetime.date], *, now: datetime.datetime | None = None
) -> list[tuple[datetime.date, Stats]]:
    """One Stats per month, read from the unit's rollup rows (one query)."""
    now = now or timezone.now()
    rows = {
        row.month: row
        for row in UnitMonthRollup.objects.filter(unit=unit, month__lte=months[-1]).order_by("month")
    }
    received = finished = overdue_in = overdue_out = 0
    trend = []
    wanted = set(months)
    for month in sorted(set(rows) | wanted):
        row = rows.get(month)
        if row is not None:
            received += row.received
            finished += row.finished
            overdue_in += row.overdue_in
            overdue_out += row.overdue_out
        if month in wanted:
            flows = {name: getattr(row, name) if row else 0 for name in ROLLUP_COUNTS}
            period = Period.parse(f"{month:%Y-%m}")
            live = overdue_now([unit], now)[unit.pk] if _is_current(period, now) else None
            trend.append((month, _finish(flows, overdue_in, overdue_out, received - finished, live)))
    return trend


def children_of(unit: Unit, on: datetime.date) -> list[Unit]:
    """The units directly below `unit` that were active on `on`, in tree order."""
    return list(Unit.objects.filter(parent=unit).active_on(on).order_by("path"))


def late_by_field(units: list[Unit], period: Period) -> dict[int, dict[str, int]]:
    """Late dossiers (finished late in the period) per given unit's subtree and field, in one query."""
    result: dict[int, dict[str, int]] = {unit.pk: {} for unit in units}
    if not units:
        return result
    months = months_of(period)
    rows = (
        FieldMonthRollup.objects.filter(
            unit__path__startswith=_common_path(units), month__gte=months[0], month__lte=months[-1],
            finished_late__gt=0,
        )
        .values_list("unit__path", "field")
        .annotate(late=Sum("finished_late"))
    )  # fmt: skip
    for path, field, late in rows:
        for unit in units:
            if path.startswith(unit.path):
                result[unit.pk][field] = result[unit.pk].get(field, 0) + late
    return result


def _common_path(units: list[Unit]) -> str:
    """The path of the closest unit above (or equal to) all the given units."""
    common = os.path.commonprefix([unit.path for unit in units])
    return common[: len(common) - len(common) % (PATH_STEP + 1)]


# -- the dossiers behind a number -----------------------------------------------------------------

MEASURES = (
    "received", "received_online", "received_digitized", "finished", "finished_early", "finished_on_time",
    "finished_late", "finished_late_apology", "pending", "pending_overdue",
)  # fmt: skip


def _bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return start, end


def dossiers_behind(unit: Unit, period: Period, measure: str, *, now: datetime.datetime | None = None):
    """The dossiers that a figure of `unit_stats` counts, as a queryset (the drill-down)."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    now = now or timezone.now()
    start, end = _bounds(period)
    moment = min(end, now)
    base = Dossier.objects.filter(unit__path__startswith=unit.path, counted=True)
    received = Q(received_at__gte=start, received_at__lt=end)
    finished = Q(finished_at__gte=start, finished_at__lt=end)
    pending = Q(received_at__lt=moment) & (Q(finished_at__isnull=True) | Q(finished_at__gte=moment))
    conditions = {
        "received": received,
        "received_online": received & Q(channel=2),
        "received_digitized": received & Q(digitized=True),
        "finished": finished,
        "finished_early": finished & Q(outcome=Outcome.EARLY),
        "finished_on_time": finished & Q(outcome=Outcome.ON_TIME),
        "finished_late": finished & Q(outcome=Outcome.LATE),
        "finished_late_apology": finished & Q(outcome=Outcome.LATE, apology_valid=True),
        "pending": pending,
        "pending_overdue": pending & Q(overdue_from__lt=moment),
    }
    return base.filter(conditions[measure])


def overdue_todo(units_query, *, now: datetime.datetime | None = None):
    """Pending dossiers past their deadline now, in the given units (already scoped), oldest deadline first."""
    now = now or timezone.now()
    return (
        Dossier.objects.filter(
            unit__in=units_query, counted=True, finished_at__isnull=True, overdue_from__lt=now
        )
        .select_related("procedure", "unit")
        .order_by("overdue_from")
    )
