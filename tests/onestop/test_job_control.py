"""Import jobs under control: cancelled while waiting or running, stopped at their time limit, and failed
by the sweep when their worker died (the kill test itself is in test_job_crash.py)."""

import datetime
import json

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from cchc.core.models import AuditEntry
from cchc.onestop.models import Dossier, FieldMonthRollup, ImportJob, ImportKind, JobStatus, UnitMonthRollup
from cchc.onestop.services import jobs
from tests.conftest import uploaded
from tests.onestop.test_jobs import GOOD

HEADER = GOOD.splitlines()[0].split(",")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_run_in_process")]

ABANDONED_VI = "Tiến trình xử lý đã dừng bất thường"


# The two dossiers of test_jobs.GOOD as JSON, whose batches hold exactly CCHC_IMPORT_BATCH_ROWS rows
# (a CSV is parsed megabytes at a time, so a small one is a single batch whatever the setting).
RECORDS = json.dumps([dict(zip(HEADER, row.split(","), strict=True)) for row in GOOD.splitlines()[1:]])


def _upload(client):
    return client.post(
        reverse("onestop:imports"), {"kind": "dossiers", "file": uploaded("ho-so.json", RECORDS)}
    )


def _web_jobs():
    """Jobs started on the web page (the `procedures` fixture leaves one of the command line)."""
    return ImportJob.objects.filter(created_by__isnull=False)


def _audit(job, action):
    return AuditEntry.objects.filter(action=action, object_id=str(job.pk))


def _nothing_imported():
    return not (
        Dossier.objects.exists() or FieldMonthRollup.objects.exists() or UnitMonthRollup.objects.exists()
    )


def _stop_during_import(monkeypatch, act):
    """Run `act(rows)` after each batch the import reads, as a user or the clock would act meanwhile."""
    real = jobs.import_dossiers

    def importing(path, *, progress, **kwargs):
        def between_batches(rows):
            act(rows)
            progress(rows)

        return real(path, progress=between_batches, **kwargs)

    monkeypatch.setattr(jobs, "import_dossiers", importing)


def _job(user, status, **fields):
    job = ImportJob.objects.create(
        kind=ImportKind.DOSSIERS, original_name="lon.csv", created_by=user, status=status
    )
    if fields:
        ImportJob.objects.filter(pk=job.pk).update(**fields)  # created_at is set on creation otherwise
        job.refresh_from_db()
    return job


