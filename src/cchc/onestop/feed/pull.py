"""Pulling a feed source: page after page, each imported with the checkpoint in one transaction.

- **checkpoint**: after each page the source's (update time, code) checkpoint moves to the page's
  last record, in the transaction that imports the page. A run killed between pages loses nothing
  (the next run asks for what follows the last committed page) and counts nothing twice (a page
  served again is upserted by dossier code through the import service: its records are "unchanged");
- **rejected records**: a record the import refuses (a wrong date, an unknown procedure) is kept
  raw in `FeedRejected` with its reason, and the rest of its page is imported;
- **one run at a time**: a run starts only when no run of its source is running with a recent
  heartbeat (`heartbeat_at`, written before every request and with every page); a running run
  whose heartbeat is too old (its worker was killed) is marked interrupted (`sweep_runs`);
- **schedule**: `pull_feed` enqueues its own next run `interval_minutes` later when it ends,
  succeeded or failed (`schedule`, which enqueues only when none is waiting).
"""

import datetime
import json
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task
from django_tasks.base import TaskResultStatus

from cchc.onestop.feed.client import CODE_FIELD, UPDATED_FIELD, FeedUnavailable, fetch_page
from cchc.onestop.feed.pruning import prune_runs
from cchc.onestop.ingest.dossiers import ALIASES
from cchc.onestop.models import FeedRejected, FeedRun, FeedRunState, FeedSource, ImportJob, ImportKind
from cchc.onestop.services.imports import ImportRefused, ImportResult, UnreadableFile, import_dossiers

logger = logging.getLogger(__name__)

MAX_KEPT_ERRORS = 100  # messages kept on a run; the rejected records themselves are all kept
IMPORT_ATTEMPTS = 4  # a page whose wrong rows are set aside may reveal others
# Pages in a row that may leave the checkpoint where it was (a duplicate page) before the run fails:
# a source that ignores `updated_since`/`after`, or sends no update times, would be asked forever.
STALLED_PAGES = 3
# An update time further ahead than this is a wrong record, not a clock a little fast: taken as the
# checkpoint it would make the feed ask for changes after it, and miss every real one until then.
FUTURE_TOLERANCE = datetime.timedelta(days=1)
# The import's column names, as the source sends them (the national portal's), for the reasons shown.
PORTAL_NAMES = {column: name for name, column in ALIASES.items()}

Key = tuple[datetime.datetime, str]


class _Rejected(Exception):
    """The attempt found wrong rows: undo it (the rows are set aside and the rest tried again)."""


def stale_after(source: FeedSource) -> float:
    """Seconds without a heartbeat after which a running run is taken for dead: longer than the
    longest silent stretch of a living run (one request at its time limit after the longest wait)."""
    backoff = float(settings.CCHC_FEED_BACKOFF_SECONDS) * 2 ** max(0, source.max_retries - 1)
    return source.timeout_seconds + backoff + settings.CCHC_JOB_HEARTBEAT_TIMEOUT


def sweep_runs(*, source: FeedSource | None = None, now: datetime.datetime | None = None) -> list[FeedRun]:
    """Mark interrupted the running runs whose worker stopped beating; returns them."""
    now = now or timezone.now()
    runs = FeedRun.objects.filter(state=FeedRunState.RUNNING).select_related("source")
    if source is not None:
        runs = runs.filter(source=source)
    swept = []
    with translation.override(settings.LANGUAGE_CODE):
        message = _("The worker running this pull stopped; the next run resumes from the last page imported.")
    for run in runs:
        last = run.heartbeat_at or run.started_at
        if (now - last).total_seconds() <= stale_after(run.source):
            continue
        errors = [*run.errors, message][-MAX_KEPT_ERRORS:]
        if FeedRun.objects.filter(pk=run.pk, state=FeedRunState.RUNNING).update(
            state=FeedRunState.INTERRUPTED, finished_at=now, errors=errors
        ):
            run.state = FeedRunState.INTERRUPTED
            swept.append(run)
    return swept


