"""The public forms' rate limit and single-use stamps hold when posts arrive at the same time: with
30 concurrent posts and an allowance of 20, exactly 20 are accepted; one stamp posted 10 times at once
is accepted once. Each thread posts through its own test client and database connection."""

import importlib
import threading
from collections import Counter

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from cchc.surveys import antispam
from cchc.surveys.models import Feedback, PublicPostCount, SpentStamp

pytestmark = pytest.mark.usefixtures("public_forms", "province")
# Threads see only committed rows, so these tests commit (and the tables are emptied after each).
concurrent = pytest.mark.django_db(transaction=True)

ADDRESS = "203.0.113.40"


def _feedback(stamp: str, number: int) -> dict[str, str]:
    return {
        "kind": "procedure",
        "title": f"Hồ sơ chậm trả kết quả {number}",
        "content": "Nộp hồ sơ đã lâu mà chưa có kết quả.",
        "contact": "",
        antispam.STAMP_FIELD: stamp,
        antispam.HONEYPOT_FIELD: "",
    }


def _post_together(bodies: list[dict[str, str]]) -> Counter:
    """Post every body from its own thread, all released at once; the answers' status codes."""
    url = reverse("public:feedback")
    start = threading.Barrier(len(bodies))
    answers: list[int] = []
    failures: list[BaseException] = []

    def post(body: dict[str, str]) -> None:
        try:
            client = Client()
            start.wait()
            answers.append(client.post(url, body, REMOTE_ADDR=ADDRESS).status_code)
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    return Counter(answers)


@pytest.fixture
def concurrent_database():
    """Threads need a database that takes concurrent writers: SQLite's shared in-memory test database
    answers "table is locked" to the second writer at once instead of waiting (the file database the
    app runs on waits), so these two tests run on PostgreSQL (DATABASE_URL) or a file database."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("concurrent writers need PostgreSQL or a file database, not SQLite in memory")
    # The deadlines the surveys migration loads, which an earlier transactional test may have emptied.
    importlib.import_module("cchc.surveys.migrations.0002_feedback_deadlines").load(apps, None)


@concurrent
def test_thirty_concurrent_posts_with_an_allowance_of_twenty(settings, concurrent_database):
    settings.CCHC_PUBLIC_POSTS_PER_HOUR = 20
    answers = _post_together([_feedback(antispam.new_stamp("feedback"), number) for number in range(30)])
    assert answers == {302: 20, 429: 10}
    assert Feedback.objects.count() == 20
    assert PublicPostCount.objects.get().count == 20


@concurrent
def test_one_stamp_posted_ten_times_at_once_is_accepted_once(concurrent_database):
    stamp = antispam.new_stamp("feedback")
    answers = _post_together([_feedback(stamp, number) for number in range(10)])
    assert answers[302] == 1 and sum(answers.values()) == 10
    assert Feedback.objects.count() == 1
    assert SpentStamp.objects.count() == 1


@pytest.mark.django_db
def test_a_stamp_sent_again_later_is_refused_with_a_reason(client):
    stamp = antispam.new_stamp("feedback")
    assert client.post(reverse("public:feedback"), _feedback(stamp, 1)).status_code == 302
    again = client.post(reverse("public:feedback"), _feedback(stamp, 2))
    assert again.status_code == 400
    assert "đã được gửi" in again.content.decode()
    assert Feedback.objects.count() == 1


@pytest.mark.django_db
def test_a_stamp_without_a_nonce_is_refused(client):
    from django.core import signing

    old = signing.dumps({"k": "feedback", "t": antispam._now() - 60}, salt=antispam.STAMP_SALT)
    assert client.post(reverse("public:feedback"), _feedback(old, 1)).status_code == 400
    assert Feedback.objects.count() == 0


@pytest.mark.django_db
def test_old_counters_and_spent_stamps_are_deleted_as_new_ones_are_written(client, monkeypatch):
    first = antispam.new_stamp("feedback")
    assert client.post(reverse("public:feedback"), _feedback(first, 1)).status_code == 302
    later = antispam._now() + 3 * 60 * 60
    monkeypatch.setattr(antispam, "_now", lambda: later)
    assert (
        client.post(reverse("public:feedback"), _feedback(antispam.new_stamp("feedback"), 2)).status_code
        == 302
    )
    assert PublicPostCount.objects.count() == 1 and SpentStamp.objects.count() == 1
