"""The monthly partitions of the dossier table (PostgreSQL): creating the coming months' ahead of
their rows, and detaching old months for archiving (docs/onestop.md, "Partitions").

Detaching a month takes its dossiers out of lists, searches and raw queries; the rollups keep their
counts, and what those dossiers contributed to them is kept (`ArchivedContribution`) so that a
rebuild or a check of the rollups stays right. An archived month takes no more dossiers.
"""

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task
from django_tasks.base import TaskResultStatus

from cchc.accounts.permissions import ADMINISTER, has_global_permission
from cchc.core import audit
from cchc.core.settings_store import get_setting
from cchc.onestop.ingest import partitions, store
from cchc.onestop.models import ArchivedMonth

# How many months after the current one have a partition ready: the daily job keeps this window, so
# that the first dossiers of a month never wait for a partition to be created.
DEFAULT_AHEAD = 3
logger = logging.getLogger(__name__)


class PartitionRefused(Exception):
    """The partitions cannot be changed as asked; nothing was changed."""


@dataclass
class MonthState:
    month: datetime.date
    name: str
    state: str  # "attached" or "archived"
    rows: int  # attached: the planner's estimate (-1 before the partition's first ANALYZE); archived: exact


def _this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


def _require_partitioned() -> None:
    if not partitions.is_partitioned():
        raise PartitionRefused(
            _("The dossier table is not partitioned: partitions exist only on PostgreSQL.")
        )


def ensure_ahead(ahead: int | None = None) -> list[datetime.date]:
    """Create the partitions of the current month and the `ahead` months after it that have none;
    returns the months created. Schema upkeep rather than a recorded fact: no audit row."""
    if ahead is None:
        ahead = months_ahead()
    if ahead < 0:
        raise PartitionRefused(_("The number of months ahead cannot be negative."))
    if not partitions.is_partitioned():
        return []
    with transaction.atomic():
        return partitions.create(partitions.months_from(_this_month(), ahead + 1))


def months_ahead() -> int:
    """The setting onestop.partitions_ahead, or DEFAULT_AHEAD when it is not a whole number of months
    from 0 up: a mistyped value must not stop the worker that keeps the partitions (it runs this as
    it starts), and rows arriving without a partition would be refused."""
    value = get_setting("onestop.partitions_ahead", DEFAULT_AHEAD)
    try:
        ahead = int(value)
    except (TypeError, ValueError):
        ahead = -1
    if ahead < 0:
        logger.warning(
            "onestop.partitions_ahead is %r, not a number of months: %s used", value, DEFAULT_AHEAD
        )
        return DEFAULT_AHEAD
    return ahead


def month_states() -> list[MonthState]:
    """Every month the dossier table has or had: attached partitions and archived months, oldest first."""
    states = [MonthState(p.month, p.name, "attached", p.rows) for p in partitions.attached()]
    states += [MonthState(a.month, a.table_name, "archived", a.rows) for a in ArchivedMonth.objects.all()]
    return sorted(states, key=lambda s: s.month)


def detach_before(before: datetime.date, *, actor: Any) -> list[ArchivedMonth]:
    """Detach every partition of a month before `before` (a first day), keeping what its dossiers
    contributed to the rollups; refused whole when any of those months still has dossiers in progress,
    or when `before` is after the current month."""
    if actor is not None and not has_global_permission(actor, ADMINISTER):
        raise PartitionRefused(_("Only administrators may archive months of dossiers."))
    _require_partitioned()
    before = before.replace(day=1)
    if before > _this_month():
        raise PartitionRefused(
            _("The current month and the months after it cannot be archived: choose a month up to %(month)s.")
            % {"month": f"{_this_month():%m/%Y}"}
        )
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Imports wait (they take the same lock first); the readers go on until the detach itself.
            cursor.execute(f"LOCK TABLE {partitions.PARENT} IN SHARE ROW EXCLUSIVE MODE")
        chosen = [p for p in partitions.attached() if p.month < before]
        if not chosen:
            raise PartitionRefused(
                _("No month before %(month)s has dossiers in the table.") % {"month": f"{before:%m/%Y}"}
            )
        still_open = partitions.open_months(before)
        if still_open:
            listed = ", ".join(
                _("%(month)s (%(count)s dossiers)")
                % {"month": f"{m:%m/%Y}", "count": number_format(n, use_l10n=True, force_grouping=True)}
                for m, n in still_open
            )
            raise PartitionRefused(
                _(
                    "These months still have dossiers in progress, which later imports will change: "
                    "%(months)s. Archive only months whose dossiers have all ended."
                )
                % {"months": listed}
            )
        # Every month's contributions first: the first detach locks out the readers until the commit.
        archived = [_keep(partition, actor) for partition in chosen]
        for archive in archived:
            partitions.detach(archive.table_name)
            audit.record(
                actor=actor,
                action="onestop.archive_month",
                obj=archive,
                before={},
                after={"month": archive.month.isoformat(), "table": archive.table_name, "rows": archive.rows},
            )
    return archived


def _keep(partition: partitions.Partition, actor: Any) -> ArchivedMonth:
    archive = ArchivedMonth.objects.create(
        month=partition.month,
        table_name=partition.name,
        rows=partitions.count_rows(partition.name),
        detached_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    store.keep_contributions(partition.name, archive.pk)
    return archive


def archived_months() -> set[datetime.date]:
    return set(ArchivedMonth.objects.values_list("month", flat=True))


# -- the daily job ----------------------------------------------------------------------------------


@task()
def keep_partitions_ahead() -> list[str]:
    """The background job: the coming months' partitions, then the same again a day later."""
    try:
        created = ensure_ahead()
    finally:
        schedule_daily(delay=datetime.timedelta(days=1))
    return [month.isoformat() for month in created]


def _waiting() -> bool:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a requirement
        return False
    path = f"{keep_partitions_ahead.func.__module__}.{keep_partitions_ahead.func.__qualname__}"
    return DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY).exists()


def schedule_daily(*, delay: datetime.timedelta | None = None) -> bool:
    """Queue the job unless one waits (a worker starting queues it; each run queues the next).

    A backend that cannot defer (the immediate one of tests) gets no next run: it would run at once,
    forever. Returns whether a run was queued."""
    if not partitions.is_partitioned() or _waiting():
        return False
    if delay:
        if not default_task_backend.supports_defer:
            return False
        keep_partitions_ahead.using(run_after=timezone.now() + delay).enqueue()
    else:
        keep_partitions_ahead.enqueue()
    return True
