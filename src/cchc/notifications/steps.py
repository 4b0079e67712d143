"""The deadline steps every module uses: 7, 3 and 1 working days before, then overdue on the first
working day after and every fifth working day since (the rule of the plan reminders, docs/plans.md)."""

import datetime

from django.utils.translation import ngettext

from cchc.workdays.calendar import add_working_days, is_working_day, working_days_between

DUE = "due"
OVERDUE = "overdue"
DAYS_BEFORE = (7, 3, 1)
OVERDUE_EVERY = 5
ONE_DAY = datetime.timedelta(days=1)  # calendar step to the day after; working days come from the engine


def horizon(today: datetime.date) -> datetime.date:
    """Due dates before this day may be at a step today (at most 7 working days left)."""
    return add_working_days(today, max(DAYS_BEFORE) + 1)


def step(due: datetime.date, today: datetime.date) -> tuple[str, int] | None:
    """(DUE, working days left) or (OVERDUE, working days late) when today is a reminder day, else None."""
    if not is_working_day(today):
        return None
    if due >= today:
        left = working_days_between(today + ONE_DAY, due) if due > today else 0
        return (DUE, left) if left in DAYS_BEFORE else None
    late = working_days_between(due + ONE_DAY, today)
    return (OVERDUE, late) if late >= 1 and (late - 1) % OVERDUE_EVERY == 0 else None


def step_key(found: tuple[str, int], due: datetime.date) -> str:
    return f"{due.isoformat()}:{found[0]}:{found[1]}"


def step_words(found: tuple[str, int], due: datetime.date) -> str:
    """ "3 working days left until 23/02/2026" or "Overdue since 23/02/2026 (6 working days)"."""
    kind, days = found
    values = {"days": days, "deadline": f"{due:%d/%m/%Y}"}
    if kind == DUE:
        return (
            ngettext(
                "%(days)d working day left until %(deadline)s",
                "%(days)d working days left until %(deadline)s",
                days,
            )
            % values
        )
    return (
        ngettext(
            "Overdue since %(deadline)s (%(days)d working day)",
            "Overdue since %(deadline)s (%(days)d working days)",
            days,
        )
        % values
    )
