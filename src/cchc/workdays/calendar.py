"""The working-day engine: which days offices are open, and counting in working days.

A day is a working day when it is Monday to Friday and not a statutory holiday (as computed by
the `holidays` package for Vietnam, which includes compensatory days and the swapped days off it
knows), unless a `CalendarOverride` row says otherwise: "working" opens a day (a make-up Saturday),
"day_off" closes one.

Two implementations give the same answers:

* the scalar functions (`is_working_day`, `add_working_days`, `working_days_between`) walk the
  calendar one day at a time; they are the reference, simple enough to check by eye;
* the `*_array` functions work on numpy `datetime64[D]` arrays through a sorted table of the
  working days' numbers and `np.searchsorted`, for bulk work such as dossier deadlines.

The calendar of the process is cached (see `get_calendar`); saving or deleting an override drops
the cache (signals in `cchc.workdays.signals`), and it is re-read at least every
`CCHC_CALENDAR_CACHE_SECONDS` so that other processes catch up.
"""

from __future__ import annotations

import datetime
import functools
import operator
import threading
import time
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import numpy as np
import numpy.typing as npt
from django.conf import settings

WORKING = "working"
DAY_OFF = "day_off"

# The package computes Vietnamese observed days from 1995 and lunar dates up to 2100.
FIRST_YEAR = 1995
LAST_YEAR = 2100

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ONE_DAY = datetime.timedelta(days=1)

DayArray = npt.NDArray[np.datetime64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            f"The working-day calendar covers {FIRST_YEAR}–{LAST_YEAR}; year {year} is outside it."
        )


@functools.cache
def statutory_holidays(year: int) -> frozenset[datetime.date]:
    """The days off the `holidays` package gives for Vietnam in `year`.

    That is the statutory holidays, their compensatory days and the swapped days off it knows.
    """
    _check_year(year)
    return frozenset(holidays.country_holidays("VN", years=year))


@functools.lru_cache(maxsize=64)
def holiday_names(year: int, language: str = "vi") -> tuple[tuple[datetime.date, str], ...]:
    """(day, name) of every statutory day off of `year`, in date order, named in `language` ("vi" or "en")."""
    _check_year(year)
    package_language = "vi" if language.startswith("vi") else "en_US"
    table = holidays.country_holidays("VN", years=year, language=package_language)
    return tuple(sorted(table.items()))


def is_base_working_day(day: datetime.date) -> bool:
    """Working day by the statutory rule alone: Monday to Friday and no statutory day off."""
    return day.weekday() < 5 and day not in statutory_holidays(day.year)


