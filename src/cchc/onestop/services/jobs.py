"""Imports handed in through the web page, run in the background by django-tasks.

`start_import` records the job and queues `run_import` once the job row is committed (the worker
reads it from the database); `run_import` calls the import service, which writes the outcome on the
job, and adds the per-row error report. While it runs, the rows read so far are kept in the cache
(shared by the worker and the web server) under `progress_key(job_id)`.

A job must never stay "running" after its worker died (kill -9, out of memory, a reboot):

- **heartbeat**: while a job runs, a thread of its worker writes the time under `heartbeat_key` every
  `CCHC_JOB_HEARTBEAT_SECONDS`. It lives in the cache, not on the job row, because the import runs in
  one transaction: on SQLite that transaction holds the database's only write lock (BEGIN IMMEDIATE)
  until it ends, so no other connection could write a heartbeat, and on both databases the job row is
  rewritten by the import's own commit. A thread, not the progress callback, beats so that the long
  last step of a big import (applying the staged rows, rebuilding indexes) does not look like death;
  the thread dies with its process, which is what the heartbeat must tell;
- **sweep** (`sweep_jobs`): a running job whose heartbeat is older than `CCHC_JOB_HEARTBEAT_TIMEOUT`,
  or a job waiting longer than `CCHC_JOB_QUEUED_TIMEOUT` whose task is no longer in the queue, is
  failed with an audit row. Its import had not committed, so nothing of it was written (the rollback
  of the dead transaction takes the dossiers, rollups and staging tables with it; the uploaded file
  stays on the job). The sweep runs when a worker starts (`cchc db_worker`), from `cchc onestop
  sweep-jobs`, and whenever the import list or a job page is opened;
- **cancel and time limit**: a request to stop is kept in the cache under `stop_key` (the web server
  cannot write the job row while an SQLite import holds the lock, and the import's transaction would
  not see it); the progress callback reads it after every batch, as it checks
  `CCHC_JOB_TIME_LIMIT_SECONDS`, and raises `JobStopped`, which rolls the import back. A job still
  waiting is cancelled in the database at once.
"""

import csv
import io
import logging
import math
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cchc.accounts.permissions import ADMINISTER, has_global_permission
from cchc.core import audit, cells
from cchc.onestop.models import UNFINISHED, ImportJob, ImportKind, JobStatus
from cchc.onestop.services.imports import ImportRefused, UnreadableFile, import_dossiers, import_procedures

logger = logging.getLogger(__name__)

PROGRESS_SECONDS = 24 * 60 * 60  # a progress figure (and a heartbeat, a stop request) outlives any import

# Why a job is told to stop (the value kept under `stop_key`).
CANCEL = "cancel"
TIME_LIMIT = "time_limit"
ABANDONED = "abandoned"  # failed by the sweep: a worker that was only paused must not go on

# What `cancel_import` did.
CANCELLED = "cancelled"  # a waiting job, at once
REQUESTED = "requested"  # a running job stops at its next batch
FINISHED = "finished"  # too late: the job had ended


def progress_key(job_id: int) -> str:
    return f"onestop:import:{job_id}:rows"


def heartbeat_key(job_id: int) -> str:
    return f"onestop:import:{job_id}:heartbeat"


def stop_key(job_id: int) -> str:
    return f"onestop:import:{job_id}:stop"


def rows_read(job: ImportJob) -> int:
    """Rows read so far: from the cache while the job runs, from the job once it has finished."""
    if job.is_finished:
        return job.rows
    return int(cache.get(progress_key(job.pk)) or 0)


def cancel_pending(job: ImportJob) -> bool:
    """Whether someone asked to cancel this unfinished job and its worker has not stopped yet."""
    if job.is_finished:
        return False
    stop = cache.get(stop_key(job.pk))
    return bool(stop) and stop.get("reason") == CANCEL


def first_errors(job: ImportJob, limit: int) -> list[list[str]]:
    """The first rows of the job's error report (the report is the only place errors are kept)."""
    if not job.error_report:
        return []
    try:
        with job.error_report.open("rb") as handle:
            text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
            reader = csv.reader(text)
            next(reader, None)  # the header
            rows: list[list[str]] = []
            for row in reader:
                if len(rows) >= limit:
                    break
                rows.append(row)
            return rows
    except FileNotFoundError:
        return []


