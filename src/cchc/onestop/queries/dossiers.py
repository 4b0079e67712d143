"""The dossiers themselves: those behind a figure of the statistics, the overdue to-do list, and
what a dossier's page shows of its history.

Every function takes the reader's dossiers (`Dossier.objects.for_user(...)`) and narrows them.
"""

import datetime
from typing import Any

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cchc.core.periods import Period
from cchc.onestop.models import Dossier, Outcome
from cchc.onestop.queries.stats import stats_for_units
from cchc.units.models import Unit
from cchc.workdays.calendar import get_calendar, working_days_between

ONE_DAY = datetime.timedelta(days=1)

MEASURES = (
    "received",
    "received_online",
    "received_digitized",
    "finished",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "finished_late_apology",
    "pending",
    "pending_overdue",
)


def _bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return start, end


def _month_of(moment: datetime.datetime) -> datetime.date:
    """The local month (its first day) an instant falls in: the partition key of a dossier received then."""
    return timezone.localtime(moment).date().replace(day=1)


def dossiers_behind(
    dossiers: Any, unit: Unit, period: Period, measure: str, *, now: datetime.datetime | None = None
):
    """Of `dossiers` (the reader's, from `Dossier.objects.for_user`), those that a figure of
    `unit_stats` counts, as a queryset (the drill-down)."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    now = now or timezone.now()
    start, end = _bounds(period)
    moment = min(end, now)
    # Every figure counts dossiers received before the period's end (none finishes before its receipt,
    # the import makes sure); the received month repeats the bounds in the partition key, so that
    # PostgreSQL reads only the partitions that can hold them.
    base = dossiers.filter(
        unit__path__startswith=unit.path, counted=True, received_month__lte=period.end.replace(day=1)
    )
    received = Q(received_at__gte=start, received_at__lt=end, received_month__gte=period.start.replace(day=1))
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


def drill_down(dossiers: Any, unit: Unit, period: Period, measure: str, field: str = ""):
    """The list behind a dashboard figure: `dossiers_behind`, of one field (lĩnh vực) when given,
    newest first with what the list shows of each."""
    behind = dossiers_behind(dossiers, unit, period, measure)
    if field:
        behind = behind.filter(procedure__field=field)
    return behind.select_related("procedure", "unit").order_by("-received_at", "-pk")


STOCKS = ("pending", "pending_overdue")


class _Windowed:
    """A long sorted list as the paginator reads it: its count, then one page, asked first of a narrow
    window at the list's sorted end and widened while the window holds fewer rows than the page needs.

    A province's list of a year holds hundreds of thousands of dossiers; sorting them all for the
    fifty at one end read them all (a second on the demo with a million dossiers). Each try reads
    little through the table's indexes; the last one is the whole list. Subclasses say what the list
    is sorted by (`_window`) and how wide the list is (`_extent`).
    """

    ordered = True  # for the paginator: the rows come in the list's order
    smallest_span = datetime.timedelta(hours=1)

    def __init__(self, rows: Any, *, total: int | None = None):
        self.rows = rows
        self.total = total

    def count(self) -> int:
        if self.total is None:
            self.total = self.rows.count()
        return self.total

    def __len__(self) -> int:
        return self.count()

    def _extent(self) -> datetime.timedelta | None:
        raise NotImplementedError

    def _window(self, span: datetime.timedelta) -> Any:
        raise NotImplementedError

    def __getitem__(self, key: Any) -> Any:
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        if stop is None or stop <= start:
            return list(self.rows[key])
        total = self.count()
        whole = None if total <= 4 * stop else self._extent()
        if whole is None:  # a short list, or a page near its end: sorted whole
            return list(self.rows[start:stop])
        # A window expected to hold twice the rows up to the page's end, rows being spread evenly.
        # Lists of finished dossiers thin out towards the newest receipts (those are mostly pending
        # still), so the window grows quickly.
        span = max(whole * (2 * stop / total), self.smallest_span)
        while span < whole:
            rows = list(self._window(span)[start:stop])
            if len(rows) == stop - start:
                return rows
            span *= 6
        return list(self.rows[start:stop])


class NewestFirst(_Windowed):
    """A drill-down's dossiers newest first: the window is the latest days of receipt, where the index
    by unit and receipt finds them directly. `total`, when the caller knows it (the figure the list
    stands behind), saves counting them all."""

    def __init__(self, dossiers: Any, *, newest: datetime.datetime, oldest: datetime.datetime, total=None):
        super().__init__(dossiers, total=total)
        self.newest, self.oldest = newest, oldest

    def _extent(self) -> datetime.timedelta:
        return self.newest - self.oldest

    def _window(self, span: datetime.timedelta) -> Any:
        since = self.newest - span
        return self.rows.filter(received_at__gte=since, received_month__gte=_month_of(since))


def newest_first(
    dossiers: Any, unit: Unit, period: Period, measure: str, field: str = "", *, whole_subtree: bool = False
) -> NewestFirst:
    """`drill_down` for the paginator. `whole_subtree`: the reader sees every dossier of the unit's
    subtree, so the list holds exactly what the dashboard's figure counts and its count is read from
    the rollups (the figure itself) instead of counting the dossiers."""
    total = None
    if whole_subtree and not field:
        stats = stats_for_units([unit], period, live=measure in STOCKS)[unit.pk]
        total = stats.counts[measure]
    start, end = _bounds(period)
    behind = drill_down(dossiers, unit, period, measure, field)
    return NewestFirst(behind, newest=min(end, timezone.now()), oldest=start, total=total)


class OldestDeadlineFirst(_Windowed):
    """The overdue to-do list oldest deadline first: the window is the dossiers whose deadline passed
    soonest after the earliest deadline of any pending dossier (the partial index of pending dossiers
    finds them)."""

    smallest_span = datetime.timedelta(days=1)

    def __init__(self, overdue: Any, *, now: datetime.datetime):
        super().__init__(overdue)
        self.now = now
        self.earliest: datetime.datetime | None = None

    def _extent(self) -> datetime.timedelta | None:
        self.earliest = Dossier.objects.filter(finished_at__isnull=True).aggregate(low=Min("overdue_from"))[
            "low"
        ]
        return None if self.earliest is None else self.now - self.earliest

    def _window(self, span: datetime.timedelta) -> Any:
        return self.rows.filter(overdue_from__lt=self.earliest + span)


def overdue_todo(dossiers: Any, *, now: datetime.datetime | None = None):
    """Of `dossiers` (already scoped to the reader), those pending past their deadline now, oldest
    deadline first."""
    now = now or timezone.now()
    return (
        dossiers.filter(counted=True, finished_at__isnull=True, overdue_from__lt=now)
        .select_related("procedure", "unit")
        .order_by("overdue_from", "pk")  # deadlines end at the office's closing hour: many are equal
    )


def working_days_overdue(overdue_from: datetime.datetime, today: datetime.date, calendar: Any) -> int:
    """Working days after the day the deadline passed, up to today included; 0 on that day itself."""
    day = timezone.localtime(overdue_from).date()
    if today <= day:
        return 0
    return working_days_between(day + ONE_DAY, today, calendar=calendar)


def supplements(dossier: Dossier) -> list[dict[str, Any]]:
    """The dossier's requests for more papers, each with when it was asked and when it was met."""
    rows = []
    for pair in dossier.supplements or []:
        requested, completed = [*pair, None, None][:2] if isinstance(pair, list | tuple) else (pair, None)
        rows.append({"requested": _moment(requested), "completed": _moment(completed)})
    return rows


def _moment(value: Any) -> Any:
    if not value:
        return None
    parsed = parse_datetime(str(value))
    return (
        timezone.localtime(parsed) if parsed is not None and timezone.is_aware(parsed) else (parsed or value)
    )


def overdue_rows(dossiers: Any) -> list[tuple[Dossier, int]]:
    """Each overdue dossier with the working days it is past its deadline as of today."""
    today, calendar = timezone.localdate(), get_calendar()
    return [(dossier, working_days_overdue(dossier.overdue_from, today, calendar)) for dossier in dossiers]
