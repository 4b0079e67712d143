"""The signed-in user's work ("Việc của tôi"): everything waiting for them across every module.

Each module here reads one domain and returns `WorkItem`s with a fixed number of queries (no query
per row); `my_work` gathers them and `grouped` orders them for the page. `counts` gives the number per
navigation section for the sidebar's badges, cached per user for COUNTS_SECONDS so that an ordinary
page costs one cache read (docs/work.md).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from cchc.web.work import inspections, onestop, parindex, plans, surveys
from cchc.web.work.items import KINDS, Kind, WorkItem
from cchc.web.work.roles import Roles, roles_of
from cchc.workdays.calendar import WorkCalendar, get_calendar

MODULES: list[Callable[[object, Roles, datetime.date, WorkCalendar], list[WorkItem]]] = [
    plans.work,
    inspections.work,
    parindex.work,
    surveys.work,
    onestop.work,
]
TOTAL = "total"
# A minute: a badge may lag behind the list by that much; the page itself is always fresh and
# refreshes the badge. An installation may change it with the setting CCHC_WORK_COUNTS_SECONDS.
COUNTS_SECONDS = 60


def my_work(user, today: datetime.date | None = None) -> list[WorkItem]:
    """Everything waiting for `user`, most urgent first."""
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    roles, calendar = roles_of(user), get_calendar()
    items = [item for module in MODULES for item in module(user, roles, today, calendar)]
    return sorted(items, key=WorkItem.sort_key)


@dataclass(frozen=True)
class Group:
    """The items of one kind, in the order of urgency."""

    kind: Kind
    items: list[WorkItem]

    @property
    def overdue(self) -> int:
        return sum(item.overdue for item in self.items)


def grouped(items: list[WorkItem]) -> list[Group]:
    """Groups by kind; the group holding the most urgent item comes first (ties: the kinds' order)."""
    by_kind: dict[str, list[WorkItem]] = {}
    for item in items:  # already sorted, so each group is too
        by_kind.setdefault(item.kind.key, []).append(item)
    order = {kind.key: position for position, kind in enumerate(KINDS)}
    groups = [Group(found[0].kind, found) for found in by_kind.values()]
    return sorted(groups, key=lambda group: (group.items[0].sort_key()[:2], order[group.kind.key]))


def tally(items: list[WorkItem]) -> dict[str, int]:
    """The number of items per navigation section (a section's URL name), and the total."""
    counts = {TOTAL: len(items)}
    for item in items:
        counts[item.kind.section] = counts.get(item.kind.section, 0) + 1
    return counts


def _counts_key(user) -> str:
    # The moment the account was created tells apart two accounts that got the same id one after the
    # other (the demonstration data reloaded, a test database rolled back), which must not share counts.
    joined = int(user.date_joined.timestamp() * 1_000_000) if user.date_joined else 0
    return f"cchc:work-counts:{user.pk}:{joined}"


def remember_counts(user, items: list[WorkItem]) -> dict[str, int]:
    counts = tally(items)
    cache.set(_counts_key(user), counts, getattr(settings, "CCHC_WORK_COUNTS_SECONDS", COUNTS_SECONDS))
    return counts


def cached_counts(user) -> dict[str, int] | None:
    """The badges' numbers if the cache holds them, else None (nothing is computed)."""
    if not user.is_authenticated:
        return {}
    return cache.get(_counts_key(user))


def counts(user) -> dict[str, int]:
    """The badges' numbers: from the cache, or computed (the whole work list) and cached."""
    cached = cached_counts(user)
    if cached is not None:
        return cached
    return remember_counts(user, my_work(user))


def forget_counts(user) -> None:
    cache.delete(_counts_key(user))
