"""Imports handed in through the web page, run in the background by django-tasks.

`start_import` records the job and queues `run_import` once the job row is committed (the worker
reads it from the database); `run_import` calls the import service, which writes the outcome on the
job, and adds the per-row error report. While it runs, the rows read so far are kept in the cache
(shared by the worker and the web server) under `progress_key(job_id)`.
"""

import csv
import io
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from cchc.onestop.models import ImportJob, ImportKind, JobStatus
from cchc.onestop.services.imports import ImportRefused, UnreadableFile, import_dossiers, import_procedures

logger = logging.getLogger(__name__)

PROGRESS_SECONDS = 24 * 60 * 60  # a progress figure outlives any import


def progress_key(job_id: int) -> str:
    return f"onestop:import:{job_id}:rows"


def rows_read(job: ImportJob) -> int:
    """Rows read so far: from the cache while the job runs, from the job once it has finished."""
    if job.is_finished:
        return job.rows
    return int(cache.get(progress_key(job.pk)) or 0)


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
        transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


def error_report_csv(errors: list[tuple[int, str, str]], error_count: int) -> bytes:
    """The rejected rows as CSV (UTF-8 with a BOM, so that Excel reads the Vietnamese right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("row"), _("column"), _("message")])
    writer.writerows(errors)
    if error_count > len(errors):
        writer.writerow(
            ["", "", _("… and %(count)s more rows with errors.") % {"count": error_count - len(errors)}]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _fail(job: ImportJob, message: str) -> None:
    job.status = JobStatus.FAILED
    job.message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])


@task()
def run_import(job_id: int) -> dict[str, Any] | None:
    """Run one queued import job. Returns the counts (kept by the task backend) or None when refused."""
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.QUEUED:
        return None  # deleted, or delivered twice: the first run has it
    job.status = JobStatus.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    cache.set(progress_key(job.pk), 0, PROGRESS_SECONDS)

    def progress(rows: int) -> None:
        cache.set(progress_key(job.pk), rows, PROGRESS_SECONDS)

    # The worker has no request: messages are written in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            path = Path(job.source.path)
            if job.kind == ImportKind.DOSSIERS:
                result = import_dossiers(path, actor=job.created_by, job=job, progress=progress)
            elif job.kind == ImportKind.PROCEDURES:
                result = import_procedures(path, actor=job.created_by, job=job)
            else:
                raise ImportRefused(_("This kind of file cannot be imported here."))
        except (ImportRefused, UnreadableFile) as error:
            _fail(job, str(error))
            return None
        except Exception:
            logger.exception("Import job %s stopped", job.pk)
            _fail(job, _("The import stopped because of an unexpected error; nothing was changed."))
            raise
        if result.errors:
            name = f"{Path(job.original_name).stem or 'import'}-errors.csv"
            job.error_report.save(
                name, ContentFile(error_report_csv(result.errors, result.error_count)), save=False
            )
            job.save(update_fields=["error_report"])
        cache.set(progress_key(job.pk), result.rows, PROGRESS_SECONDS)
    return result.as_dict()
