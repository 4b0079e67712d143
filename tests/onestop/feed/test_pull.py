"""Pulls from the stand-in server over real HTTP: paging, checkpoints, retries, duplicates, bad records."""

import datetime

import pytest
from django.utils import timezone

from cchc.onestop.feed.pull import pull
from cchc.onestop.models import Dossier, FeedRejected, FeedRunState
from tests.onestop.feed.standin import START

pytestmark = pytest.mark.django_db


def _counts(run):
    return run.pages, run.rows, run.created, run.updated, run.unchanged, run.rejected


def test_a_full_pull_takes_every_page_then_only_the_changes(source, standin):
    started = timezone.now()
    run = pull(source)
    assert run.state == FeedRunState.SUCCEEDED, run.errors
    assert _counts(run) == (3, 25, 25, 0, 0, 0)
    assert Dossier.objects.filter(code__startswith="FEED-").count() == 25
    source.refresh_from_db()
    newest = START + datetime.timedelta(minutes=24)
    assert (source.checkpoint_time, source.checkpoint_code) == (newest, "FEED-00024")
    # Fresh to the last request, not to the last change: everything changed before it was received.
    assert started <= source.data_fresh_to <= timezone.now()
    assert run.lag_seconds is not None and 0 <= run.lag_seconds < 60
    assert standin.requests[0] == {"limit": "10"}  # the first run starts from the beginning

    # Two dossiers change and one is new: the next run asks after the checkpoint and gets only those.
    later = newest + datetime.timedelta(hours=1)
    standin.put(3, later, status="6")
    standin.put(7, later, status="6")
    standin.put(30, later + datetime.timedelta(minutes=1))
    standin.requests.clear()
    again = pull(source)
    assert _counts(again) == (1, 3, 1, 2, 0, 0)
    assert standin.requests[0]["after"] == "FEED-00024"
    assert Dossier.objects.get(code="FEED-00003").status == 6
    fresh = source.data_fresh_to
    source.refresh_from_db()
    assert source.data_fresh_to > fresh

    # Nothing new: one empty page, nothing counted.
    assert _counts(pull(source)) == (1, 0, 0, 0, 0, 0)


def test_a_timeout_is_retried(source, standin):
    standin.timeout_seconds = 2  # longer than the source's limit of 1 second
    standin.plan = ["ok", "timeout"]
    run = pull(source)
    assert run.state == FeedRunState.SUCCEEDED and run.retries == 1
    assert _counts(run) == (3, 25, 25, 0, 0, 0)


def test_errors_500_twice_then_success(source, standin):
    waits = []
    standin.plan = ["500", "500"]
    run = pull(source, sleep=waits.append)
    assert run.state == FeedRunState.SUCCEEDED and run.retries == 2
    assert waits == [0.01, 0.02]  # exponential backoff
    assert Dossier.objects.filter(code__startswith="FEED-").count() == 25


def test_a_source_that_keeps_failing_fails_the_run_and_the_next_run_resumes(source, standin):
    standin.plan = ["ok"] + ["500"] * 4  # the first page, then every attempt at the second fails
    run = pull(source)
    assert run.state == FeedRunState.FAILED
    assert _counts(run) == (1, 10, 10, 0, 0, 0)
    assert "4 lần" in run.errors[-1] and "500" in run.errors[-1]  # in Vietnamese, with the cause
    source.refresh_from_db()
    assert source.checkpoint_code == "FEED-00009"  # the last good page

    standin.requests.clear()
    resumed = pull(source)
    assert resumed.state == FeedRunState.SUCCEEDED
    assert standin.requests[0]["after"] == "FEED-00009"
    assert _counts(resumed) == (2, 15, 15, 0, 0, 0)
    assert Dossier.objects.filter(code__startswith="FEED-").count() == 25


def test_a_duplicate_page_is_not_counted_twice(source, standin):
    standin.plan = ["ok", "duplicate"]
    run = pull(source)
    assert run.state == FeedRunState.SUCCEEDED
    # The first page came twice: 35 records received, 25 dossiers, the repeat counted as unchanged.
    assert _counts(run) == (4, 35, 25, 0, 10, 0)
    assert Dossier.objects.filter(code__startswith="FEED-").count() == 25


def test_a_malformed_record_is_rejected_alone(source, standin):
    standin.malformed = {"FEED-00004"}
    run = pull(source)
    assert run.state == FeedRunState.SUCCEEDED
    assert _counts(run) == (3, 25, 24, 0, 0, 1)
    assert not Dossier.objects.filter(code="FEED-00004").exists()
    kept = FeedRejected.objects.get(run=run)
    assert kept.code == "FEED-00004" and kept.raw["NgayTiepNhan"] == "ngày không rõ"
    assert kept.reason
    source.refresh_from_db()
    assert source.checkpoint_code == "FEED-00024"  # a bad record does not hold the feed back


def test_a_record_without_update_time_or_not_an_object_is_rejected(source, standin, monkeypatch):
    original = standin.page

    def broken(query):
        answer = original(query)
        if answer["items"]:
            answer["items"][0] = {**answer["items"][0], "NgayCapNhat": "hôm qua"}
            answer["items"].append("không phải bản ghi")
        return answer

    monkeypatch.setattr(standin, "page", broken)
    run = pull(source)
    assert run.state == FeedRunState.SUCCEEDED
    assert run.rejected == 6  # two on each of the three pages
    assert FeedRejected.objects.filter(run=run, raw="không phải bản ghi").count() == 3


def test_an_unreachable_source_fails_the_run_after_its_retries(source):
    source.base_url = "http://127.0.0.1:9/khong-co"  # nothing listens on the discard port
    source.max_retries = 1
    source.save()
    failed = pull(source)
    assert failed.state == FeedRunState.FAILED and failed.pages == 0
    assert "2 lần" in failed.errors[-1] and "không kết nối được" in failed.errors[-1]