def start_import(*, actor: Any, kind: str, upload: Any) -> ImportJob:
    """Keep the uploaded file on a new job and queue the import; the caller has checked the permission."""
    with transaction.atomic():
        job = ImportJob(kind=kind, original_name=Path(upload.name).name[:255], created_by=actor)
        job.source.save(Path(upload.name).name, upload, save=False)
        job.save()
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    result = run_import.enqueue(job_id)
    # Kept so that the sweep can tell a job still in the queue from one whose task was lost.
    try:
        ImportJob.objects.filter(pk=job_id).update(task_id=str(result.id))
    except OperationalError:
        # SQLite, when a worker took the task at once and its import holds the lock: the job runs,
        # and a running job is judged by its heartbeat, not by its task.
        logger.warning("Import job %s: task id not kept (database locked)", job_id)


def error_report_csv(errors: list[tuple[int, str, str]], error_count: int) -> bytes:
    """The rejected rows as CSV (UTF-8 with a BOM, so that Excel reads the Vietnamese right)."""
    buffer = io.StringIO()
    writer = cells.csv_writer(buffer)
    writer.writerow([_("row"), _("column"), _("message")])
    writer.writerows(errors)
    if error_count > len(errors):
        writer.writerow(
            ["", "", _("… and %(count)s more rows with errors.") % {"count": error_count - len(errors)}]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _fail(job: ImportJob, message: str) -> None:
    """Record a job that failed, in the change log too: the person who sent the file is told of it
    (onestop/notify_rules.py) and finds it on their work list."""
    before = job.status
    with transaction.atomic():
        job.status = JobStatus.FAILED
        job.message = message
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        audit.record(
            actor=None,
            action="onestop.import_failed",
            obj=job,
            before={"status": before},
            after={"status": JobStatus.FAILED},
            reason=job.original_name,
        )


class JobStopped(Exception):
    """A running job was told to stop (`CANCEL`, `TIME_LIMIT`, `ABANDONED`); raised from the progress
    callback, inside the import's transaction, so that everything it wrote is rolled back."""

    def __init__(self, reason: str, by: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.by = reason, by


class WorkerLost(Exception):
    """Recorded on the task result of a job the sweep found without a living worker."""


class Watch:
    """While a job runs: its heartbeat, beaten by a thread, and the checks the progress callback makes
    after every batch (a stop request, the time limit)."""

    def __init__(self, job: ImportJob) -> None:
        self.job_id = job.pk
        self.deadline = (job.started_at or timezone.now()) + timedelta(
            seconds=settings.CCHC_JOB_TIME_LIMIT_SECONDS
        )
        self.interval = max(1, settings.CCHC_JOB_HEARTBEAT_SECONDS)
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._beat_until_done, name=f"onestop-job-{job.pk}-heartbeat", daemon=True
        )

    def __enter__(self) -> "Watch":
        self.beat()
        self._thread.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._done.set()
        self._thread.join()
        # The job's outcome is written by now (or it stays running, and the sweep counts from its
        # start): the key would only fill the cache for a day.
        cache.delete(heartbeat_key(self.job_id))

    def beat(self) -> None:
        cache.set(heartbeat_key(self.job_id), time.time(), PROGRESS_SECONDS)

    def _beat_until_done(self) -> None:
        while not self._done.wait(self.interval):
            try:
                self.beat()
            except Exception:  # a full disk must not end the heartbeat for good; the next beat may pass
                logger.exception("Heartbeat of import job %s not written", self.job_id)

    def check(self) -> None:
        stop = cache.get(stop_key(self.job_id))
        if stop:
            raise JobStopped(stop.get("reason", CANCEL), stop.get("by"))
        if timezone.now() > self.deadline:
            raise JobStopped(TIME_LIMIT)


@task()
def run_import(job_id: int) -> dict[str, Any] | None:
    """Run one queued import job. Returns the counts (kept by the task backend), or None when the job
    was not run (deleted, cancelled, delivered twice), was refused or was stopped."""
    # Taking the job is one conditional update: a job cancelled meanwhile, or already taken by an
    # earlier delivery of the same task, is left alone.
    taken = ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not taken:
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    cache.set(progress_key(job.pk), 0, PROGRESS_SECONDS)

    # The worker has no request: messages are written in the site's language.
    with translation.override(settings.LANGUAGE_CODE), Watch(job) as watch:

        def progress(rows: int) -> None:
            cache.set(progress_key(job.pk), rows, PROGRESS_SECONDS)
            watch.check()

        try:
            watch.check()  # cancelled while it waited, when the job row could not be written at once
            path = Path(job.source.path)
            if job.kind == ImportKind.DOSSIERS:
                result = import_dossiers(path, actor=job.created_by, job=job, progress=progress)
            elif job.kind == ImportKind.PROCEDURES:
                result = import_procedures(path, actor=job.created_by, job=job)
            else:
                raise ImportRefused(_("This kind of file cannot be imported here."))
        except JobStopped as stop:
            _stopped(job, stop)
            return None
        except (ImportRefused, UnreadableFile) as error:
            _fail(job, str(error))
            return None
        except Exception:
            logger.exception("Import job %s stopped", job.pk)
            _fail(job, _("The import stopped because of an unexpected error; nothing was changed."))
            raise
        except BaseException:
            # The worker itself is being stopped (a second Ctrl+C or SIGTERM ends the task at once):
            # the import has been rolled back, so say so now rather than wait for the sweep.
            _fail(job, abandoned_message())
            raise
        if result.errors:
            name = f"{Path(job.original_name).stem or 'import'}-errors.csv"
            job.error_report.save(
                name, ContentFile(error_report_csv(result.errors, result.error_count)), save=False
            )
            job.save(update_fields=["error_report"])
        cache.set(progress_key(job.pk), result.rows, PROGRESS_SECONDS)
    cache.delete(stop_key(job.pk))  # a cancel that came after the last batch: the job is done
    return result.as_dict()


def _stopped(job: ImportJob, stop: JobStopped) -> None:
    """Record a job stopped by a cancel or its time limit; its import has been rolled back."""
    if stop.reason == ABANDONED:
        logger.warning("Import job %s stopped: the sweep had given it up", job.pk)
        return
    actor = get_user_model().objects.filter(pk=stop.by).first() if stop.by else None
    with transaction.atomic():
        if stop.reason == CANCEL:
            job.status = JobStatus.CANCELLED
            job.message = cancelled_message(actor)
            action = "onestop.import_cancelled"
        else:
            job.status = JobStatus.FAILED
            job.message = time_limit_message()
            action = "onestop.import_timed_out"
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        audit.record(
            actor=actor,
            action=action,
            obj=job,
            before={"status": JobStatus.RUNNING},
            after={"status": job.status, "rows_read": int(cache.get(progress_key(job.pk)) or 0)},
            reason=job.original_name,
        )
    cache.delete(stop_key(job.pk))


def abandoned_message() -> str:
    return _(
        "The process handling this import stopped unexpectedly, so nothing was imported; "
        "please upload the file again."
    )


def cancelled_message(actor: Any) -> str:
    return _("Cancelled by %(name)s; nothing was imported.") % {"name": actor or _("the system")}


def time_limit_message() -> str:
    minutes = max(1, math.ceil(settings.CCHC_JOB_TIME_LIMIT_SECONDS / 60))
    return ngettext(
        "The import ran longer than its limit of %(minutes)s minute and was stopped; nothing was "
        "imported. Split the file into smaller ones and upload them again.",
        "The import ran longer than its limit of %(minutes)s minutes and was stopped; nothing was "
        "imported. Split the file into smaller ones and upload them again.",
        minutes,
    ) % {"minutes": minutes}


# -- cancel ------------------------------------------------------------------------------------------


def may_cancel(user: Any, job: ImportJob) -> bool:
    """The person who started the job, and administrators of the whole province (who see every job)."""
    if user is None or not user.is_authenticated:
        return False
    return job.created_by_id == user.pk or has_global_permission(user, ADMINISTER)


def cancel_import(*, actor: Any, job: ImportJob) -> str:
    """Cancel a waiting or running job: returns `CANCELLED` (a waiting job, at once), `REQUESTED` (a
    running job, which its worker stops and rolls back at its next batch) or `FINISHED` (too late)."""
    if not may_cancel(actor, job):
        raise PermissionDenied
    job.refresh_from_db(fields=["status"])
    if job.is_finished:
        return FINISHED
    # The request goes to the cache first: the worker reads it there whichever way the rest goes.
    cache.set(stop_key(job.pk), {"reason": CANCEL, "by": actor.pk}, PROGRESS_SECONDS)
    if job.status == JobStatus.RUNNING:
        return REQUESTED
    now = timezone.now()
    try:
        with transaction.atomic():
            taken = ImportJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
                status=JobStatus.CANCELLED, message=cancelled_message(actor), finished_at=now
            )
            if not taken:
                return REQUESTED  # a worker took it meanwhile; it stops at its first batch
            job.refresh_from_db()
            audit.record(
                actor=actor,
                action="onestop.import_cancelled",
                obj=job,
                before={"status": JobStatus.QUEUED},
                after={"status": JobStatus.CANCELLED},
                reason=job.original_name,
            )
    except OperationalError:
        # SQLite while another import holds the write lock: the worker cancels the job when it takes it.
        logger.warning("Import job %s: cancel left to the worker (database locked)", job.pk)
        return REQUESTED
    cache.delete(stop_key(job.pk))
    return CANCELLED


