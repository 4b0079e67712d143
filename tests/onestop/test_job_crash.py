"""A real `cchc db_worker` is killed (SIGKILL) in the middle of an upload import: the job is found dead
by its missing heartbeat, failed with an audit row, nothing of it is left in the database, and the
same file imports afterwards.

PostgreSQL only: the worker is another process, which must reach the test database. pytest-django's
SQLite test database lives in the memory of the test process; on PostgreSQL it is a real database,
and with `transaction=True` the test's rows are committed, so the worker sees them. CI runs the suite
on both databases, so this test runs in the PostgreSQL pass.
"""

import datetime
import json
import os
import signal
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cchc.core.models import AuditEntry
from cchc.onestop.models import Dossier, FieldMonthRollup, ImportJob, JobStatus, UnitMonthRollup
from cchc.onestop.services.jobs import progress_key, sweep_jobs
from tests.conftest import uploaded

pytestmark = [pytest.mark.django_db(transaction=True)]

ROWS = 50_000
BATCH_ROWS = 20  # thousands of batches: the worker is surely still importing when it is killed
WAIT_SECONDS = 120  # how long the worker may take to start (a bound against hanging, not a measure)


@pytest.fixture
def shared(settings, tmp_path):
    """The cache, the uploaded files and the task queue, shared by this process and the worker."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "the worker process cannot reach an in-memory SQLite test database (PostgreSQL pass only)"
        )
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    address = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}{password}@{address}/{db['NAME']}",
        "CCHC_SECRET_KEY": get_random_string(50),
        "CCHC_VAR_DIR": str(tmp_path / "var"),
        "CCHC_CACHE_DIR": str(tmp_path / "cache"),
        "CCHC_MEDIA_ROOT": str(tmp_path / "media"),
        "CCHC_TASKS_BACKEND": "database",
        "CCHC_JOB_HEARTBEAT_SECONDS": "1",
    }
    yield env
    cache.clear()


def _worker(env, tmp_path, *options, **variables):
    log = (tmp_path / "worker.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "cchc", "db_worker", "--no-reload", "--no-startup-delay", *options],
        env={**env, **variables},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _dossiers_file() -> str:
    return json.dumps(
        [
            {
                "dossier_code": f"STP-{n}",
                "procedure_code": "HT-01",
                "unit_code": "99.STP",
                "received_at": "2026-01-05 09:00",
                "finished_at": "2026-01-08 10:00",
            }
            for n in range(ROWS)
        ]
    )


def test_a_killed_worker_leaves_a_failed_job_and_nothing_else(shared, client, cast, procedures, tmp_path):
    client.force_login(cast["justice_focal"])
    content = _dossiers_file()
    worker = _worker(shared, tmp_path, "--interval", "0.1", CCHC_IMPORT_BATCH_ROWS=str(BATCH_ROWS))
    try:
        client.post(reverse("onestop:imports"), {"kind": "dossiers", "file": uploaded("ho-so.json", content)})
        job = ImportJob.objects.get(created_by=cast["justice_focal"])
        # Wait until the worker has read some rows of the file (the job is then surely inside its import).
        deadline = time.monotonic() + WAIT_SECONDS
        while not (cache.get(progress_key(job.pk)) or 0) and worker.poll() is None:
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.05)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait()
    assert worker.returncode == -signal.SIGKILL, (tmp_path / "worker.log").read_text()

    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # killed in the middle: nobody told the job
    assert 0 < cache.get(progress_key(job.pk)) < ROWS
    assert not Dossier.objects.exists()  # the import had not committed
    assert sweep_jobs() == []  # its last heartbeat is recent: it may still be alive

    # A minute later, with no heartbeat since, the sweep (here the command) gives the job up.
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=90)):
        call_command("onestop", "sweep-jobs")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "Tiến trình xử lý đã dừng bất thường" in job.message
    assert AuditEntry.objects.filter(action="onestop.import_abandoned", object_id=str(job.pk)).count() == 1
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == TaskResultStatus.FAILED and task.exception_class_path.endswith("WorkerLost")
    assert not (
        Dossier.objects.exists() or FieldMonthRollup.objects.exists() or UnitMonthRollup.objects.exists()
    )
    assert not job.error_report

    # The same file again, with a new worker that stops when the queue is empty, is imported whole.
    client.post(reverse("onestop:imports"), {"kind": "dossiers", "file": uploaded("ho-so.json", content)})
    again = ImportJob.objects.filter(created_by=cast["justice_focal"]).exclude(pk=job.pk).get()
    worker = _worker(shared, tmp_path, "--batch")
    try:
        worker.wait(timeout=WAIT_SECONDS * 3)
    finally:
        worker.kill()
        worker.wait()
    again.refresh_from_db()
    assert (again.status, again.created, again.error_count) == (JobStatus.DONE, ROWS, 0), (
        tmp_path / "worker.log"
    ).read_text()
    assert Dossier.objects.count() == ROWS
