"""When a schedule is due, and which period its brief covers: plain date arithmetic, no database."""

import calendar
import datetime

from cchc.core.periods import Period
from cchc.web.models import BriefSubscription, PeriodKind


def is_due(subscription: BriefSubscription, day: datetime.date) -> bool:
    """Weekly on its weekday, or monthly on its day; a day past the month's end (31 in April) falls
    on the month's last day, so that a monthly brief is never skipped."""
    if subscription.weekday is not None:
        return day.weekday() == subscription.weekday
    if subscription.day_of_month is None:
        return False
    last = calendar.monthrange(day.year, day.month)[1]
    return day.day == min(subscription.day_of_month, last)


def period_before(kind: str, day: datetime.date) -> Period:
    """The last whole period of `kind` that ended before `day`: on 05/11/2026 the last month is
    10/2026, the last quarter Q3/2026, the last half-year H1/2026 and the last year 2025."""
    year, month = day.year, day.month
    if kind == PeriodKind.LAST_MONTH:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return Period.parse(f"{year}-{month:02d}")
    if kind == PeriodKind.LAST_QUARTER:
        quarter = (month - 1) // 3  # the quarter before the current one, 0 meaning last year's fourth
        return Period.parse(f"{year - 1}-Q4" if quarter == 0 else f"{year}-Q{quarter}")
    if kind == PeriodKind.LAST_HALF:
        return Period.parse(f"{year - 1}-H2" if month <= 6 else f"{year}-H1")
    if kind == PeriodKind.LAST_YEAR:
        return Period.parse(str(year - 1))
    raise ValueError(f"unknown period kind {kind!r}")
