"""Audit rows become notifications after commit, in the background, for the right people, once."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from cchc.core.models import AuditEntry
from cchc.notifications.feed import notify_audit
from cchc.notifications.models import Notification
from cchc.plans.services import reports
from tests.plans.reports.helpers import send_in

pytestmark = pytest.mark.django_db


def recipients(**filters):
    return sorted(Notification.objects.filter(**filters).values_list("recipient__username", flat=True))


def test_a_submitted_report_tells_the_units_leader_and_not_the_sender(
    report, justice_focal, justice_leader, committed
):
    reports.save_report(actor=justice_focal, report=report, narrative="Đã làm xong.", task_lines=[])
    with committed():
        reports.submit_report(actor=justice_focal, report=report)
    (notification,) = Notification.objects.all()
    assert notification.recipient == justice_leader
    assert notification.kind == "plans_report"
    assert "Sở Tư pháp" in notification.title and "chờ anh/chị phê duyệt" in notification.title
    assert notification.link == f"/plans/reports/{report.pk}/"
    assert notification.unit == report.unit and notification.read_at is None


def test_approved_goes_to_the_reform_office_returned_and_accepted_to_the_focal_points(
    report, cast, justice_focal, justice_leader, committed
):
    reports.save_report(actor=justice_focal, report=report, narrative="Đã làm xong.", task_lines=[])
    reports.submit_report(actor=justice_focal, report=report)
    with committed():
        reports.approve_report(actor=justice_leader, report=report)
    assert recipients(kind="plans_report") == ["snv.admin"]
    with committed():
        reports.return_report(actor=cast["reform_admin"], report=report, comment="Bổ sung số liệu quý I.")
    returned = Notification.objects.get(recipient=justice_focal)
    assert "trả lại" in returned.title and returned.body == "Bổ sung số liệu quý I."
    send_in(report, focal=justice_focal, leader=justice_leader)
    with committed():
        reports.accept_report(actor=cast["reform_admin"], report=report)
    assert recipients(recipient=justice_focal) == ["stp.daumoi", "stp.daumoi"]
    assert Notification.objects.filter(recipient=justice_focal, title__contains="tiếp nhận").exists()


def test_the_same_event_never_lands_twice(report, justice_focal, justice_leader, committed):
    reports.save_report(actor=justice_focal, report=report, narrative="Đã làm xong.", task_lines=[])
    with committed():
        reports.submit_report(actor=justice_focal, report=report)
    entry = AuditEntry.objects.get(action="report.submit")
    assert notify_audit.call(entry.pk) == 0  # a retried or duplicated job adds nothing
    assert Notification.objects.count() == 1


def test_nothing_after_a_rollback(report, justice_focal, justice_leader, jobs_run_in_process):
    reports.save_report(actor=justice_focal, report=report, narrative="Đã làm xong.", task_lines=[])
    with pytest.raises(RuntimeError), transaction.atomic():
        reports.submit_report(actor=justice_focal, report=report)
        raise RuntimeError("the request fails after the service")
    assert not AuditEntry.objects.filter(action="report.submit").exists()
    assert not Notification.objects.exists()


def test_rolled_back_inner_block_enqueues_nothing(
    report, justice_focal, justice_leader, django_capture_on_commit_callbacks
):
    reports.save_report(actor=justice_focal, report=report, narrative="Đã làm xong.", task_lines=[])
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                reports.submit_report(actor=justice_focal, report=report)
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []


def test_with_the_database_backend_the_work_is_queued_not_done_in_the_request(
    report, justice_focal, justice_leader, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    reports.save_report(actor=justice_focal, report=report, narrative="Đã làm xong.", task_lines=[])
    with django_capture_on_commit_callbacks(execute=True):
        reports.submit_report(actor=justice_focal, report=report)
    assert not Notification.objects.exists()
    (queued,) = DBTaskResult.objects.filter(task_path__endswith="notify_audit")
    assert queued.args_kwargs["args"] == [AuditEntry.objects.get(action="report.submit").pk]


def test_actions_without_a_rule_queue_nothing(report, justice_focal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        reports.save_report(actor=justice_focal, report=report, narrative="Nháp", task_lines=[])
    assert callbacks == []


def test_a_failing_notification_job_does_not_fail_the_committed_action(
    report, justice_focal, justice_leader, committed, monkeypatch
):
    from cchc.notifications import feed

    def broken(entry_id):
        raise RuntimeError("the queue is unavailable")

    monkeypatch.setattr(feed, "_enqueue", broken)
    reports.save_report(actor=justice_focal, report=report, narrative="Đã làm xong.", task_lines=[])
    with committed():
        reports.submit_report(actor=justice_focal, report=report)
    assert AuditEntry.objects.filter(action="report.submit").exists()
    assert not Notification.objects.exists()
