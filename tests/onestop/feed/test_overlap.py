"""Two pulls of one source started at the same moment, in two threads with their own database
connections: one runs, the other finds it going on and does not start (no overlap, no double count).

PostgreSQL only, like test_worker_killed.py: the start is serialised by locking the source row
(SELECT … FOR UPDATE), which SQLite does not have (it serialises whole transactions instead), and an
in-memory SQLite test database cannot be shared by threads with their own connections.
"""

import threading

import pytest
from django.db import connection

from cchc.onestop.feed.pull import pull
from cchc.onestop.models import Dossier, FeedRun, FeedRunState

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_two_pulls_started_together_never_overlap(source, standin):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and threads sharing the test database need PostgreSQL (PostgreSQL pass only)")
    standin.delay = 0.2  # each page takes a while: the second start surely comes during the first run
    barrier, results, errors = threading.Barrier(2), [], []

    def start():
        try:
            barrier.wait()
            results.append(pull(source.__class__.objects.get(pk=source.pk)))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sorted(run is None for run in results) == [False, True]
    run = FeedRun.objects.get(source=source)
    assert run.state == FeedRunState.SUCCEEDED and (run.pages, run.created) == (3, 25)
    assert Dossier.objects.filter(code__startswith="FEED-").count() == 25
