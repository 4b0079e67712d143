"""The dossiers themselves: those behind a figure of the statistics, the overdue to-do list, and
what a dossier's page shows of its history.

Every function takes the reader's dossiers (`Dossier.objects.for_user(...)`) and narrows them.
"""

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cchc.core.periods import Period
from cchc.onestop.models import Dossier, Outcome
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
    base = dossiers.filter(unit__path__startswith=unit.path, counted=True)
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


def drill_down(dossiers: Any, unit: Unit, period: Period, measure: str, field: str = ""):
    """The list behind a dashboard figure: `dossiers_behind`, of one field (lĩnh vực) when given,
    newest first with what the list shows of each."""
    behind = dossiers_behind(dossiers, unit, period, measure)
    if field:
        behind = behind.filter(procedure__field=field)
    return behind.select_related("procedure", "unit").order_by("-received_at", "-pk")


def overdue_todo(dossiers: Any, *, now: datetime.datetime | None = None):
    """Of `dossiers` (already scoped to the reader), those pending past their deadline now, oldest
    deadline first."""
    now = now or timezone.now()
    return (
        dossiers.filter(counted=True, finished_at__isnull=True, overdue_from__lt=now)
        .select_related("procedure", "unit")
        .order_by("overdue_from")
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
