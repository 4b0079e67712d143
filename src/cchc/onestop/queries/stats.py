"""The read side: statistics of a unit (and everything below it) for a period, from the rollups.

Flows (received, finished, …) are sums over the period's months. Stocks at the end of the period
(pending, pending past the deadline) are running sums of the monthly counts up to its last month;
for the period that contains today they are taken as of now from the dossiers themselves, because
"past the deadline at the end of this month" has not happened yet.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from cchc.core.periods import Period
from cchc.core.replica import read_connection
from cchc.onestop.models import ROLLUP_COUNTS, Dossier, FieldMonthRollup, UnitMonthRollup
from cchc.onestop.queries.live import cached_pending
from cchc.units import subtrees
from cchc.units.models import Unit
from cchc.workdays.calendar import FIRST_YEAR, LAST_YEAR

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


def parse_period(text: str) -> Period:
    """A period of the statistics: `Period.parse`, and a year the working-day calendar covers.

    Dossiers cannot be dated outside those years, and the month arithmetic of the pages and queries
    (the day after a period, twelve months back) must not leave the range of `datetime.date`.
    """
    period = Period.parse(text)
    if not in_calendar(period):
        raise ValueError(f"{text!r}: the year must lie between {FIRST_YEAR} and {LAST_YEAR}.")
    return period


def in_calendar(period: Period) -> bool:
    """Whether the working-day calendar covers the period's year (dossiers can only be dated in it)."""
    return FIRST_YEAR <= period.year <= LAST_YEAR


