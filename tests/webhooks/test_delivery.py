"""Committed audit rows become signed POSTs to a real receiver on 127.0.0.1: once, with retries."""

import datetime
import hashlib
import hmac
import json
import socket

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cchc.core.models import AuditEntry
from cchc.plans.services import reports
from cchc.surveys.services.feedback import answer_feedback, receive_feedback
from cchc.webhooks.models import DeliveryState, EventType, WebhookDelivery
from cchc.webhooks.sending import fan_out, send_delivery, send_due
from tests.parindex.test_result_pages import this_year
from tests.plans.reports.helpers import send_in

pytestmark = pytest.mark.django_db


def verify(secret: str, request) -> bool:
    timestamp = request.headers["X-CCHC-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(request.headers["X-CCHC-Signature"], f"sha256={expected}")


def accept(report, cast, justice_leader):
    send_in(report, focal=cast["justice_focal"], leader=justice_leader)
    return reports.accept_report(actor=cast["reform_admin"], report=report)


def due_now(delivery):
    """Move a delivery's next attempt to now, as if its retry time had come."""
    WebhookDelivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING).update(
        next_attempt=timezone.now()
    )


def test_an_accepted_report_is_posted_once_and_signed(
    report, cast, justice_leader, receiver, subscribe, committed
):
    subscription = subscribe(cast["province"], EventType.REPORT_ACCEPTED)
    with committed():
        accept(report, cast, justice_leader)
    (request,) = receiver.requests
    assert verify(subscription.secret, request)
    assert not verify("another secret", request)
    assert request.headers["X-CCHC-Event"] == "report.accepted"
    assert request.headers["Content-Type"].startswith("application/json")
    payload = json.loads(request.body)
    entry = AuditEntry.objects.get(action="report.accept")
    assert payload["event"] == "report.accepted" and payload["event_id"] == entry.pk
    assert payload["object"]["unit"] == {"id": cast["justice"].pk, "code": "99.STP", "name": "Sở Tư pháp"}
    assert payload["object"]["report_id"] == report.pk and payload["object"]["accepted_at"]
    assert payload["link"] == f"https://cchc.tinh.gov.vn/plans/reports/{report.pk}/"
    delivery = WebhookDelivery.objects.get()
    assert request.headers["X-CCHC-Delivery"] == str(delivery.pk)
    assert (delivery.state, delivery.attempts, delivery.last_status) == (DeliveryState.DELIVERED, 1, 200)
    assert delivery.delivered_at is not None


def test_published_par_results_carry_only_the_subscribers_units(cast, receiver, subscribe, committed):
    justice_only = subscribe(cast["justice"], EventType.PAR_PUBLISHED)
    with committed():
        campaign = this_year(cast)
    (request,) = receiver.requests  # only the publication, none of the phases before it
    assert verify(justice_only.secret, request)
    payload = json.loads(request.body)
    assert payload["event"] == "par.results_published"
    assert payload["object"]["campaign_id"] == campaign.pk and payload["object"]["year"] == 2026
    (result,) = payload["object"]["results"]
    assert result["unit"]["code"] == "99.STP"
    assert (result["rank"], result["index"], result["classification"]) == (1, "90.00", "Xuất sắc")


def test_answered_feedback_says_when_without_personal_data(cast, receiver, subscribe, committed):
    subscription = subscribe(cast["justice"], EventType.FEEDBACK_ANSWERED)
    feedback = receive_feedback(
        actor=cast["justice_focal"],
        organiser=cast["province"],
        unit=cast["justice"],
        kind="procedure",
        channel="staff",
        title="Hồ sơ của bà Nguyễn Thị Dân",
        content="Số điện thoại 0912345678",
        contact="dan@example.vn",
    )
    with committed():
        answer_feedback(actor=cast["justice_focal"], feedback=feedback, text="Đã trả kết quả.")
    (request,) = receiver.requests
    assert verify(subscription.secret, request)
    body = request.body.decode()
    payload = json.loads(body)
    assert payload["object"]["receipt_code"] == feedback.receipt_code
    assert payload["object"]["answered_at"] and payload["object"]["unit"]["code"] == "99.STP"
    for personal in ("Nguyễn Thị Dân", "0912345678", "dan@example.vn", "Đã trả kết quả"):
        assert personal not in body


def test_an_event_outside_the_subtree_or_not_chosen_is_not_sent(
    report, cast, justice_leader, receiver, subscribe, committed
):
    subscribe(cast["west_commune"], EventType.REPORT_ACCEPTED)
    subscribe(cast["justice"], EventType.FEEDBACK_ANSWERED)
    with committed():
        accept(report, cast, justice_leader)
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_a_500_then_200_is_delivered_on_the_retry(
    report, cast, justice_leader, receiver, subscribe, committed, client
):
    receiver.fail_first = 1
    subscription = subscribe(cast["justice"], EventType.REPORT_ACCEPTED)
    with committed():
        accept(report, cast, justice_leader)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (DeliveryState.PENDING, 1, 500)
    # the retry waits CCHC_WEBHOOK_RETRY_SECONDS; before then nothing is due
    assert delivery.next_attempt > timezone.now() + datetime.timedelta(seconds=50)
    assert send_due() == 0
    due_now(delivery)
    assert send_due() == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (DeliveryState.DELIVERED, 2, 200)
    assert len(receiver.requests) == 2
    assert all(verify(subscription.secret, request) for request in receiver.requests)
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 200]
    client.force_login(cast["reform_admin"])
    page = client.get(reverse("webhooks:deliveries", args=[subscription.pk])).content.decode()
    assert page.count('data-testid="attempt"') == 2
    assert "trả lời 500" in page and "trả lời 200" in page and "Đã gửi được" in page


