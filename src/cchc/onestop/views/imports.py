"""Import pages: upload a file of dossiers or procedures, follow the job, download its error report.

Dossiers may be imported by anyone who may enter data for some unit (the service rejects the rows of
units outside their reach); the list of procedures only by administrators. A job is seen by the
person who started it and by administrators (`ImportJob.objects.for_user`), who may also cancel it
while it waits or runs. Opening the list or a job first fails the jobs whose worker died
(`jobs.sweep_jobs`), so that no one watches a dead job "running" forever.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.kit import downloads
from cchc.onestop.forms import ImportForm, import_kinds_for, max_upload_bytes
from cchc.onestop.models import UNFINISHED, ImportJob
from cchc.onestop.services import jobs as job_services
from cchc.onestop.services.jobs import first_errors, rows_read, start_import

logger = logging.getLogger(__name__)

RECENT_JOBS = 20
ERRORS_SHOWN = 50


@login_required
def imports(request):
    if not import_kinds_for(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = start_import(
            actor=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
        )
        messages.info(request, _("The file is received; the import runs in the background."))
        return redirect("onestop:import-job", pk=job.pk)
    _sweep()
    jobs = ImportJob.objects.for_user(request.user).select_related("created_by")[:RECENT_JOBS]
    context = {"form": form, "jobs": jobs, "max_upload": max_upload_bytes()}
    return render(request, "onestop/imports.html", context)


def _sweep(jobs: list[ImportJob] | None = None) -> None:
    """Fail the jobs whose worker died before showing them; a page still opens if that cannot be written
    now (SQLite while an import holds the lock): the next look, or the worker, will do it."""
    try:
        job_services.sweep_jobs(jobs=jobs)
    except DatabaseError:
        logger.warning("Import jobs not swept", exc_info=True)


def _job_or_404(request, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.for_user(request.user).select_related("created_by"), pk=pk)
    if not job.is_finished:
        _sweep([job])
    return job


def _status_context(request, job: ImportJob) -> dict:
    running = job.status in UNFINISHED
    cancelling = job_services.cancel_pending(job)
    return {
        "job": job,
        "rows_read": rows_read(job),
        "running": running,
        "cancelling": cancelling,
        "may_cancel": running and not cancelling and job_services.may_cancel(request.user, job),
        "errors": first_errors(job, ERRORS_SHOWN) if job.is_finished else [],
        "errors_shown": ERRORS_SHOWN,
    }


@login_required
def import_job(request, pk: int):
    job = _job_or_404(request, pk)
    return render(request, "onestop/import_job.html", _status_context(request, job))


@login_required
def import_job_status(request, pk: int):
    """The part of the job page that htmx reloads every second while the job is waiting or running."""
    job = _job_or_404(request, pk)
    return render(request, "onestop/_job_status.html", _status_context(request, job))


@login_required
@require_POST
def cancel_import_job(request, pk: int):
    """Cancel a waiting job at once, or ask a running one to stop (and roll back) at its next batch."""
    job = _job_or_404(request, pk)
    outcome = job_services.cancel_import(actor=request.user, job=job)
    if outcome == job_services.CANCELLED:
        messages.success(request, _("The import was cancelled; nothing was imported."))
    elif outcome == job_services.REQUESTED:
        messages.info(
            request, _("The import stops and is undone at its next batch of rows; nothing is kept.")
        )
    else:
        messages.warning(request, _("The import had already ended; there was nothing to cancel."))
    return redirect("onestop:import-job", pk=job.pk)


@login_required
def import_errors(request, pk: int):
    job = _job_or_404(request, pk)
    # Streamed: a report of a hundred thousand bad rows need not sit in memory.
    return downloads.stored_file(job.error_report, content_type=downloads.CSV)
