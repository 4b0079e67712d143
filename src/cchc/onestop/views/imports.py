"""Import pages: upload a file of dossiers or procedures, follow the job, download its error report.

Dossiers may be imported by anyone who may enter data for some unit (the service rejects the rows of
units outside their reach); the list of procedures only by administrators. A job is seen by the
person who started it and by administrators (`ImportJob.objects.for_user`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cchc.kit import downloads
from cchc.onestop.forms import ImportForm, import_kinds_for, max_upload_bytes
from cchc.onestop.models import ImportJob, JobStatus
from cchc.onestop.services.jobs import first_errors, rows_read, start_import

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
    jobs = ImportJob.objects.for_user(request.user).select_related("created_by")[:RECENT_JOBS]
    context = {"form": form, "jobs": jobs, "max_upload": max_upload_bytes()}
    return render(request, "onestop/imports.html", context)


def _job_or_404(request, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.for_user(request.user).select_related("created_by"), pk=pk)


def _status_context(job: ImportJob) -> dict:
    return {
        "job": job,
        "rows_read": rows_read(job),
        "running": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
        "errors": first_errors(job, ERRORS_SHOWN) if job.is_finished else [],
        "errors_shown": ERRORS_SHOWN,
    }


@login_required
def import_job(request, pk: int):
    job = _job_or_404(request, pk)
    return render(request, "onestop/import_job.html", _status_context(job))


@login_required
def import_job_status(request, pk: int):
    """The part of the job page that htmx reloads every second while the job is waiting or running."""
    job = _job_or_404(request, pk)
    return render(request, "onestop/_job_status.html", _status_context(job))


@login_required
def import_errors(request, pk: int):
    job = _job_or_404(request, pk)
    # Streamed: a report of a hundred thousand bad rows need not sit in memory.
    return downloads.stored_file(job.error_report, content_type=downloads.CSV)
