"""The one-stop rules, on whole columns at once: due dates, outcome, overdue moment, apology timing.

The rules are those of QĐ 766 (rule 2.1) and the one-stop regulations (domain.md §3.3, §4.5, §7.4);
where they are silent, the choice made is written in docs/onestop.md. Everything here works on
polars frames and numpy arrays, because the same code classifies ten rows from the API and ten
million from a file.
"""

import datetime
from dataclasses import dataclass

import numpy as np
import polars as pl

from cchc.onestop.ingest.values import LOCAL_OFFSET_MINUTES
from cchc.workdays.calendar import FIRST_YEAR, WorkCalendar

LOCAL_TZ = "Asia/Ho_Chi_Minh"


@dataclass(frozen=True)
class DeadlineSettings:
    """Province-wide choices for computing due dates (SystemSetting rows, see `deadline_settings`)."""

    office_close: datetime.time  # a due date ends when the office closes that day
    receipt_cutoff: datetime.time | None  # received after this time: counting starts the next working day
    # An apology letter is in time when sent at least this many working days before the due date.
    apology_notice_working_days: int = 1


def _local(expr: pl.Expr) -> pl.Expr:
    """Vietnamese wall-clock time (without a zone) of an instant in UTC.

    Vietnam has kept UTC+07:00 without daylight saving since 1975, and the rules see no instant
    before the working-day calendar's first year (1995): adding seven hours gives the same as a
    conversion to Asia/Ho_Chi_Minh (a test compares them over the calendar's years), about ten times
    faster, as polars looks a zone's rules up value by value (a fifth of an import's checking time).
    """
    return expr.dt.replace_time_zone(None) + pl.duration(minutes=LOCAL_OFFSET_MINUTES)


def local_date(expr: pl.Expr) -> pl.Expr:
    return _local(expr).dt.date()


def month_of(expr: pl.Expr) -> pl.Expr:
    """The first day of the Vietnamese-time month of an instant."""
    return _local(expr).dt.truncate("1mo").dt.date()


def _day_numbers(dates: pl.Series) -> np.ndarray:
    return dates.cast(pl.Int64).to_numpy()


def _at_local_time(dates: np.ndarray, at: datetime.time) -> pl.Series:
    """Instants (UTC) of `at` o'clock Vietnamese time on each of the given day numbers."""
    seconds = dates.astype(np.int64) * 86400 + at.hour * 3600 + at.minute * 60 + at.second - 7 * 3600
    return pl.Series(seconds * 1_000_000, dtype=pl.Int64).cast(pl.Datetime("us", "UTC"))


def compute_due(
    received_at: pl.Series,
    time_limit: pl.Series,
    time_unit: pl.Series,
    calendar: WorkCalendar,
    settings: DeadlineSettings,
) -> pl.Series:
    """Due instants from the receipt instant and the procedure's time limit (domain.md §7.4).

    Working days: counted from the day after receipt (after the cut-off, from the next working day),
    the due date ends when the office closes. Calendar days: the result moves to the next working day
    when it falls on a day off (Bộ luật Dân sự art. 148). Hours: clock hours from receipt.
    Rows whose time limit is unknown come out null.
    """
    frame = pl.DataFrame({"received": received_at, "limit": time_limit, "unit": time_unit})
    local = frame.select(_local(pl.col("received"))).to_series()
    start = _day_numbers(local.dt.date())
    limit = frame["limit"].fill_null(-1).to_numpy()
    whole = np.ceil(np.maximum(limit, 0)).astype(np.int64)
    unit = frame["unit"]
    late = np.zeros(len(frame), dtype=bool)
    if settings.receipt_cutoff is not None:
        cutoff = settings.receipt_cutoff
        minutes = (local.dt.hour().cast(pl.Int32) * 60 + local.dt.minute().cast(pl.Int32)).to_numpy()
        late = minutes > cutoff.hour * 60 + cutoff.minute

    due_day = start.copy()
    # Compared by polars: as numpy the texts would become an array of Python strings.
    working = (unit == "working_day").fill_null(False).to_numpy()
    if working.any():
        counts = whole[working] + late[working]
        due_day[working] = calendar.add_working_days_array(
            start[working].astype("datetime64[D]"), counts
        ).astype(np.int64)
    days = (unit == "day").fill_null(False).to_numpy()
    if days.any():
        due_day[days] = next_working_day_on_or_after(start[days] + whole[days], calendar)
    frame = frame.with_columns(
        whole=pl.Series(whole),
        known=pl.Series(limit >= 0),
        by_days=_at_local_time(due_day, settings.office_close),
        counted_in_days=pl.Series(working | days),
    )
    result = frame.select(
        pl.when(~pl.col("known"))
        .then(None)
        .when(pl.col("unit") == "hour")
        .then(pl.col("received") + pl.duration(hours=pl.col("whole")))
        .when(pl.col("counted_in_days"))
        .then(pl.col("by_days"))
        .otherwise(None)
    ).to_series()
    return result.cast(pl.Datetime("us", "UTC")).alias("due_at")


