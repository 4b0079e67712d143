"""Every change to webhook subscriptions, each with its audit row in the same transaction.

Only those who administer a unit manage its subscriptions (`require(actor, ADMINISTER, unit)`). The
secret never enters the audit trail: a rotation is recorded as such, without the value.
"""

import secrets
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.permissions import ADMINISTER, require
from cchc.core import audit
from cchc.webhooks.models import DeliveryState, EventType, WebhookDelivery, WebhookSubscription
from cchc.webhooks.sending import enqueue_after_commit

FIELDS = ["name", "url", "event_types", "unit", "active"]


def new_secret() -> str:
    # 32 random bytes, URL-safe: long enough for HMAC-SHA256, easy to paste into the other system.
    return secrets.token_urlsafe(32)


def clean_url(url: str) -> str:
    """An http(s) address with a host and no credentials, or a ValidationError in the user's language.

    Other schemes (file:, javascript:, ftp:) would make the server read or run something else than a
    POST to a peer; credentials in the address would be shown on pages and in the log.
    """
    url = (url or "").strip()
    refusal = ValidationError({"url": _("Give a web address that starts with http:// or https://.")})
    try:
        parts = urlsplit(url)
        # .port refuses a port beyond 65535, which the connection would otherwise wrap to another port
        # (99999 -> 34463) than the one the page shows.
        parts.port  # noqa: B018
    except ValueError:
        raise refusal from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise refusal
    if parts.username or parts.password:
        raise ValidationError({"url": _("The address may not contain a user name or password.")})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise refusal from None
    return url


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    name = (data.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the subscription a name.")})
    types = [value for value in data.get("event_types") or [] if value in EventType.values]
    if not types:
        raise ValidationError({"event_types": _("Choose at least one event.")})
    return {
        "name": name[:200],
        "url": clean_url(data.get("url", "")),
        "event_types": sorted(set(types)),
        "active": bool(data.get("active", True)),
    }


def _record(actor: Any, action: str, subscription: WebhookSubscription, before=None, after=None) -> None:
    audit.record(
        actor=actor, action=action, obj=subscription, unit=subscription.unit, before=before, after=after
    )


@transaction.atomic
def create_subscription(*, actor: Any, unit: Any, data: dict[str, Any]) -> WebhookSubscription:
    """A new subscription of `unit`'s subtree, with a fresh secret (shown to its creator next)."""
    require(actor, ADMINISTER, unit)
    subscription = WebhookSubscription.objects.create(
        unit=unit, secret=new_secret(), created_by=audit.signed_in(actor), **_clean(data)
    )
    _record(actor, "webhook.create", subscription, after=audit.snapshot(subscription, FIELDS))
    return subscription


def _locked(subscription: WebhookSubscription) -> WebhookSubscription:
    return WebhookSubscription.objects.select_for_update().select_related("unit").get(pk=subscription.pk)


@transaction.atomic
def update_subscription(
    *, actor: Any, subscription: WebhookSubscription, data: dict[str, Any]
) -> WebhookSubscription:
    subscription = _locked(subscription)
    require(actor, ADMINISTER, subscription.unit)
    before = audit.snapshot(subscription, FIELDS)
    for name, value in _clean(data).items():
        setattr(subscription, name, value)
    subscription.save()
    after = audit.snapshot(subscription, FIELDS)
    if after != before:
        _record(actor, "webhook.update", subscription, before=before, after=after)
    if subscription.active and not before["active"]:
        # While paused, the jobs of its pending deliveries left them alone (and are spent): send
        # them now rather than at the next `webhooks retry`. One not yet due is skipped by its job.
        pending = subscription.deliveries.filter(state=DeliveryState.PENDING)
        enqueue_after_commit(list(pending.values_list("pk", flat=True)))
    return subscription


@transaction.atomic
def delete_subscription(*, actor: Any, subscription: WebhookSubscription) -> None:
    """Remove a subscription and its delivery log; the audit row keeps what it was."""
    subscription = _locked(subscription)
    require(actor, ADMINISTER, subscription.unit)
    _record(actor, "webhook.delete", subscription, before=audit.snapshot(subscription, FIELDS))
    subscription.delete()


@transaction.atomic
def reveal_secret(*, actor: Any, subscription: WebhookSubscription) -> WebhookSubscription:
    """The subscription whose secret the caller may now see; who looked, and when, is recorded,
    because whoever holds the secret can forge events to the receiver."""
    subscription = _locked(subscription)
    require(actor, ADMINISTER, subscription.unit)
    _record(actor, "webhook.show_secret", subscription)
    return subscription


@transaction.atomic
def rotate_secret(*, actor: Any, subscription: WebhookSubscription) -> WebhookSubscription:
    """A new secret; the old one stops signing at once (the receiver must take the new one)."""
    subscription = _locked(subscription)
    require(actor, ADMINISTER, subscription.unit)
    subscription.secret = new_secret()
    subscription.save(update_fields=["secret"])
    _record(actor, "webhook.rotate_secret", subscription)
    return subscription


@transaction.atomic
def resend_delivery(*, actor: Any, delivery: WebhookDelivery) -> WebhookDelivery:
    """Try a failed delivery again from the start (the earlier attempts stay in the log)."""
    delivery = (
        WebhookDelivery.objects.select_for_update().select_related("subscription__unit").get(pk=delivery.pk)
    )
    require(actor, ADMINISTER, delivery.subscription.unit)
    if delivery.state != DeliveryState.FAILED:
        raise ValidationError(_("Only a failed delivery can be sent again."))
    before = audit.snapshot(delivery, ["state", "attempts"])
    delivery.state, delivery.attempts, delivery.next_attempt = DeliveryState.PENDING, 0, timezone.now()
    delivery.save(update_fields=["state", "attempts", "next_attempt"])
    audit.record(
        actor=actor,
        action="webhook.resend",
        obj=delivery,
        unit=delivery.subscription.unit,
        before=before,
        after=audit.snapshot(delivery, ["state", "attempts"]),
    )
    enqueue_after_commit([delivery.pk])
    return delivery