def test_a_receiver_that_keeps_failing_fails_the_delivery_after_the_last_attempt(
    report, cast, justice_leader, receiver, subscribe, committed
):
    receiver.fail_first, receiver.fail_status = 100, 503
    subscribe(cast["justice"], EventType.REPORT_ACCEPTED)
    with committed():
        accept(report, cast, justice_leader)
    delivery = WebhookDelivery.objects.get()
    for _attempt in range(5):
        due_now(delivery)
        send_due()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (DeliveryState.FAILED, 3, 503)
    assert len(receiver.requests) == 3 and delivery.next_attempt is None


def test_a_refusal_other_than_429_fails_at_once_and_429_is_retried(
    report, cast, justice_leader, receiver, subscribe, committed
):
    receiver.fail_first, receiver.fail_status = 1, 429
    subscribe(cast["justice"], EventType.REPORT_ACCEPTED)
    with committed():
        accept(report, cast, justice_leader)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.last_status) == (DeliveryState.PENDING, 429)
    receiver.fail_first, receiver.fail_status = 100, 410
    due_now(delivery)
    send_due()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (DeliveryState.FAILED, 2, 410)


def test_no_answer_at_all_is_retried(report, cast, justice_leader, subscribe, committed):
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    subscribe(cast["justice"], EventType.REPORT_ACCEPTED, url=f"http://127.0.0.1:{port}/hook")
    with committed():
        accept(report, cast, justice_leader)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (DeliveryState.PENDING, 1, None)
    assert delivery.last_error and delivery.attempt_log.get().status_code is None


def test_a_receiver_too_slow_to_answer_is_tried_again(
    report, cast, justice_leader, receiver, subscribe, committed, webhook_settings
):
    webhook_settings.CCHC_WEBHOOK_TIMEOUT_SECONDS = 1
    receiver.delay = 2
    subscribe(cast["justice"], EventType.REPORT_ACCEPTED)
    with committed():
        accept(report, cast, justice_leader)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (DeliveryState.PENDING, 1, None)
    assert "timed out" in delivery.last_error
    receiver.delay = 0
    due_now(delivery)
    assert send_due() == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 2)


def test_the_same_event_is_never_delivered_twice(
    report, cast, justice_leader, receiver, subscribe, committed
):
    subscribe(cast["justice"], EventType.REPORT_ACCEPTED)
    with committed():
        accept(report, cast, justice_leader)
    delivery = WebhookDelivery.objects.get()
    entry = AuditEntry.objects.get(action="report.accept")
    assert fan_out.call(entry.pk) == 0  # the fan-out job run again stores nothing new
    assert send_delivery.call(delivery.pk) == "skipped"  # the send job run again sends nothing
    due_now(delivery)
    assert send_due() == 0
    assert len(receiver.requests) == 1 and WebhookDelivery.objects.count() == 1


def test_a_delivery_being_sent_by_one_job_is_left_alone_by_another(
    report, cast, justice_leader, receiver, subscribe, webhook_settings
):
    # no on-commit run here: the delivery is stored, then two jobs race for it
    subscribe(cast["justice"], EventType.REPORT_ACCEPTED)
    accept(report, cast, justice_leader)
    entry = AuditEntry.objects.get(action="report.accept")
    webhook_settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert fan_out.call(entry.pk) == 1
    delivery = WebhookDelivery.objects.get()
    receiver.fail_first = 1
    assert send_delivery.call(delivery.pk) == DeliveryState.PENDING  # the first job's attempt: a 500
    assert send_delivery.call(delivery.pk) == "skipped"  # a second job: not due until the retry time
    assert len(receiver.requests) == 1


def test_nothing_is_sent_for_a_rolled_back_change(
    report, cast, justice_leader, receiver, subscribe, committed
):
    subscribe(cast["justice"], EventType.REPORT_ACCEPTED)
    send_in(report, focal=cast["justice_focal"], leader=justice_leader)
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        reports.accept_report(actor=cast["reform_admin"], report=report)
        raise RuntimeError("the request fails after the service")
    assert not AuditEntry.objects.filter(action="report.accept").exists()
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


def test_an_inactive_subscription_receives_nothing(
    report, cast, justice_leader, receiver, subscribe, committed
):
    from cchc.webhooks import services

    subscription = subscribe(cast["justice"], EventType.REPORT_ACCEPTED)
    services.update_subscription(
        actor=cast["reform_admin"],
        subscription=subscription,
        data={
            "name": subscription.name,
            "url": subscription.url,
            "event_types": subscription.event_types,
            "active": False,
        },
    )
    with committed():
        accept(report, cast, justice_leader)
    assert receiver.requests == []


def test_a_job_is_queued_only_while_a_system_is_connected(
    report, cast, justice_leader, subscribe, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    # the database queue of production: the job waits there for the worker
    queued = DBTaskResult.objects.filter(task_path__endswith="fan_out")
    send_in(report, focal=cast["justice_focal"], leader=justice_leader)
    with django_capture_on_commit_callbacks(execute=True):
        reports.return_report(actor=cast["reform_admin"], report=report, comment="Bổ sung")
    send_in(report, focal=cast["justice_focal"], leader=justice_leader)
    with django_capture_on_commit_callbacks(execute=True):
        reports.accept_report(actor=cast["reform_admin"], report=report)
    assert not queued.exists()
    subscription = subscribe(cast["justice"], EventType.REPORT_ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = AuditEntry.objects.get(action="report.accept")  # the same event, recorded again
        AuditEntry.objects.create(
            action="report.accept",
            object_type=accepted.object_type,
            object_id=accepted.object_id,
            unit=cast["justice"],
        )
    assert queued.count() == 1 and subscription.active