# -- sweep -------------------------------------------------------------------------------------------


def sweep_jobs(*, jobs: Any = None, now: datetime | None = None) -> list[ImportJob]:
    """Fail the jobs whose worker is gone (see the module's docstring); returns the jobs failed.

    `jobs` limits the sweep to some jobs (a page looks at its own); by default every unfinished job.
    """
    now = now or timezone.now()
    candidates = ImportJob.objects.filter(status__in=UNFINISHED) if jobs is None else jobs
    failed = []
    for job in candidates:
        if job.status in UNFINISHED and _abandoned(job, now) and _give_up(job, now):
            failed.append(job)
    return failed


def _abandoned(job: ImportJob, now: datetime) -> bool:
    if job.status == JobStatus.RUNNING:
        beat = cache.get(heartbeat_key(job.pk))
        # No heartbeat at all (a cache emptied, a worker killed at once): count from the start.
        last = beat if beat is not None else (job.started_at or job.created_at).timestamp()
        return now.timestamp() - last > settings.CCHC_JOB_HEARTBEAT_TIMEOUT
    if (now - job.created_at).total_seconds() <= settings.CCHC_JOB_QUEUED_TIMEOUT:
        return False
    # Waiting long is normal while the worker is busy or stopped; a job whose task is no longer waiting
    # (lost before it reached the queue, or taken by a worker that died before starting it) never runs.
    return not (job.task_id and _task_waiting(job.task_id, now))


