"""A real `cchc db_worker` pulling from a slow stand-in server is killed (SIGKILL) after some pages: the
run is found interrupted, a new run resumes from the checkpoint, and in the end every dossier is in
the database exactly once, with counts that add up.

PostgreSQL only, like tests/onestop/test_job_crash.py (whose approach this copies): the worker is
another process and must reach the test database, which an in-memory SQLite database is not.
"""

import datetime
import os
import signal
import time

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from cchc.onestop.feed.pull import schedule, sweep_runs
from cchc.onestop.models import Dossier, FeedRun, FeedRunState, FeedSource
from tests.onestop.feed.standin import Standin, serve, url_of
from tests.onestop.test_job_crash import WAIT_SECONDS, _worker, shared  # noqa: F401 - shared is a fixture

pytestmark = [pytest.mark.django_db(transaction=True)]

RECORDS, PAGE = 60, 5


@pytest.fixture
def slow_standin():
    data = Standin(RECORDS, delay=0.3)  # about 3 pages a second: the worker is surely mid-run when killed
    server = serve(data)
    yield data, url_of(server)
    server.shutdown()
    server.server_close()


def test_a_killed_worker_loses_nothing_and_counts_nothing_twice(
    shared,  # noqa: F811 - the fixture imported above
    justice,
    procedures,
    slow_standin,
    tmp_path,
):
    standin, url = slow_standin
    source = FeedSource.objects.create(
        name="Một cửa tỉnh",
        base_url=url,
        page_size=PAGE,
        timeout_seconds=5,
        max_retries=2,
        interval_minutes=60,
    )
    env = {**shared, "CCHC_FEED_BACKOFF_MS": "10"}
    log = tmp_path / "worker.log"
    worker = _worker(env, tmp_path, "--interval", "0.1")
    try:
        schedule(source)  # unless the worker, starting, has queued it already (`resume_schedules`)
        # Wait until the worker has committed three pages, then kill it.
        deadline = time.monotonic() + WAIT_SECONDS
        while not FeedRun.objects.filter(source=source, pages__gte=3).exists():
            assert worker.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait()
    assert worker.returncode == -signal.SIGKILL, log.read_text()

    killed = FeedRun.objects.get(source=source)
    assert killed.state == FeedRunState.RUNNING  # nobody told the run
    assert 3 <= killed.pages < RECORDS // PAGE
    committed = killed.pages * PAGE
    assert (killed.rows, killed.created, killed.unchanged) == (committed, committed, 0)
    assert Dossier.objects.count() == committed  # exactly the pages whose checkpoint moved
    source.refresh_from_db()
    assert source.checkpoint_code == f"FEED-{committed - 1:05d}"
    assert sweep_runs() == []  # its heartbeat is recent: it may still be alive

    # Ten minutes later, with no heartbeat since, the sweep finds it interrupted.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        call_command("onestop", "feed", "sweep")
    killed.refresh_from_db()
    assert killed.state == FeedRunState.INTERRUPTED

    # A new run, by a worker that stops when the queue is empty, resumes after the checkpoint.
    standin.delay = 0
    standin.requests.clear()
    assert schedule(source)
    worker = _worker(env, tmp_path, "--batch")
    try:
        worker.wait(timeout=WAIT_SECONDS * 3)
    finally:
        worker.kill()
        worker.wait()
    resumed = FeedRun.objects.filter(source=source).exclude(pk=killed.pk).get()
    assert resumed.state == FeedRunState.SUCCEEDED, log.read_text()
    assert standin.requests[0]["after"] == f"FEED-{committed - 1:05d}"
    left = RECORDS - committed
    assert (resumed.rows, resumed.created, resumed.updated, resumed.unchanged) == (left, left, 0, 0)
    assert Dossier.objects.count() == RECORDS
    assert set(Dossier.objects.values_list("code", flat=True)) == {f"FEED-{n:05d}" for n in range(RECORDS)}
    assert killed.created + resumed.created == RECORDS