def rate(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """numerator / denominator × 100 rounded half up to 2 places; None (not 0) when there is no base."""
    if not denominator:
        return None
    if isinstance(numerator, int) and isinstance(denominator, int) and numerator >= 0 and denominator > 0:
        # Whole counts: round in integers (hundredths of a percent), one Decimal at the end.
        hundredths = (numerator * 20_000 + denominator) // (2 * denominator)
        return Decimal(hundredths).scaleb(-2)
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
        keys = (
            "received",
            "finished",
            "finished_early",
            "finished_on_time",
            "finished_late",
            "pending",
            "pending_overdue",
        )
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


def _finish(flows: dict[str, int], pending: int, pending_overdue: int) -> Stats:
    counts = dict(flows)
    counts["pending"] = pending
    counts["pending_overdue"] = pending_overdue
    counts["pending_within"] = pending - pending_overdue
    return Stats(counts)


def period_is_current(period: Period, now: datetime.datetime) -> bool:
    """Whether the period contains `now`'s day: its stocks are then counted from the dossiers as of now."""
    today = timezone.localtime(now).date()
    return period.start <= today <= period.end


def pending_now(units: list[Unit], now: datetime.datetime) -> dict[int, tuple[int, int]]:
    """Dossiers pending right now and those of them past their deadline, per given unit (subtree).

    One query: pending dossiers are few (those of the last weeks, found through the partial index on
    unfinished dossiers), counted per own unit under the units' common ancestor and summed up here.
    """
    if not units:
        return {}
    rows = (
        Dossier.objects.filter(
            unit__path__startswith=subtrees.common_path(units),
            counted=True,
            finished_at__isnull=True,
            received_at__lt=now,
        )
        .values_list("unit__path")
        .annotate(pending=Count("id"), overdue=Count("id", filter=Q(overdue_from__lt=now)))
        .order_by()
    )
    result = dict.fromkeys((unit.pk for unit in units), (0, 0))
    index = subtrees.by_path(units)
    for path, pending, overdue in rows:
        for pk in subtrees.owners(path, index):
            before = result[pk]
            result[pk] = (before[0] + pending, before[1] + overdue)
    return result


def stats_for_units(
    units: list[Unit], period: Period, *, now: datetime.datetime | None = None, live: bool = True
) -> dict[int, Stats]:
    """Stats of each unit's subtree for the period: one aggregate over the period's subtree rollup rows.

    Flows sum the period's months; the stocks are those stored on its last month (for the period that
    contains today, counted from the pending dossiers as of now: through the cache of `live` unless
    the caller gave the moment). `live=False`: the caller reads no stock, do not count them now.
    """
    asked_now = now is None
    now = now or timezone.now()
    if not units:
        return {}
    months = months_of(period)
    flows = ", ".join(f"SUM({name})" for name in ROLLUP_COUNTS)
    ids = [unit.pk for unit in units]
    sql = (
        f"SELECT unit_id, {flows}, SUM(CASE WHEN month = %s THEN pending ELSE 0 END), "
        f"SUM(CASE WHEN month = %s THEN pending_overdue ELSE 0 END) FROM {UnitMonthRollup._meta.db_table} "
        f"WHERE unit_id IN ({', '.join(['%s'] * len(ids))}) AND month >= %s AND month <= %s GROUP BY unit_id"
    )
    with read_connection(UnitMonthRollup).cursor() as cursor:
        cursor.execute(sql, [months[-1], months[-1], *ids, months[0], months[-1]])
        rows = {row[0]: row[1:] for row in cursor.fetchall()}
    counted_now = {}
    if live and period_is_current(period, now):
        counted_now = cached_pending(units, now, pending_now) if asked_now else pending_now(units, now)
    empty = (0,) * (len(ROLLUP_COUNTS) + 2)
    result = {}
    for unit in units:
        values = [int(value or 0) for value in rows.get(unit.pk, empty)]
        pending, overdue = counted_now.get(unit.pk, (values[-2], values[-1]))
        result[unit.pk] = _finish(dict(zip(ROLLUP_COUNTS, values, strict=False)), pending, overdue)
    return result


def month_grid(
    units: list[Unit], months: list[datetime.date]
) -> dict[tuple[int, datetime.date], Decimal | None]:
    """The on-time rate of each unit (subtree) at each of `months`, from the stored rows (one query).

    The leadership's "province month grid": a unit without a row for a month had no dossiers then.
    """
    if not units or not months:
        return {}
    ids = [unit.pk for unit in units]
    sql = (
        "SELECT unit_id, month, finished, finished_early + finished_on_time, pending, pending_overdue "
        f"FROM {UnitMonthRollup._meta.db_table} WHERE unit_id IN ({', '.join(['%s'] * len(ids))}) "
        "AND month >= %s AND month <= %s"
    )
    with read_connection(UnitMonthRollup).cursor() as cursor:
        cursor.execute(sql, [*ids, min(months), max(months)])
        rows = {(unit_id, _as_date(month)): rest for unit_id, month, *rest in cursor.fetchall()}
    grid: dict[tuple[int, datetime.date], Decimal | None] = {}
    for unit_id in ids:
        for month in months:
            finished, good, pending, overdue = rows.get((unit_id, month), (0, 0, 0, 0))
            grid[(unit_id, month)] = rate(good + pending - overdue, finished + pending)
    return grid


def _as_date(value: Any) -> datetime.date:
    """SQLite hands dates back as text from raw queries."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def unit_stats(unit: Unit, period: Period, *, now: datetime.datetime | None = None) -> Stats:
    return stats_for_units([unit], period, now=now)[unit.pk]


def monthly_trend(
    unit: Unit,
    months: list[datetime.date],
    *,
    now: datetime.datetime | None = None,
    live: tuple[int, int] | None = None,
) -> list[tuple[datetime.date, Stats]]:
    """One Stats per month, read from the unit's rollup rows (one query; one more for the current month
    unless the caller has already counted the unit's pending dossiers as of `now`: `live`)."""
    now = now or timezone.now()
    rows = {row.month: row for row in UnitMonthRollup.objects.filter(unit=unit, month__in=months)}
    trend = []
    for month in months:
        row = rows.get(month)
        flows = {name: getattr(row, name) if row else 0 for name in ROLLUP_COUNTS}
        pending, overdue = (row.pending, row.pending_overdue) if row else (0, 0)
        if period_is_current(Period.parse(f"{month:%Y-%m}"), now):
            pending, overdue = live if live is not None else pending_now([unit], now)[unit.pk]
        trend.append((month, _finish(flows, pending, overdue)))
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
            unit__path__startswith=subtrees.common_path(units),
            month__gte=months[0],
            month__lte=months[-1],
            finished_late__gt=0,
        )
        .values_list("unit__path", "field")
        .annotate(late=Sum("finished_late"))
    )
    index = subtrees.by_path(units)
    for path, field, late in rows:
        for pk in subtrees.owners(path, index):
            result[pk][field] = result[pk].get(field, 0) + late
    return result