def start_run(source: FeedSource) -> FeedRun | None:
    """A new running run of `source`, or None when a living run of it is going on."""
    with transaction.atomic():
        FeedSource.objects.select_for_update().filter(pk=source.pk).first()  # serialises two starters
        sweep_runs(source=source)
        if FeedRun.objects.filter(source=source, state=FeedRunState.RUNNING).exists():
            return None
        return FeedRun.objects.create(source=source, heartbeat_at=timezone.now())


def pull(source: FeedSource, *, sleep: Any = None) -> FeedRun | None:
    """One run of `source`: pages until the source has nothing more. Returns the run (None when
    another run was going on). A source that stops answering fails the run; its checkpoint stays
    at the last page imported."""
    run = start_run(source)
    if run is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        try:
            stalled = 0
            while True:
                source.refresh_from_db()
                checkpoint = (source.checkpoint_time, source.checkpoint_code)
                extra = {"sleep": sleep} if sleep else {}
                asked_at = timezone.now()
                page = fetch_page(
                    source, source.checkpoint_time, source.checkpoint_code, beat=lambda: _beat(run), **extra
                )
                last = not page.has_next or not page.items
                # The last page answered a request sent at `asked_at`: every change made before then
                # has been received, however long ago the newest record changed (a quiet weekend).
                if not _import_page(
                    source, run, page.items, page.retries, complete_at=asked_at if last else None
                ):
                    return run  # the run was given up by a sweep meanwhile: its worker must not go on
                if last:
                    break
                source.refresh_from_db()
                stalled = stalled + 1 if (source.checkpoint_time, source.checkpoint_code) == checkpoint else 0
                if stalled >= STALLED_PAGES:
                    raise FeedUnavailable(
                        _(
                            "The source sent %(count)s pages in a row with no record newer than the last one "
                            "imported (or with no update time): it does not follow the protocol of the feed."
                        )
                        % {"count": stalled}
                    )
        except FeedUnavailable as error:
            if error.retries:  # the retries of the page that never came
                FeedRun.objects.filter(pk=run.pk).update(retries=F("retries") + error.retries)
            _finish(run, FeedRunState.FAILED, str(error))
            return run
        except BaseException:
            logger.exception("Feed run %s stopped", run.pk)
            _finish(run, FeedRunState.FAILED, _("The pull stopped because of an unexpected error."))
            raise
        _finish(run, FeedRunState.SUCCEEDED)
    return run


def _beat(run: FeedRun) -> None:
    FeedRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())


def _finish(run: FeedRun, state: str, message: str = "") -> None:
    source = FeedSource.objects.get(pk=run.source_id)
    now = timezone.now()
    lag = int((now - source.data_fresh_to).total_seconds()) if source.data_fresh_to else None
    run.refresh_from_db()
    errors = [*run.errors, message][-MAX_KEPT_ERRORS:] if message else run.errors
    FeedRun.objects.filter(pk=run.pk, state=FeedRunState.RUNNING).update(
        state=state, finished_at=now, lag_seconds=lag, errors=errors, heartbeat_at=now
    )
    run.refresh_from_db()


