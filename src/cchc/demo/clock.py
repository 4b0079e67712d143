"""The day the demo treats as today.

Every date the demo chooses (a dossier's receipt, a task's state, which reporting rounds are past,
a campaign's deadlines) is counted from this day, so a demo loaded today looks like a province on
an ordinary working day. `cchc demo --today` sets another day, for tests and for showing the loop at
another point of the year. The services still stamp the real clock's time on the steps they record.
"""

import contextlib
import datetime
from collections.abc import Iterator

from django.utils import timezone

_override: list[datetime.date] = []


def today() -> datetime.date:
    return _override[-1] if _override else timezone.localdate()


def now() -> datetime.datetime:
    """The present moment on the demo's day: the real time when the day is today; on a day set with
    `on_day`, the end of its office hours (or the real time if earlier), so a given day always gives
    the same data."""
    real = timezone.localtime()
    if not _override or _override[-1] == real.date():
        return real
    closing = timezone.make_aware(datetime.datetime.combine(_override[-1], datetime.time(17, 0)))
    return min(closing, real)


@contextlib.contextmanager
def on_day(day: datetime.date | None) -> Iterator[None]:
    """Treat `day` as today inside the block (None: the real day)."""
    if day is None:
        yield
        return
    _override.append(day)
    try:
        yield
    finally:
        _override.pop()
