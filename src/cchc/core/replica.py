"""Reads from a PostgreSQL streaming replica (docs/operations.md, "Read replica").

Dashboards, statistics and exports only read, and they read a lot; with a second database alias
"replica" configured (DATABASE_REPLICA_URL), their reads go there and leave the primary to the people
entering data. Only views marked with `reads_from_replica` do so: everything else, every write and
every read inside an open transaction on the primary stays on "default", so a page never mixes a write
with a read of older data.

Before sending a read to the replica the router asks it (at most once every
CCHC_REPLICA_CHECK_SECONDS per process) whether it answers and how far its replay is behind; past
CCHC_REPLICA_MAX_LAG_SECONDS, or when it does not answer, reads go to the primary and the change is
logged once. A replica that fails in the middle of a page costs a second run of that page on the
primary, not an error for the user.
"""

import contextvars
import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import OperationalError, connections, router, transaction

logger = logging.getLogger(__name__)

DEFAULT = "default"
REPLICA = "replica"

# Per request (contextvars follow the thread or task that serves it): is the scope open, did the
# router send a read to the replica, did anything write. A dict, so the router can mark it in place.
Scope = dict[str, bool]
_scope: contextvars.ContextVar[Scope | None] = contextvars.ContextVar("cchc_replica_scope", default=None)

# How far replay is behind, in seconds: none when the replica has received no more WAL than it has
# replayed (an idle primary writes nothing, so the last replayed transaction's age says nothing then);
# otherwise the age of the last replayed transaction; none replayed since start counts as too far.
LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 0
  WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
END
"""


class _Health:
    """The last verdict on the replica in this process, so that not every page asks it again."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked_at = float("-inf")
        self.usable: bool | None = None  # none yet: the first verdict is logged too

    def forget(self) -> None:
        """The next read asks the replica again (after a failure, and between tests)."""
        with self.lock:
            self.checked_at = float("-inf")

    def set(self, usable: bool, reason: str) -> bool:
        """Store a verdict; a change is logged once, not on every page."""
        with self.lock:
            if usable != self.usable:
                if usable:
                    logger.info("Reads of dashboards and exports go to the replica.")
                else:
                    logger.warning("Reads of dashboards and exports go to the primary: %s", reason)
            self.usable, self.checked_at = usable, time.monotonic()
            return usable


health = _Health()


def configured() -> bool:
    """A replica alias exists (DATABASE_REPLICA_URL was set, or a test added one)."""
    return REPLICA in connections.settings


def replica_lag() -> float:
    """Seconds of replay the replica is behind (0 when caught up); raises when it does not answer."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])


def replica_usable() -> bool:
    """Whether reads may go to the replica now: it answers and is less than the bound behind."""
    if not configured():
        return False
    max_age = getattr(settings, "CCHC_REPLICA_CHECK_SECONDS", 5)
    if time.monotonic() - health.checked_at < max_age:
        return bool(health.usable)
    bound = settings.CCHC_REPLICA_MAX_LAG_SECONDS
    try:
        lag = replica_lag()
    except Exception as error:  # down, refusing, or a test that did not ask for it: read the primary
        _close_replica()
        return health.set(False, f"the replica does not answer ({type(error).__name__}: {error})".strip())
    if lag > bound:
        return health.set(False, f"the replica is {lag:.1f} s behind (bound {bound} s)")
    return health.set(True, "")


def _close_replica() -> None:
    """Drop this thread's replica connection, so the next attempt opens a fresh one."""
    try:
        connections[REPLICA].close()
    except Exception:  # a broken connection may fail to close; it is gone either way
        logger.debug("closing the replica connection failed", exc_info=True)


def read_connection(model: Any) -> Any:
    """The connection for a raw SQL read of `model`'s table: Django routes querysets by itself, but
    `connection.cursor()` is always the primary, so raw reads of dashboards ask here."""
    return connections[router.db_for_read(model)]


class ReplicaRouter:
    """Send reads inside a `replica_reads()` scope to the replica, all else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        scope = _scope.get()
        if scope is None or scope["primary_only"] or not configured():
            return DEFAULT
        # A read inside a write must see that write (and the rows it locked): the primary.
        if transaction.get_connection(DEFAULT).in_atomic_block:
            return DEFAULT
        if not replica_usable():
            return DEFAULT
        scope["used_replica"] = True
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        scope = _scope.get()
        if scope is not None:
            scope["wrote"] = True
        return DEFAULT

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the same rows: an object read there may point at one from the primary.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT


@contextmanager
def replica_reads(primary_only: bool = False) -> Iterator[dict[str, bool]]:
    """Within this block, reads may go to the replica (see the router); nested scopes share one."""
    outer = _scope.get()
    if outer is not None and not primary_only:
        yield outer
        return
    token = _scope.set({"primary_only": primary_only, "used_replica": False, "wrote": False})
    try:
        yield _scope.get()  # type: ignore[misc]
    finally:
        _scope.reset(token)


@contextmanager
def _watching_replica(scope: Scope) -> Iterator[None]:
    """Note in the scope when a query on the replica fails (a dead link, or a query the replica
    cancelled to go on replaying), so that only the replica's failures send the page to the primary."""
    if not configured():
        yield
        return

    def watch(execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: Any) -> Any:
        try:
            return execute(sql, params, many, context)
        except Exception:
            scope["replica_error"] = True
            raise

    with connections[REPLICA].execute_wrapper(watch):
        yield


def _replica_failed(scope: Scope) -> bool:
    """The error came from the replica: a query there failed, or its link is gone or never opened."""
    if scope.get("replica_error"):
        return True
    link = connections[REPLICA]
    return link.connection is None or not link.is_usable()


def reads_from_replica(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view that only reads (a dashboard, statistics, an export): its reads may go to the
    replica. Put it under `login_required`, so that the signed-in user is read from the primary.
    When the replica fails in the middle, the view runs again on the primary, unless it has written
    something already (a second run would write it twice), then the error stands."""

    @functools.wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
        with replica_reads() as scope, _watching_replica(scope):
            try:
                return view(request, *args, **kwargs)
            except OperationalError:
                if not scope["used_replica"] or scope["wrote"] or not _replica_failed(scope):
                    raise
                logger.warning("The replica failed in %s; reading the primary.", request.path, exc_info=True)
        _close_replica()
        health.set(False, "the replica failed during a request")
        with replica_reads(primary_only=True):
            return view(request, *args, **kwargs)

    return wrapped
