"""The live feed page (Vietnamese, administrators only), its forms, "Chạy ngay", the metric and the
command."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cchc.core import metrics
from cchc.core.models import AuditEntry
from cchc.core.periods import Period
from cchc.onestop.feed.pull import pull, sweep_runs
from cchc.onestop.models import Dossier, FeedRun, FeedRunState, FeedSource
from tests.onestop.feed.standin import ICT

pytestmark = pytest.mark.django_db


def test_the_page_shows_freshness_counts_errors_and_a_rejected_record(client, cast, source, standin):
    standin.malformed = {"FEED-00004"}
    with time_machine.travel(datetime.datetime(2026, 1, 9, 10, 0, tzinfo=ICT), tick=False):
        run = pull(source)  # the data is fresh to the moment of the last request
    client.force_login(cast["reform_admin"])
    page = client.get(reverse("onestop:feed")).content.decode()
    assert "Dữ liệu cập nhật đến 09/01/2026 10:00" in page
    assert "thành công" in page and "Chạy ngay" in page
    detail = client.get(reverse("onestop:feed-source", args=[source.pk])).content.decode()
    row = detail.split(f'data-testid="run-{run.pk}"')[1].split("</tr>")[0]
    numbers = [cell.split(">")[-1] for cell in row.split("</td>") if 'class="text-end"' in cell]
    assert numbers[:6] == ["3", "25", "24", "0", "0", "1"]
    assert numbers[6] == "0 phút"  # the lag: nothing left to receive at the end of the run
    assert "1 bản ghi bị từ chối ở trang 1." in row
    assert "bi-mat-1234" not in detail and "••••1234" in detail  # credentials never shown back
    rejected = client.get(reverse("onestop:feed-run", args=[run.pk])).content.decode()
    assert "FEED-00004" in rejected and "ngày không rõ" in rejected and "Bản ghi bị từ chối" in rejected


@pytest.mark.parametrize("role", ["justice_focal", "commune_officer", "leader"])
def test_only_the_provinces_administrators_reach_the_feed(client, cast, source, role):
    run = FeedRun.objects.create(source=source)
    client.force_login(cast[role])
    for url in (
        reverse("onestop:feed"),
        reverse("onestop:feed-source", args=[source.pk]),
        reverse("onestop:feed-run", args=[run.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("onestop:feed-run-now", args=[source.pk])).status_code == 403
    assert "Nguồn dữ liệu trực tiếp" not in client.get(reverse("onestop:dashboard")).content.decode()
    client.force_login(cast["reform_admin"])
    assert client.get(reverse("onestop:feed")).status_code == 200
    assert "Nguồn dữ liệu trực tiếp" in client.get(reverse("onestop:dashboard")).content.decode()


def test_adding_and_changing_a_source_keeps_the_credentials_and_writes_the_change_log(client, cast, settings):
    client.force_login(cast["reform_admin"])
    fields = {
        "name": "Một cửa tỉnh",
        "base_url": "https://motcua.example.vn/api/hoso",
        "credentials": "Bearer bi-mat-5678",
        "page_size": "200",
        "interval_minutes": "10",
        "timeout_seconds": "30",
        "max_retries": "3",
        "enabled": "on",
    }
    response = client.post(reverse("onestop:feed"), fields)
    source = FeedSource.objects.get()
    assert response.status_code == 302 and source.credentials == "Bearer bi-mat-5678"
    client.post(
        reverse("onestop:feed-source", args=[source.pk]), {**fields, "credentials": "", "page_size": "300"}
    )
    source.refresh_from_db()
    assert (source.page_size, source.credentials) == (300, "Bearer bi-mat-5678")
    entries = AuditEntry.objects.filter(action__startswith="onestop.feed_source").order_by("pk")
    assert [e.action for e in entries] == ["onestop.feed_source_create", "onestop.feed_source_update"]
    assert "bi-mat" not in str([e.after for e in entries])
    refused = client.post(reverse("onestop:feed"), {**fields, "name": "Khác", "page_size": "0"})
    assert refused.status_code == 200 and "Nhập một số từ 1 đến 5000." in refused.content.decode()


@pytest.mark.parametrize("address", ["khong-phai-dia-chi", "ftp://motcua.example.vn/hoso"])
def test_a_bad_address_is_refused_once_in_vietnamese(client, cast, address):
    client.force_login(cast["reform_admin"])
    fields = {"name": "Một cửa", "base_url": address, "page_size": "200", "interval_minutes": "10"}
    page = client.post(reverse("onestop:feed"), {**fields, "timeout_seconds": "30", "max_retries": "3"})
    assert page.status_code == 200 and not FeedSource.objects.exists()
    assert page.content.decode().count("Hãy nhập một địa chỉ URL hợp lệ.") == 1


def test_run_now_queues_one_pull_at_most(client, cast, source, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    client.force_login(cast["reform_admin"])
    url = reverse("onestop:feed-run-now", args=[source.pk])
    first = client.post(url, follow=True).content.decode()
    second = client.post(url, follow=True).content.decode()
    assert "Đã xếp lượt lấy dữ liệu vào hàng đợi" in first
    assert "đang chờ" in second
    assert DBTaskResult.objects.filter(task_path__endswith="pull_feed").count() == 1
    out = StringIO()
    call_command("onestop", "feed", "schedule", stdout=out)
    assert "đã có lượt đang chờ" in out.getvalue()
    assert DBTaskResult.objects.filter(task_path__endswith="pull_feed").count() == 1


def test_a_run_in_the_process_backend_imports_and_queues_no_endless_next(
    source, jobs_run_in_process, standin
):
    from cchc.onestop.feed.pull import pull_feed

    result = pull_feed.enqueue(source.pk)
    assert result.return_value["state"] == FeedRunState.SUCCEEDED
    assert Dossier.objects.filter(code__startswith="FEED-").count() == 25
    assert FeedRun.objects.count() == 1


def test_two_runs_of_one_source_never_overlap_and_a_dead_one_is_interrupted(source, standin):
    alive = FeedRun.objects.create(source=source, heartbeat_at=timezone.now())
    assert pull(source) is None  # a living run is going on
    FeedRun.objects.filter(pk=alive.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    run = pull(source)
    alive.refresh_from_db()
    assert alive.state == FeedRunState.INTERRUPTED and "lần chạy sau" in alive.errors[-1]
    assert run.state == FeedRunState.SUCCEEDED
    assert sweep_runs() == []


def test_the_metric_is_the_hours_not_yet_covered(cast, source, standin):
    metric = metrics.get("onestop.feed_lag_hours")
    period = Period.parse("2026-01")
    assert metric.compute(cast["justice"], period) is None  # nothing delivered yet
    standin.plan = ["ok", "ok"] + ["500"] * 4  # two pages, then the source stops answering
    pull(source)
    # Data up to 05/01/2026 08:19 (+07:00); January ends on 31/01 23:59:59.999999 (+07:00).
    expected = (Decimal(26 * 24 * 3600 + 15 * 3600 + 40 * 60 + 59.999999) / 3600).quantize(Decimal("0.1"))
    assert metric.compute(cast["justice"], period).value == expected
    pull(source)  # a complete run: fresh to now, past January
    assert metric.compute(cast["justice"], period).value == 0
    assert metric.compute(cast["province"], Period.parse("2025-12")).value == 0
    source.enabled = False
    source.save()
    assert metric.compute(cast["justice"], period) is None


def test_the_command_pulls_and_reports(source, standin):
    out = StringIO()
    call_command("onestop", "feed", "pull", stdout=out)
    assert "thành công, 3 trang, nhận 25, tạo mới 25" in out.getvalue()
    out = StringIO()
    call_command("onestop", "feed", "status", "--source", source.name, stdout=out)
    assert "mốc đã lấy 08:24 05/01/2026 (FEED-00024)" in out.getvalue()  # 01:24 UTC, in Vietnam's time


def test_the_dashboard_says_how_fresh_the_data_is(client, cast, source, standin):
    client.force_login(cast["justice_focal"])
    assert 'data-testid="data-fresh-to"' not in client.get(reverse("onestop:dashboard")).content.decode()
    with time_machine.travel(datetime.datetime(2026, 1, 9, 10, 0, tzinfo=ICT), tick=False):
        pull(source)
    page = client.get(reverse("onestop:dashboard")).content.decode()
    assert "Dữ liệu cập nhật đến 09/01/2026 10:00" in page


def test_what_a_source_sent_stays_text_on_the_page(client, cast, source, standin):
    standin.put(99, datetime.datetime(2026, 1, 6, tzinfo=datetime.UTC))
    standin.records["FEED-00099"]["MaTTHC"] = "<script>alert(1)</script>"
    run = pull(source)
    assert run.rejected == 1
    client.force_login(cast["reform_admin"])
    page = client.get(reverse("onestop:feed-run", args=[run.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_old_runs_are_pruned_but_not_those_that_set_records_aside(source, settings):
    settings.CCHC_FEED_RUNS_KEEP_DAYS = 90
    now = timezone.now()

    def run_aged(days, **fields):
        fields = {"state": FeedRunState.SUCCEEDED, **fields}
        run = FeedRun.objects.create(source=source, finished_at=now, **fields)
        FeedRun.objects.filter(pk=run.pk).update(started_at=now - datetime.timedelta(days=days))
        return run.pk

    run_aged(120), run_aged(101)
    kept = {run_aged(200, rejected=1), run_aged(95, state=FeedRunState.FAILED)}  # the latter: the latest
    out = StringIO()
    call_command("onestop", "feed", "prune", stdout=out)
    assert "Đã xóa 2 lượt lấy dữ liệu cũ." in out.getvalue()
    assert set(FeedRun.objects.values_list("pk", flat=True)) == kept
    recent = run_aged(89)  # the 95-day-old run is no longer the latest
    call_command("onestop", "feed", "prune", stdout=StringIO())
    assert set(FeedRun.objects.values_list("pk", flat=True)) == {min(kept), recent}
