"""Dossiers pending right now, counted once for everyone who asks within a short time.

"Pending now" and "past the deadline now" are the only figures of the dashboards that the rollups
cannot give (docs/onestop.md): they are counted from the pending dossiers themselves, and with a
province's million dossiers that count reads tens of thousands of rows scattered over the table, the
costliest query of the one-stop dashboard, the plan dashboard and the QĐ 766 page. Every leader who
opens one of them within a minute would read the same figures, so the counts are kept in the cache
for CCHC_ONESTOP_LIVE_SECONDS (default 60; 0 turns this off) under a key that changes

- with every import of dossiers (`dossiers_changed`, called by the import service): a new import is
  seen at once;
- with the database, so that figures never travel between databases (the tests, whose databases
  start afresh, do not share the counts at all: tests/conftest.py);
- with the units asked for, and the time rounded down to the period: a figure is at most that many
  seconds old, and a clock that moves (in tests) gets new ones.
"""

import datetime
import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from cchc.units.models import Unit

VERSION_KEY = "onestop:dossiers-version"


def dossiers_changed() -> None:
    """Mark the pending counts out of date (after dossiers were written): now for this connection,
    and again once the transaction commits, for every other process."""
    _bump()
    if connection.in_atomic_block:
        transaction.on_commit(_bump)


def _bump() -> None:
    # A value never used before, kept without expiry. Counting up with `incr` could come back to a
    # value whose counts are still stored: on the file cache `incr` is a read then a write (two
    # imports ending together write the same next number) that gives the key the cache's default
    # expiry of five minutes, and a key expired or culled would start again from the first number.
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _version() -> str:
    """The current version of the dossiers; a new one when none is stored (never set, or evicted), so
    that counts stored under an earlier one are never found again."""
    version = cache.get(VERSION_KEY)
    if version is None:
        fresh = uuid.uuid4().hex
        cache.add(VERSION_KEY, fresh, None)  # another process may have added its own first: use that
        version = cache.get(VERSION_KEY) or fresh
    return version


def cached_pending(units: list[Unit], now: datetime.datetime, count) -> dict[int, tuple[int, int]]:
    """`count(units, now)` (that is, `stats.pending_now`), through the cache when it is on."""
    seconds = settings.CCHC_ONESTOP_LIVE_SECONDS
    if seconds <= 0 or not units:
        return count(units, now)
    parts = [
        connection.settings_dict["NAME"],
        _version(),
        int(now.timestamp()) // seconds,
        *sorted(unit.pk for unit in units),
    ]
    key = "onestop:pending:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = count(units, now)
        cache.set(key, found, seconds)
    return found
