"""Review of the live feed (review C): the cases the first tests left out, each a bug found and fixed."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cchc.onestop.feed.pull import pull, pull_feed
from cchc.onestop.feed.sources import FeedSourceForm
from cchc.onestop.models import Dossier, FeedRejected, FeedRun, FeedRunState, ImportJob
from tests.onestop.feed.standin import START, UTC

pytestmark = pytest.mark.django_db


def _counts(run):
    return run.pages, run.rows, run.created, run.updated, run.unchanged, run.rejected


def test_a_source_whose_pages_never_move_the_checkpoint_fails_instead_of_looping(
    source, standin, monkeypatch
):
    # A source that sends no update time and always says "there is more": the same page forever.
    first, calls = standin.page({"limit": "10"})["items"], []

    def no_update_time(query):
        calls.append(query)
        if len(calls) > 20:  # a bound so that the bug shows as a failed assertion, not a hung test
            return {"items": [], "next": None}
        return {"items": [{**r, "NgayCapNhat": None} for r in first], "next": {"after": "?"}}

    monkeypatch.setattr(standin, "page", no_update_time)
    run = pull(source)
    assert run.state == FeedRunState.FAILED
    assert len(calls) <= 3
    assert "không có bản ghi nào mới" in run.errors[-1]
    assert FeedRejected.objects.filter(run=run).count() <= 30


def test_a_stale_page_served_again_neither_reverts_a_dossier_nor_rejects_twice(source, standin, monkeypatch):
    standin.malformed = {"FEED-00004"}
    stale = standin.page({"limit": "10"})  # FEED-00003 as it was (status 4), FEED-00004 broken
    standin.put(3, START + datetime.timedelta(minutes=15, seconds=30), status="6")  # now on page 2
    original, calls = standin.page, []

    def served(query):
        calls.append(query)
        if len(calls) == 3:  # the old first page again, after FEED-00003 changed on page 2
            return {**stale, "next": {"updated_since": "x"}}
        return original(query)

    monkeypatch.setattr(standin, "page", served)
    run = pull(source)
    assert run.state == FeedRunState.SUCCEEDED, run.errors
    assert _counts(run) == (4, 35, 24, 0, 10, 1)
    assert Dossier.objects.get(code="FEED-00003").status == 6
    assert FeedRejected.objects.filter(code="FEED-00004").count() == 1


def test_a_dossier_sent_twice_on_one_page_keeps_its_newest_version(source, standin, monkeypatch):
    original = standin.page

    def with_history(query):
        answer = original(query)
        if answer["items"] and answer["items"][0]["MaHoSo"] == "FEED-00000":
            old = {**answer["items"][1], "TrangThaiHoSo": "2"}
            answer["items"][1] = {**answer["items"][1], "TrangThaiHoSo": "6"}
            old["NgayCapNhat"] = START.isoformat()  # an older version of FEED-00001, sent too
            answer["items"].insert(1, old)
        return answer

    monkeypatch.setattr(standin, "page", with_history)
    run = pull(source)
    assert run.state == FeedRunState.SUCCEEDED and run.rejected == 0, run.errors
    assert Dossier.objects.get(code="FEED-00001").status == 6
    assert Dossier.objects.filter(code__startswith="FEED-").count() == 25


def test_a_scheduled_run_that_finds_another_going_on_still_queues_its_next(source, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    FeedRun.objects.create(source=source, heartbeat_at=timezone.now())  # e.g. `cchc onestop feed pull`
    assert pull_feed.call(source.pk) is None
    queued = DBTaskResult.objects.get(task_path__endswith="pull_feed")
    assert queued.run_after > timezone.now() + datetime.timedelta(minutes=10)


def test_equal_update_times_and_mixed_time_zones_lose_nothing(source, standin):
    standin.records.clear()
    same = START + datetime.timedelta(hours=1)
    for n in range(25):
        if n % 3 == 0:  # a third share one update time, given in UTC: 01:00Z is 08:00+07:00
            standin.put(n, same.astimezone(UTC))
        elif n % 3 == 1:
            standin.put(n, same)
        else:  # in UTC, before and after the shared time
            standin.put(n, (same + datetime.timedelta(minutes=n - 12)).astimezone(UTC))
    run = pull(source)
    assert run.state == FeedRunState.SUCCEEDED
    assert _counts(run) == (3, 25, 25, 0, 0, 0)
    assert Dossier.objects.filter(code__startswith="FEED-").count() == 25


def test_data_is_fresh_to_the_last_request_of_a_complete_run_not_to_the_last_change(source, standin):
    # The records changed in January; a run that got everything in December is not "11 months late".
    before = timezone.now()
    run = pull(source)
    source.refresh_from_db()
    assert source.data_fresh_to >= before and run.lag_seconds < 60
    # A run that could not reach the end is fresh only to the newest record it imported.
    standin.put(30, START + datetime.timedelta(days=2))
    source.data_fresh_to = None
    source.save()
    standin.plan = ["500"] * 4
    failed = pull(source)
    source.refresh_from_db()
    assert failed.state == FeedRunState.FAILED and source.data_fresh_to is None


def test_a_record_dated_in_the_far_future_does_not_stop_the_feed(source, standin):
    standin.put(40, datetime.datetime(2099, 1, 1, tzinfo=UTC))
    run = pull(source)
    source.refresh_from_db()
    assert run.rejected == 1 and FeedRejected.objects.get(run=run).code == "FEED-00040"
    assert source.checkpoint_code == "FEED-00024" and source.data_fresh_to.year < 2099
    standin.put(41, START + datetime.timedelta(hours=2))  # a later change still arrives
    later = pull(source)
    assert Dossier.objects.filter(code="FEED-00041").exists()
    # Sent again with every run, it is set aside once, not once a run; changed at the source, again.
    assert later.rejected == 0 and later.unchanged >= 1 and FeedRejected.objects.count() == 1
    assert pull(source).rejected == 0 and FeedRejected.objects.count() == 1
    standin.put(40, datetime.datetime(2098, 1, 1, tzinfo=UTC))
    assert pull(source).rejected == 1 and FeedRejected.objects.count() == 2


def test_a_rejected_record_names_the_field_as_the_source_sends_it(source, standin):
    standin.malformed = {"FEED-00004"}
    run = pull(source)
    reason = FeedRejected.objects.get(run=run).reason
    assert reason.startswith("NgayTiepNhan: ") and "received_at" not in reason


def test_the_import_list_is_not_flooded_by_feed_pages(client, cast, source, standin):
    pull(source)
    standin.put(3, START + datetime.timedelta(hours=1), status="6")
    pull(source)
    jobs = ImportJob.objects.filter(original_name=source.name)
    assert jobs.count() == 1  # one entry for the source, whatever the number of pages and runs
    job = jobs.get()
    assert (job.rows, job.created, job.updated) == (26, 25, 1)
    client.force_login(cast["reform_admin"])
    page = client.get(reverse("onestop:imports")).content.decode()
    assert page.count(source.name) == 1
    assert client.get(reverse("onestop:import-job", args=[job.pk])).status_code == 200


def test_a_failed_page_counts_its_retries(source, standin):
    standin.plan = ["ok"] + ["500"] * 4
    run = pull(source)
    assert run.state == FeedRunState.FAILED and run.retries == 3


@pytest.mark.parametrize("value", ["Bearer a\r\nX-Injected: 1", "Bearer mật-khẩu"])
def test_credentials_that_cannot_be_a_header_are_refused_by_the_form(value):
    form = FeedSourceForm(
        {
            "name": "Nguồn",
            "base_url": "https://motcua.example.vn/api",
            "credentials": value,
            "page_size": "100",
            "interval_minutes": "15",
            "timeout_seconds": "30",
            "max_retries": "3",
        }
    )
    assert not form.is_valid() and "credentials" in form.errors
    assert value not in str(form.errors)


@pytest.mark.parametrize(
    "address",
    [
        "ftp://motcua.example.vn/api",
        "https://can-bo:mat-khau@motcua.example.vn/api",
        "http://motcua.example.vn:99999/",
    ],
)
def test_only_http_addresses_without_credentials_are_accepted(db, address):
    form = FeedSourceForm(
        {
            "name": "Nguồn",
            "base_url": address,
            "page_size": "100",
            "interval_minutes": "15",
            "timeout_seconds": "30",
            "max_retries": "3",
        }
    )
    assert not form.is_valid() and "base_url" in form.errors


@pytest.mark.django_db(transaction=True)  # the worker closes its connection (PostgreSQL pass)
def test_a_worker_that_starts_queues_the_pulls_a_dead_worker_never_queued(source, standin, settings):
    # The worker that ran the last pull was killed: nothing waits in the queue for this source.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stderr=StringIO())
    assert FeedRun.objects.get(source=source).state == FeedRunState.SUCCEEDED
    assert DBTaskResult.objects.filter(task_path__endswith="pull_feed", status="READY").count() == 1


class _Answer:
    """Replace the stand-in's answers with fixed bytes (a broken source)."""

    def __init__(self, standin, body):
        self.body = body
        standin.answer = self  # the handler calls standin.answer(query)

    def __call__(self, query):
        return 200, self.body, 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>Bao tri he thong</html>", "không phải JSON hợp lệ"),
        (b"[" * 100_000 + b"]" * 100_000, "không phải JSON hợp lệ"),  # nested beyond Python's stack
        (b'{"items": {"MaHoSo": "A"}, "next": null}', 'không có danh sách "items"'),
        (b'[{"MaHoSo": "A"}]', 'không có danh sách "items"'),
    ],
)
def test_a_malformed_page_fails_the_run_with_a_vietnamese_message(source, standin, body, message):
    _Answer(standin, body)
    run = pull(source)
    assert run.state == FeedRunState.FAILED and run.pages == 0
    assert message in run.errors[-1]