def next_working_day_on_or_after(day_numbers: np.ndarray, calendar: WorkCalendar) -> np.ndarray:
    if day_numbers.size == 0:
        return day_numbers
    first = int(np.datetime64(int(day_numbers.min()), "D").astype(object).year)
    last = int(np.datetime64(int(day_numbers.max()), "D").astype(object).year) + 1
    table = calendar.working_day_table(first, last)
    return table[np.searchsorted(table, day_numbers, side="left")]


def previous_working_day(day_numbers: np.ndarray, calendar: WorkCalendar, n: int = 1) -> np.ndarray:
    """The n-th working day strictly before each day (n = 1: the last working day before it)."""
    if day_numbers.size == 0:
        return day_numbers
    first = int(np.datetime64(int(day_numbers.min()), "D").astype(object).year) - 1 - n // 200
    last = int(np.datetime64(int(day_numbers.max()), "D").astype(object).year)
    table = calendar.working_day_table(max(first, FIRST_YEAR), last)
    return table[np.maximum(np.searchsorted(table, day_numbers, side="left") - n, 0)]


def classify(
    frame: pl.DataFrame, calendar: WorkCalendar, apology_notice_working_days: int = 1
) -> pl.DataFrame:
    """Add outcome, overdue_from, apology_valid and the month columns.

    Needs: received_at, due_at, finished_at, apology_at, rescheduled_due_at, supplement_count,
    supplement_done_us (total completed supplement time), supplement_open_at (an unanswered request),
    supplement_second_at (the second request). See docs/onestop.md for the rules.
    """
    paused = pl.duration(microseconds=pl.col("supplement_done_us"))
    # While finished with a request still open, the clock stood still from the request to the end.
    open_pause = (
        pl.when(pl.col("supplement_open_at").is_not_null() & pl.col("finished_at").is_not_null())
        .then(pl.col("finished_at") - pl.col("supplement_open_at"))
        .otherwise(pl.duration(microseconds=0))
    )
    adjusted_end = pl.col("finished_at") - paused - open_pause
    outcome = (
        pl.when(pl.col("finished_at").is_null())
        .then(None)
        .when(pl.col("supplement_count") > 1)
        .then(3)
        .when(adjusted_end > pl.col("due_at"))
        .then(3)
        .when(local_date(adjusted_end) < local_date(pl.col("due_at")))
        .then(1)
        .otherwise(2)
        .cast(pl.Int16)
    )
    shifted_due = pl.col("due_at") + paused
    # An unanswered request stops the clock, unless the dossier was already overdue when it was made.
    base = (
        pl.when(pl.col("supplement_open_at").is_not_null() & (pl.col("supplement_open_at") <= shifted_due))
        .then(None)
        .otherwise(shifted_due)
    )
    second = pl.col("supplement_second_at")
    overdue_from = (
        pl.when(second.is_not_null() & (base.is_null() | (second < base))).then(second).otherwise(base)
    )
    frame = frame.with_columns(outcome=outcome, overdue_from=overdue_from)

    due_days = _day_numbers(frame.select(local_date(pl.col("due_at"))).to_series())
    last_day_for_apology = previous_working_day(due_days, calendar, apology_notice_working_days)
    apology_days = frame.select(local_date(pl.col("apology_at"))).to_series()
    in_time = pl.Series(
        (apology_days.is_not_null().to_numpy())
        & (apology_days.cast(pl.Int64).fill_null(0).to_numpy() <= last_day_for_apology)
    )
    frame = frame.with_columns(
        apology_valid=pl.lit(in_time)
        & pl.col("rescheduled_due_at").is_not_null()
        # A new appointment is a later day (a date without time means its end, a due date 17:00).
        & (local_date(pl.col("rescheduled_due_at")) > local_date(pl.col("due_at"))),
    )
    return frame.with_columns(
        received_month=month_of(pl.col("received_at")),
        finished_month=month_of(pl.col("finished_at")),
        overdue_month=month_of(pl.col("overdue_from")),
    )