def test_a_waiting_job_is_cancelled_at_once_and_never_runs(
    client, cast, procedures, django_capture_on_commit_callbacks
):
    client.force_login(cast["justice_focal"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        _upload(client)
    job = _web_jobs().get()
    page = client.get(reverse("onestop:import-job", args=[job.pk])).content.decode()
    assert job.status == JobStatus.QUEUED and 'data-testid="job-cancel"' in page

    response = client.post(reverse("onestop:import-cancel", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and job.finished_at and job.message
    entry = _audit(job, "onestop.import_cancelled").get()
    assert entry.actor == cast["justice_focal"] and entry.after == {"status": "cancelled"}

    for enqueue in queued:  # the worker reaches the task later: it finds the job cancelled
        enqueue()
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and job.started_at is None and _nothing_imported()
    body = client.get(reverse("onestop:import-job", args=[job.pk])).content.decode()
    polling = reverse("onestop:import-job-status", args=[job.pk])
    assert 'data-status="cancelled"' in body and polling not in body and "job-cancel" not in body


def test_a_running_job_stops_at_its_next_batch_and_keeps_nothing(
    client, cast, procedures, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CCHC_IMPORT_BATCH_ROWS = 1  # GOOD has two rows: the cancel comes between them
    client.force_login(cast["justice_focal"])
    seen = {}

    def press_cancel(rows):
        if rows == 1:
            job = _web_jobs().get()
            seen["status"] = job.status
            seen["cancel"] = client.post(reverse("onestop:import-cancel", args=[job.pk])).status_code
            seen["page"] = client.get(reverse("onestop:import-job-status", args=[job.pk])).content.decode()

    _stop_during_import(monkeypatch, press_cancel)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client)
    job = _web_jobs().get()
    assert seen["status"] == JobStatus.RUNNING and seen["cancel"] == 302
    assert 'data-testid="job-cancelling"' in seen["page"] and 'job-cancel"' not in seen["page"]
    assert job.status == JobStatus.CANCELLED and job.rows == 0 and job.created == 0
    assert _nothing_imported()  # the first batch was written, then rolled back
    entry = _audit(job, "onestop.import_cancelled").get()
    assert entry.actor == cast["justice_focal"] and entry.after == {"status": "cancelled", "rows_read": 1}
    assert cache.get(jobs.stop_key(job.pk)) is None

    monkeypatch.undo()  # the same file again, left alone, is imported
    settings.CCHC_IMPORT_BATCH_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client)
    again = _web_jobs().exclude(pk=job.pk).get()
    assert (again.status, again.created) == (JobStatus.DONE, 2)


def test_a_job_past_its_time_limit_stops_and_keeps_nothing(
    client, cast, procedures, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CCHC_IMPORT_BATCH_ROWS = 1
    settings.CCHC_JOB_TIME_LIMIT_SECONDS = 120
    client.force_login(cast["justice_focal"])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _stop_during_import(monkeypatch, lambda rows: clock.shift(datetime.timedelta(seconds=121)))
        with django_capture_on_commit_callbacks(execute=True):
            _upload(client)
    job = _web_jobs().get()
    assert job.status == JobStatus.FAILED and "2 phút" in job.message
    assert _nothing_imported()
    assert _audit(job, "onestop.import_timed_out").get().actor is None


def test_who_may_cancel_a_job(client, cast, procedures, django_capture_on_commit_callbacks):
    client.force_login(cast["justice_focal"])
    with django_capture_on_commit_callbacks(execute=False):
        _upload(client)
    job = _web_jobs().get()
    url = reverse("onestop:import-cancel", args=[job.pk])
    assert client.get(url).status_code == 405  # a change only by POST

    client.force_login(cast["commune_officer"])  # someone else's job: not even seen
    assert client.post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        jobs.cancel_import(actor=cast["commune_officer"], job=job)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast["justice_focal"])
    assert strict.post(url).status_code == 403  # no CSRF token
    client.logout()
    assert client.post(url).status_code == 302 and _web_jobs().get().status == JobStatus.QUEUED

    client.force_login(cast["reform_admin"])  # administrators of the province may cancel any job
    client.post(url)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert _audit(job, "onestop.import_cancelled").get().actor == cast["reform_admin"]


def test_a_finished_job_is_not_cancelled(client, cast):
    job = _job(cast["justice_focal"], JobStatus.DONE, rows=2, created=2)
    client.force_login(cast["justice_focal"])
    client.post(reverse("onestop:import-cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and not _audit(job, "onestop.import_cancelled").exists()
    assert cache.get(jobs.stop_key(job.pk)) is None


def test_the_sweep_fails_running_jobs_whose_worker_is_silent(cast, settings):
    settings.CCHC_JOB_HEARTBEAT_TIMEOUT = 60
    now = timezone.now()
    long_ago = now - datetime.timedelta(minutes=10)
    silent = _job(cast["justice_focal"], JobStatus.RUNNING, started_at=long_ago)
    cache.set(jobs.heartbeat_key(silent.pk), (now - datetime.timedelta(seconds=61)).timestamp())
    beating = _job(cast["justice_focal"], JobStatus.RUNNING, started_at=long_ago)
    cache.set(jobs.heartbeat_key(beating.pk), (now - datetime.timedelta(seconds=5)).timestamp())
    # Killed before its first beat reached the cache: counted from its start.
    unborn = _job(cast["justice_focal"], JobStatus.RUNNING, started_at=long_ago)
    just_started = _job(
        cast["justice_focal"], JobStatus.RUNNING, started_at=now - datetime.timedelta(seconds=30)
    )
    done = _job(cast["justice_focal"], JobStatus.DONE, started_at=long_ago)

    assert {job.pk for job in jobs.sweep_jobs(now=now)} == {silent.pk, unborn.pk}
    for job in (silent, unborn):
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED and job.message.startswith(ABANDONED_VI) and job.finished_at
        entry = _audit(job, "onestop.import_abandoned").get()
        assert entry.actor is None and entry.before == {"status": "running"}
        # Were its worker only paused, it stops at its next batch instead of going on.
        assert cache.get(jobs.stop_key(job.pk)) == {"reason": jobs.ABANDONED}
    for job in (beating, just_started, done):
        status = job.status
        job.refresh_from_db()
        assert job.status == status
    assert jobs.sweep_jobs(now=now) == []  # once


def test_the_sweep_fails_waiting_jobs_whose_task_is_gone(cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CCHC_JOB_QUEUED_TIMEOUT = 15 * 60
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    waiting = _job(cast["justice_focal"], JobStatus.QUEUED, created_at=hour_ago)
    jobs._enqueue(waiting.pk)  # in the queue, no worker yet: it may wait
    waiting.refresh_from_db()
    lost = _job(cast["justice_focal"], JobStatus.QUEUED, created_at=hour_ago)  # never reached the queue
    fresh = _job(cast["justice_focal"], JobStatus.QUEUED)
    assert {job.pk for job in jobs.sweep_jobs()} == {lost.pk}

    # A worker takes the task: it may be about to start the job, which is left alone...
    task = DBTaskResult.objects.get(pk=waiting.task_id)
    task.claim("dead-worker")
    assert jobs.sweep_jobs() == []
    # ...until it has been silent for the heartbeat's timeout: it died before starting the job.
    later = timezone.now() + datetime.timedelta(seconds=settings.CCHC_JOB_HEARTBEAT_TIMEOUT + 1)
    assert {job.pk for job in jobs.sweep_jobs(now=later)} == {waiting.pk}
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED and task.exception_class_path.endswith("WorkerLost")
    fresh.refresh_from_db()
    assert fresh.status == JobStatus.QUEUED


def test_opening_the_job_or_the_list_shows_a_dead_job_failed(client, cast, settings):
    settings.CCHC_JOB_HEARTBEAT_TIMEOUT = 60
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    client.force_login(cast["justice_focal"])
    job = _job(cast["justice_focal"], JobStatus.RUNNING, started_at=long_ago)
    body = client.get(reverse("onestop:import-job-status", args=[job.pk])).content.decode()
    assert 'data-status="failed"' in body and ABANDONED_VI in body and 'hx-trigger="every' not in body

    other = _job(cast["justice_focal"], JobStatus.RUNNING, started_at=long_ago)
    listed = client.get(reverse("onestop:imports"))
    assert {job.status for job in listed.context["jobs"]} == {JobStatus.FAILED}
    other.refresh_from_db()
    assert other.status == JobStatus.FAILED


def test_the_worker_and_the_command_sweep(cast, settings, monkeypatch, capsys):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    first = _job(cast["justice_focal"], JobStatus.RUNNING, started_at=long_ago)
    worked = []  # the worker's loop itself is django-tasks-db's (and the kill test runs it for real)
    monkeypatch.setattr(db_worker.Command, "handle", lambda self, *args, **options: worked.append(options))
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    first.refresh_from_db()
    assert first.status == JobStatus.FAILED and worked and worked[0]["batch"]

    second = _job(cast["justice_focal"], JobStatus.RUNNING, started_at=long_ago)
    call_command("onestop", "sweep-jobs")
    second.refresh_from_db()
    assert second.status == JobStatus.FAILED
    assert "1 lần nhập được ghi là không thành công" in capsys.readouterr().out


def test_a_worker_stopped_by_its_operator_fails_the_job_at_once(cast, procedures, monkeypatch):
    """A second Ctrl+C or SIGTERM ends the task with SystemExit or KeyboardInterrupt mid-import."""
    job = _job(cast["justice_focal"], JobStatus.QUEUED)
    job.source.save("ho-so.json", ContentFile(RECORDS.encode()))

    def stop(rows):
        raise KeyboardInterrupt

    _stop_during_import(monkeypatch, stop)
    with pytest.raises(KeyboardInterrupt):
        jobs.run_import.call(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message.startswith(ABANDONED_VI)
    assert _nothing_imported()
