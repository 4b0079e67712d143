"""The webhook pages: who may manage which subscription, the secret, the address check, resending."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cchc.accounts import services as account_services
from cchc.accounts.models import Role
from cchc.core.models import AuditEntry
from cchc.webhooks import services
from cchc.webhooks.models import (
    DeliveryState,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)

pytestmark = pytest.mark.django_db

BAD_ADDRESS = "Nhập địa chỉ web bắt đầu bằng http:// hoặc https://."


def _form(unit, url, **extra):
    return {
        "unit": unit.pk,
        "name": "Cổng dữ liệu tỉnh",
        "url": url,
        "event_types": [EventType.REPORT_ACCEPTED, EventType.FEEDBACK_ANSWERED],
        "active": "on",
        **extra,
    }


def test_an_administrator_adds_a_subscription_and_sees_its_secret_once(client, cast, receiver):
    client.force_login(cast["reform_admin"])
    listing = client.get(reverse("webhooks:list")).content.decode()
    assert "Kết nối hệ thống" in listing and reverse("webhooks:create") in listing
    response = client.post(reverse("webhooks:create"), _form(cast["justice"], receiver.url))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    subscription = WebhookSubscription.objects.get()
    assert subscription.secret in response.content.decode() and len(subscription.secret) >= 40
    assert subscription.unit == cast["justice"] and subscription.created_by == cast["reform_admin"]
    assert subscription.event_types == ["feedback.answered", "report.accepted"]
    entry = AuditEntry.objects.get(action="webhook.create")
    assert entry.unit == cast["justice"]
    assert subscription.secret not in json.dumps([entry.before, entry.after])
    # the list does not show the secret; only a button press does
    listing = client.get(reverse("webhooks:list")).content.decode()
    assert "Cổng dữ liệu tỉnh" in listing and subscription.secret not in listing
    edit = client.get(reverse("webhooks:edit", args=[subscription.pk])).content.decode()
    assert subscription.secret not in edit
    assert client.get(reverse("webhooks:secret", args=[subscription.pk])).status_code == 405
    assert not AuditEntry.objects.filter(action="webhook.show_secret").exists()
    shown = client.post(reverse("webhooks:secret", args=[subscription.pk])).content.decode()
    assert subscription.secret in shown
    # whoever holds the secret can sign events: who looked is on the change log, never the secret
    looked = AuditEntry.objects.get(action="webhook.show_secret")
    assert looked.unit == cast["justice"] and subscription.secret not in json.dumps(
        [looked.before, looked.after]
    )
    form = client.get(reverse("webhooks:edit", args=[subscription.pk])).content.decode()
    delete = form.split('data-testid="subscription-delete"')[0].rsplit("<form", 1)[1]
    assert "Xoá kết nối này?" in delete  # the browser asks before the delete is sent


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", BAD_ADDRESS),
        ("file:///etc/passwd", BAD_ADDRESS),
        ("ftp://may-chu.tinh.gov.vn/nhan", BAD_ADDRESS),
        ("http://", BAD_ADDRESS),
        ("http://có khoảng trắng/nhan", BAD_ADDRESS),
        (
            "https://ten:matkhau@may-chu.tinh.gov.vn/nhan",
            "Địa chỉ không được chứa tên đăng nhập hoặc mật khẩu.",
        ),
    ],
)
def test_a_forged_or_invalid_address_is_refused_in_vietnamese(client, cast, url, message):
    client.force_login(cast["reform_admin"])
    response = client.post(reverse("webhooks:create"), _form(cast["justice"], url))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_no_event_chosen_is_refused(client, cast, receiver):
    client.force_login(cast["reform_admin"])
    response = client.post(reverse("webhooks:create"), _form(cast["justice"], receiver.url, event_types=[]))
    assert "Chọn ít nhất một sự kiện." in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_only_those_who_administer_the_unit_manage_its_subscriptions(client, cast, receiver):
    province_hook = services.create_subscription(
        actor=None,
        unit=cast["province"],
        data={"name": "Tỉnh", "url": receiver.url, "event_types": ["report.accepted"]},
    )
    justice_hook = services.create_subscription(
        actor=None,
        unit=cast["justice"],
        data={"name": "Sở", "url": receiver.url, "event_types": ["report.accepted"]},
    )
    # a focal point administers nothing: an empty list, no way to add, the others' pages not found
    client.force_login(cast["justice_focal"])
    listing = client.get(reverse("webhooks:list"))
    assert listing.status_code == 200 and reverse("webhooks:create") not in listing.content.decode()
    assert client.get(reverse("webhooks:create")).status_code == 403
    for name in ("edit", "deliveries"):
        assert client.get(reverse(f"webhooks:{name}", args=[justice_hook.pk])).status_code == 404
    for name in ("secret", "rotate", "delete"):
        assert client.post(reverse(f"webhooks:{name}", args=[justice_hook.pk])).status_code == 404
    # the administrator of Sở Tư pháp manages its subscription, not the province's
    justice_admin = account_services.create_user(
        actor=None, username="stp.quantri", password="mat-khau-thu-1"
    )
    account_services.grant_role(actor=None, user=justice_admin, unit=cast["justice"], role=Role.ADMINISTRATOR)
    client.force_login(justice_admin)
    listing = client.get(reverse("webhooks:list")).content.decode()
    assert "Sở" in listing and reverse("webhooks:edit", args=[province_hook.pk]) not in listing
    assert client.get(reverse("webhooks:edit", args=[province_hook.pk])).status_code == 404
    assert client.get(reverse("webhooks:edit", args=[justice_hook.pk])).status_code == 200
    response = client.post(reverse("webhooks:create"), _form(cast["province"], receiver.url))
    assert response.status_code == 200 and WebhookSubscription.objects.count() == 2  # not its unit: refused
    with pytest.raises(PermissionDenied):
        services.rotate_secret(actor=justice_admin, subscription=province_hook)


def test_editing_rotating_and_deleting_are_audited(client, cast, receiver):
    subscription = services.create_subscription(
        actor=cast["reform_admin"],
        unit=cast["justice"],
        data={"name": "Sở", "url": receiver.url, "event_types": ["report.accepted"]},
    )
    old_secret = subscription.secret
    client.force_login(cast["reform_admin"])
    response = client.post(
        reverse("webhooks:edit", args=[subscription.pk]),
        {"name": "Sở Tư pháp - kho dữ liệu", "url": receiver.url, "event_types": ["par.results_published"]},
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.name, subscription.event_types, subscription.active) == (
        "Sở Tư pháp - kho dữ liệu",
        ["par.results_published"],
        False,
    )
    assert AuditEntry.objects.get(action="webhook.update").after["active"] is False
    rotated = client.post(reverse("webhooks:rotate", args=[subscription.pk])).content.decode()
    subscription.refresh_from_db()
    assert subscription.secret != old_secret and subscription.secret in rotated
    entry = AuditEntry.objects.get(action="webhook.rotate_secret")
    assert subscription.secret not in json.dumps([entry.before, entry.after])
    assert client.post(reverse("webhooks:delete", args=[subscription.pk])).status_code == 302
    assert not WebhookSubscription.objects.exists()
    assert AuditEntry.objects.filter(action="webhook.delete", unit=cast["justice"]).exists()


def test_a_failed_delivery_is_sent_again_with_the_button(
    client, cast, receiver, webhook_settings, jobs_run_in_process, django_capture_on_commit_callbacks
):
    subscription = services.create_subscription(
        actor=None,
        unit=cast["justice"],
        data={"name": "Sở", "url": receiver.url, "event_types": ["report.accepted"]},
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_type="report.accepted",
        event_id=AuditEntry.objects.first().pk,
        payload={"event": "report.accepted"},
        state=DeliveryState.FAILED,
        attempts=3,
        last_status=500,
    )
    for number in (1, 2, 3):
        WebhookAttempt.objects.create(delivery=delivery, number=number, at=timezone.now(), status_code=500)
    client.force_login(cast["reform_admin"])
    log = client.get(reverse("webhooks:deliveries", args=[subscription.pk])).content.decode()
    assert "Không thành công" in log and "Gửi lại" in log
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhooks:resend", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (DeliveryState.DELIVERED, 1, 200)
    assert len(receiver.requests) == 1
    # The log goes on from the earlier round: the resent attempt is the fourth, not a second first.
    assert list(delivery.attempt_log.order_by("number").values_list("number", "status_code")) == [
        (1, 500),
        (2, 500),
        (3, 500),
        (4, 200),
    ]
    assert AuditEntry.objects.filter(action="webhook.resend").exists()
    # a delivered one is not sent again
    client.post(reverse("webhooks:resend", args=[delivery.pk]))
    assert len(receiver.requests) == 1


def test_the_outsider_cannot_resend_another_units_delivery(client, cast, receiver):
    subscription = services.create_subscription(
        actor=None,
        unit=cast["justice"],
        data={"name": "Sở", "url": receiver.url, "event_types": ["report.accepted"]},
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_type="report.accepted",
        event_id=1,
        payload={},
        state=DeliveryState.FAILED,
    )
    client.force_login(cast["commune_officer"])
    assert client.post(reverse("webhooks:resend", args=[delivery.pk])).status_code == 404
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