def record_key(item: Any) -> Key | None:
    """(update time, code) of a record, or None when it lacks either (it cannot be placed in order),
    or when its update time is too far in the future to be true."""
    if not isinstance(item, dict):
        return None
    code, text = item.get(CODE_FIELD), item.get(UPDATED_FIELD)
    if not isinstance(code, str) or not code or not isinstance(text, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > timezone.now() + FUTURE_TOLERANCE:
        return None
    return moment, code


def _import_page(
    source: FeedSource,
    run: FeedRun,
    items: list[Any],
    retries: int,
    *,
    complete_at: datetime.datetime | None = None,
) -> bool:
    """Import one page and move the checkpoint, in one transaction. False when the run is no longer
    running (swept as dead while this worker was paused): nothing is written then. `complete_at`: the
    page is the last one, asked for then; the data is fresh to that moment."""
    keys = [record_key(item) for item in items]
    rejected: dict[int, str] = {
        i: _(
            "The record has no dossier code (MaHoSo) or no valid update time (NgayCapNhat), "
            "or its update time is in the future."
        )
        for i, key in enumerate(keys)
        if key is None
    }
    with transaction.atomic():
        locked = FeedSource.objects.select_for_update().get(pk=source.pk)
        if not FeedRun.objects.filter(pk=run.pk, state=FeedRunState.RUNNING).exists():
            return False
        seen = _seen(locked, keys)
        result = _import_records(locked, items, rejected, seen)
        # A record that cannot be placed in order (say, dated in 2099) is sent again on every run,
        # since the checkpoint never passes it: it is set aside once, not once a run.
        again = _set_aside_before(locked, {i: items[i] for i in rejected})
        FeedRejected.objects.bulk_create(
            [
                FeedRejected(run=run, code=_code_of(items[i]), raw=items[i], reason=reason)
                for i, reason in sorted(rejected.items())
                if i not in again
            ]
        )
        for i in again:
            del rejected[i]
        known = [key for key in keys if key is not None]
        if known:
            newest = max(known)
            checkpoint = (locked.checkpoint_time, locked.checkpoint_code)
            if locked.checkpoint_time is None or newest > checkpoint:
                locked.checkpoint_time, locked.checkpoint_code = newest
            if locked.data_fresh_to is None or newest[0] > locked.data_fresh_to:
                locked.data_fresh_to = newest[0]
        if complete_at is not None and (locked.data_fresh_to is None or complete_at > locked.data_fresh_to):
            locked.data_fresh_to = complete_at
        locked.save(update_fields=["checkpoint_time", "checkpoint_code", "data_fresh_to"])
        errors = run.errors
        if rejected:
            run.refresh_from_db(fields=["errors"])
            note = _("%(count)s record(s) rejected on page %(page)s.") % {
                "count": len(rejected),
                "page": run.pages + 1,
            }
            errors = [*run.errors, note][-MAX_KEPT_ERRORS:]
        FeedRun.objects.filter(pk=run.pk).update(
            pages=F("pages") + 1,
            rows=F("rows") + len(items),
            created=F("created") + result.created,
            updated=F("updated") + result.updated,
            unchanged=F("unchanged") + result.unchanged + len(seen) + len(again),
            rejected=F("rejected") + len(rejected),
            retries=F("retries") + retries,
            errors=errors,
            heartbeat_at=timezone.now(),
        )
    run.refresh_from_db()
    return True


def _set_aside_before(source: FeedSource, items: dict[int, Any]) -> set[int]:
    """Which of these rejected records the source already had set aside, exactly as they are now.

    Only records with a dossier code: without one, two equal items are not known to be the same record.
    """
    codes = {_code_of(item) for item in items.values()} - {""}
    if not codes:
        return set()
    kept = {
        (code, _canonical(raw))
        for code, raw in FeedRejected.objects.filter(run__source=source, code__in=codes).values_list(
            "code", "raw"
        )
    }
    return {i for i, item in items.items() if (_code_of(item), _canonical(item)) in kept}


def _canonical(raw: Any) -> str:
    return json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str)


def _job_of(source: FeedSource) -> ImportJob:
    """The source's import job (created at its first page); `source` is locked by the caller."""
    job = ImportJob.objects.filter(pk=source.import_job_id).first() if source.import_job_id else None
    if job is None:
        job = ImportJob.objects.create(
            kind=ImportKind.DOSSIERS, original_name=source.name[:255], created_by=None
        )
        FeedSource.objects.filter(pk=source.pk).update(import_job=job)
        source.import_job = job
    return job


def _code_of(item: Any) -> str:
    return str(item.get(CODE_FIELD) or "")[:200] if isinstance(item, dict) else ""


def _seen(source: FeedSource, keys: list[Key | None]) -> set[int]:
    """The page's records not to import: those at or before the checkpoint (a page served again, after
    a crash or by mistake: imported already, and an old version must not overwrite a newer one), and
    the older versions of a dossier the page holds twice (the newest wins, as across pages)."""
    checkpoint = (source.checkpoint_time, source.checkpoint_code) if source.checkpoint_time else None
    newest: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key is not None and (key[1] not in newest or key > keys[newest[key[1]]]):  # type: ignore[operator]
            newest[key[1]] = i
    return {
        i
        for i, key in enumerate(keys)
        if key is not None and ((checkpoint is not None and key <= checkpoint) or newest[key[1]] != i)
    }


