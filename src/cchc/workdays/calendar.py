"""Placeholder until the working-day engine lands (see issue 2, item 5)."""

import datetime


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    raise NotImplementedError