def as_local_date(value: datetime.date) -> datetime.date:
    """The calendar day of a date, or of an aware datetime in Vietnam's time zone."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("A datetime given to the working-day calendar must be timezone-aware.")
        return value.astimezone(LOCAL_TZ).date()
    return value


def _year_of(day_number: Any) -> int:
    return int(np.datetime64(int(day_number), "D").astype("datetime64[Y]").astype(np.int64)) + 1970


def _day_numbers(days: Any) -> IntArray:
    """Days since 1970-01-01 of anything numpy reads as dates (datetime64[D] arrays, ISO strings, dates)."""
    return np.asarray(days, dtype="datetime64[D]").astype(np.int64)


class WorkCalendar:
    """Which days are working days: Monday to Friday minus statutory holidays, then the overrides.

    `overrides` maps a date to "working" or "day_off". Statutory holidays are loaded one year at a
    time, the first time a day of that year is asked about.
    """

    def __init__(self, overrides: Mapping[datetime.date, str] | None = None) -> None:
        self.overrides: dict[datetime.date, str] = dict(overrides or {})
        unknown = {kind for kind in self.overrides.values() if kind not in (WORKING, DAY_OFF)}
        if unknown:
            raise ValueError(f"Unknown override kinds: {sorted(unknown)}")
        self._lock = threading.Lock()
        self._years: tuple[int, int] | None = None
        self._table: IntArray = np.empty(0, dtype=np.int64)

    # -- one day at a time (the reference) --------------------------------------------------------

    def is_working_day(self, day: datetime.date) -> bool:
        _check_year(day.year)
        kind = self.overrides.get(day)
        if kind is not None:
            return kind == WORKING
        return is_base_working_day(day)

    # -- whole arrays at once -----------------------------------------------------------------------

    def working_day_table(self, first_year: int, last_year: int) -> IntArray:
        """Sorted day numbers of the working days of (at least) `first_year`..`last_year`.

        The table only grows: asking for more years rebuilds it over the union of both ranges.
        """
        _check_year(first_year)
        _check_year(last_year)
        with self._lock:
            if self._years is not None:
                first_year = min(first_year, self._years[0])
                last_year = max(last_year, self._years[1])
                if (first_year, last_year) == self._years:
                    return self._table
            self._table = self._build_table(first_year, last_year)
            self._years = (first_year, last_year)
            return self._table

    def _build_table(self, first_year: int, last_year: int) -> IntArray:
        first = np.datetime64(f"{first_year:04d}-01-01", "D").astype(np.int64)
        after = np.datetime64(f"{last_year + 1:04d}-01-01", "D").astype(np.int64)
        numbers = np.arange(first, after, dtype=np.int64)
        # 1970-01-01 (day 0) was a Thursday, so (number + 3) % 7 counts Monday as 0 and Sunday as 6.
        working = (numbers + 3) % 7 < 5
        closed = [day for year in range(first_year, last_year + 1) for day in statutory_holidays(year)]
        if closed:
            working[_day_numbers(closed) - first] = False
        inside = [(day, kind) for day, kind in self.overrides.items() if first_year <= day.year <= last_year]
        if inside:
            positions = _day_numbers([day for day, _ in inside]) - first
            working[positions] = np.array([kind == WORKING for _, kind in inside], dtype=bool)
        return numbers[working]

    def is_working_day_array(self, days: Any) -> BoolArray:
        numbers = _day_numbers(days)
        if numbers.size == 0:
            return np.zeros(numbers.shape, dtype=bool)
        table = self.working_day_table(_year_of(numbers.min()), _year_of(numbers.max()))
        positions = np.minimum(np.searchsorted(table, numbers), table.size - 1)
        return np.asarray(table[positions] == numbers, dtype=bool)

    def add_working_days_array(self, starts: Any, ns: Any) -> DayArray:
        start_numbers, counts = np.broadcast_arrays(_day_numbers(starts), np.asarray(ns, dtype=np.int64))
        if (counts < 0).any():
            raise ValueError("The number of working days to add must be zero or more.")
        if start_numbers.size == 0:
            return np.empty(start_numbers.shape, dtype="datetime64[D]")
        first_year = _year_of(start_numbers.min())
        last_year = min(_year_of(start_numbers.max()) + 1, LAST_YEAR)
        counting = counts > 0
        while True:
            table = self.working_day_table(first_year, last_year)
            # searchsorted(side="right") finds the first working day after each start; the n-th is n - 1 on.
            positions = np.searchsorted(table, start_numbers, side="right") + counts - 1
            overflow = int(positions[counting].max(initial=-1)) - (table.size - 1)
            if overflow <= 0:
                break
            if last_year == LAST_YEAR:
                raise ValueError(
                    f"The result would fall after {LAST_YEAR}, outside the working-day calendar."
                )
            # A year holds about 245 working days; take enough years to cover the shortfall at once.
            last_year = min(last_year + overflow // 240 + 1, LAST_YEAR)
        reached = table[np.clip(positions, 0, table.size - 1)]
        return np.where(counting, reached, start_numbers).astype("datetime64[D]")

    def working_days_between_array(self, starts: Any, ends: Any) -> IntArray:
        start_numbers, end_numbers = np.broadcast_arrays(_day_numbers(starts), _day_numbers(ends))
        if (end_numbers < start_numbers).any():
            raise ValueError("The end of a range cannot be before its start.")
        if start_numbers.size == 0:
            return np.zeros(start_numbers.shape, dtype=np.int64)
        table = self.working_day_table(_year_of(start_numbers.min()), _year_of(end_numbers.max()))
        counts = np.searchsorted(table, end_numbers, side="right") - np.searchsorted(
            table, start_numbers, side="left"
        )
        return counts.astype(np.int64)


# -- the process-wide calendar --------------------------------------------------------------------

_cache_lock = threading.Lock()
_cached: tuple[WorkCalendar, float] | None = None
_generation = 0  # bumped by every invalidation, so a calendar read before it is never stored after it


def get_calendar() -> WorkCalendar:
    """The calendar with the overrides from the database, cached for up to CCHC_CALENDAR_CACHE_SECONDS."""
    global _cached
    entry = _cached
    now = time.monotonic()
    if entry is not None and now - entry[1] < settings.CCHC_CALENDAR_CACHE_SECONDS:
        return entry[0]
    from cchc.workdays.models import CalendarOverride

    generation = _generation
    calendar = WorkCalendar(dict(CalendarOverride.objects.values_list("date", "kind")))
    with _cache_lock:
        if generation == _generation:
            _cached = (calendar, now)
    return calendar


def invalidate_cache() -> None:
    """Forget the cached calendar; the next question re-reads the overrides."""
    global _cached, _generation
    with _cache_lock:
        _cached = None
        _generation += 1


# -- the scalar reference -------------------------------------------------------------------------


def is_working_day(day: datetime.date, *, calendar: WorkCalendar | None = None) -> bool:
    """Whether offices are open on `day` (a date, or an aware datetime taken in Vietnamese time)."""
    return (calendar or get_calendar()).is_working_day(as_local_date(day))


def add_working_days(
    start: datetime.date,
    n: int,
    cutoff: datetime.time | None = None,
    *,
    calendar: WorkCalendar | None = None,
) -> datetime.date:
    """The date `n` working days after `start`; the start day itself is not counted.

    `start` is a date or an aware datetime. With `cutoff`, a datetime whose Vietnamese local time is
    after it counts as received on the next working day, so the result is one working day later.
    `n` = 0 gives the start date back (or, after the cut-off, the next working day).
    """
    n = operator.index(n)
    if n < 0:
        raise ValueError(f"Cannot add a negative number of working days ({n}).")
    calendar = calendar or get_calendar()
    day = as_local_date(start)
    _check_year(day.year)
    late = (
        cutoff is not None
        and isinstance(start, datetime.datetime)
        and start.astimezone(LOCAL_TZ).time() > cutoff
    )
    remaining = n + 1 if late else n
    while remaining > 0:
        day += ONE_DAY
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(
    start: datetime.date, end: datetime.date, *, calendar: WorkCalendar | None = None
) -> int:
    """How many working days lie in [start, end], both ends included."""
    calendar = calendar or get_calendar()
    day, last = as_local_date(start), as_local_date(end)
    if last < day:
        raise ValueError(f"The end {last:%d/%m/%Y} is before the start {day:%d/%m/%Y}.")
    count = 0
    while day <= last:
        if calendar.is_working_day(day):
            count += 1
        day += ONE_DAY
    return count


def next_working_day(day: datetime.date, *, calendar: WorkCalendar | None = None) -> datetime.date:
    """The first working day after `day`."""
    return add_working_days(day, 1, calendar=calendar)


# -- the vectorised forms -------------------------------------------------------------------------


def is_working_day_array(days: Any, *, calendar: WorkCalendar | None = None) -> BoolArray:
    """`is_working_day` over an array of dates (anything numpy reads as datetime64[D])."""
    return (calendar or get_calendar()).is_working_day_array(days)


def add_working_days_array(starts: Any, ns: Any, *, calendar: WorkCalendar | None = None) -> DayArray:
    """`add_working_days` (without cut-off) over arrays of start dates and counts, broadcast together."""
    return (calendar or get_calendar()).add_working_days_array(starts, ns)


def working_days_between_array(starts: Any, ends: Any, *, calendar: WorkCalendar | None = None) -> IntArray:
    """`working_days_between` over arrays of range starts and ends, broadcast together."""
    return (calendar or get_calendar()).working_days_between_array(starts, ends)