def _import_records(
    source: FeedSource, items: list[Any], rejected: dict[int, str], seen: set[int]
) -> ImportResult:
    """Import the page's records not yet rejected nor `seen`; rows the import refuses are added to
    `rejected` and the rest tried again (the import itself is all or nothing).

    Every page of a source is recorded on one import job (`FeedSource.import_job`), whose counts add
    up: a job per page would bury the uploads of the import list under the feed's pages."""
    for _attempt in range(IMPORT_ATTEMPTS):
        keep = [i for i in range(len(items)) if i not in rejected and i not in seen]
        if not keep:
            return ImportResult()
        records = [{k: v for k, v in items[i].items() if k != UPDATED_FIELD} for i in keep]
        result = ImportResult()
        try:
            with transaction.atomic():  # a refused attempt leaves no job nor audit row behind
                job = _job_of(source)
                totals = (job.rows, job.created, job.updated, job.unchanged)
                result = import_dossiers(records, actor=None, job=job, batch_rows=len(records) + 1)
                if not result.applied:
                    raise _Rejected
                ImportJob.objects.filter(pk=job.pk).update(
                    rows=totals[0] + result.rows,
                    created=totals[1] + result.created,
                    updated=totals[2] + result.updated,
                    unchanged=totals[3] + result.unchanged,
                )
                return result
        except _Rejected:
            for row, column, message in result.errors:
                name = PORTAL_NAMES.get(column, column)
                rejected[keep[row - 1]] = f"{name}: {message}" if name else message
        except (ImportRefused, UnreadableFile) as error:
            for i in keep:
                rejected[i] = str(error)
            return ImportResult()
    for i in [i for i in range(len(items)) if i not in rejected]:  # never reached with sane data
        rejected[i] = _("The record could not be imported.")
    return ImportResult()


# -- schedule ----------------------------------------------------------------------------------------


@task()
def pull_feed(source_id: int) -> dict[str, Any] | None:
    """The background task: one run of the source, then its next run queued `interval_minutes` later."""
    source = FeedSource.objects.filter(pk=source_id, enabled=True).first()
    if source is None:
        return None
    run = None
    try:
        run = pull(source)
        prune_runs()
    finally:
        # Also when the start was skipped: the run going on may be one started by hand (`cchc onestop
        # feed pull`), which queues nothing; `schedule` queues nothing when a pull already waits.
        schedule(source, delay=datetime.timedelta(minutes=source.interval_minutes))
    if run is None:
        return None
    return {"run": run.pk, "state": run.state, "rows": run.rows, "rejected": run.rejected}


def pending(source: FeedSource, *, due_now: bool = False) -> bool:
    """Whether a pull of `source` waits in the database queue (other backends keep no queue to look at);
    with `due_now`, only a pull that may start at once counts (not the next run of the schedule)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a requirement
        return False
    path = f"{pull_feed.func.__module__}.{pull_feed.func.__qualname__}"
    waiting = (DBTaskResult.objects.ready() if due_now else DBTaskResult.objects).filter(
        task_path=path, status=TaskResultStatus.READY
    )
    return any((row.args_kwargs or {}).get("args") == [source.pk] for row in waiting.only("args_kwargs"))


def resume_schedules() -> list[FeedSource]:
    """Queue a pull of every enabled source that has none waiting (when a worker starts: a worker that
    died during a pull never queued the next one); returns the sources queued."""
    return [source for source in FeedSource.objects.filter(enabled=True) if schedule(source)]


def schedule(source: FeedSource, *, delay: datetime.timedelta | None = None) -> bool:
    """Queue a pull of `source` (after `delay`) unless one is waiting; returns whether one was queued.

    Without `delay` ("Chạy ngay", the command, a worker starting) only a pull due now counts as
    waiting: the schedule's next run, due in a quarter of an hour, must not make the button useless.
    A backend that cannot defer (the immediate one of tests) gets no next run: it would run at once,
    forever."""
    if not source.enabled or pending(source, due_now=not delay):
        return False
    if delay:
        if not default_task_backend.supports_defer:
            return False
        pull_feed.using(run_after=timezone.now() + delay).enqueue(source.pk)
    else:
        pull_feed.enqueue(source.pk)
    return True