def _task_waiting(task_id: str, now: datetime) -> bool:
    """Whether the job's task is still in the queue, or was taken by a worker so recently that the
    worker may be about to start the job (a job that waited long behind a big import is taken in the
    middle of someone's sweep); a worker that took it longer ago than the heartbeat timeout is dead."""
    taken_since = now - timedelta(seconds=settings.CCHC_JOB_HEARTBEAT_TIMEOUT)
    try:
        return DBTaskResult.objects.filter(
            Q(status=TaskResultStatus.READY)
            | Q(status=TaskResultStatus.RUNNING, started_at__gte=taken_since),
            id=task_id,
        ).exists()
    except (ValidationError, ValueError):  # not an id of the database backend (another backend ran it)
        return False


def _give_up(job: ImportJob, now: datetime) -> bool:
    before = job.status
    with translation.override(settings.LANGUAGE_CODE):
        message = abandoned_message()
    with transaction.atomic():
        # Conditional: the job may have moved on since it was read.
        if not ImportJob.objects.filter(pk=job.pk, status=before).update(
            status=JobStatus.FAILED, message=message, finished_at=now
        ):
            return False
        job.status, job.message, job.finished_at = JobStatus.FAILED, message, now
        audit.record(
            actor=None,
            action="onestop.import_abandoned",
            obj=job,
            before={"status": before},
            after={"status": JobStatus.FAILED},
            reason=job.original_name,
        )
        if job.task_id:
            DBTaskResult.objects.filter(
                id=job.task_id, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
            ).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback="The worker running this task stopped sending its heartbeat; failed by the sweep.",
            )
    # A worker that was only paused (not dead) stops at its next batch instead of going on.
    cache.set(stop_key(job.pk), {"reason": ABANDONED}, PROGRESS_SECONDS)
    logger.warning("Import job %s failed: its worker stopped (%s)", job.pk, before)
    return True