def test_a_wrong_next_costs_at_most_a_repeat_never_a_gap(source, standin, monkeypatch):
    original = standin.page
    monkeypatch.setattr(standin, "page", lambda query: {**original(query), "next": None})  # "no more"
    first = pull(source)
    assert (first.state, first.pages, first.rows) == (FeedRunState.SUCCEEDED, 1, 10)
    monkeypatch.setattr(standin, "page", lambda query: {**original(query), "next": {"after": "sai"}})
    second = pull(source)  # "more" even on the last page: one empty page ends the run
    assert second.state == FeedRunState.SUCCEEDED
    assert Dossier.objects.filter(code__startswith="FEED-").count() == 25


def test_a_page_larger_than_the_cap_is_refused_without_retrying(source, standin, monkeypatch):
    from cchc.onestop.feed import client

    monkeypatch.setattr(client, "MAX_PAGE_BYTES", 1000)  # a page of 10 records is about 2 kB
    run = pull(source)
    assert run.state == FeedRunState.FAILED and "lớn hơn mức cho phép" in run.errors[-1]
    assert len(standin.requests) == 1


def test_the_form_labels_are_capitalised_like_the_others(client, cast, source):
    client.force_login(cast["reform_admin"])
    page = client.get(reverse("onestop:feed-source", args=[source.pk])).content.decode()
    assert "Địa chỉ API" in page and "Tiêu đề xác thực (Authorization)" in page


def test_a_source_that_sends_its_page_byte_by_byte_is_given_up_at_the_time_limit(source, standin):
    standin.drip = 0.1  # a 2 kB page would take 3 s; each piece comes well within the 1 s limit
    source.max_retries = 1
    source.save()
    run = pull(source)
    assert run.state == FeedRunState.FAILED and run.pages == 0
    assert "không có trả lời trong thời gian cho phép" in run.errors[-1]


def test_run_now_runs_now_even_when_the_schedules_next_run_waits(client, cast, source, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    from cchc.onestop.feed.pull import schedule

    assert schedule(source, delay=datetime.timedelta(minutes=15))  # what every run leaves behind
    client.force_login(cast["reform_admin"])
    url = reverse("onestop:feed-run-now", args=[source.pk])
    assert "Đã xếp lượt lấy dữ liệu vào hàng đợi" in client.post(url, follow=True).content.decode()
    assert "đang chờ" in client.post(url, follow=True).content.decode()
    assert DBTaskResult.objects.ready().filter(task_path__endswith="pull_feed").count() == 1
    assert not schedule(source, delay=datetime.timedelta(minutes=15))  # the schedule is not doubled
