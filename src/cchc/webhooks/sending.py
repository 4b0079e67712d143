"""From audit rows to signed POSTs, in the background worker and only after the change is committed.

As for notifications: when a committed audit row has a webhook rule, `fan_out` (a django-tasks job) makes
one delivery per matching subscription; a rolled-back change never commits, so nothing is queued. Each
delivery is then sent by its own `send_delivery` job:

* a 2xx answer is delivered; a 4xx other than 429 is failed at once (the receiver refuses this payload);
* no answer (timeout, refused connection), a 5xx or a 429 is tried again after 1, 2, 4, ... times
  CCHC_WEBHOOK_RETRY_SECONDS (`run_after`), up to CCHC_WEBHOOK_MAX_ATTEMPTS attempts, then failed.

A delivery is unique per (subscription, audit row), and a job first claims its delivery (state pending,
due): a retried or duplicated job never sends a delivered payload again.
"""

import datetime
import hashlib
import hmac
import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django_tasks import task

from cchc.core.models import AuditEntry
from cchc.webhooks.deadline import Deadline, opener
from cchc.webhooks.models import DeliveryState, WebhookAttempt, WebhookDelivery, WebhookSubscription
from cchc.webhooks.registry import events_for_entry, has_rule

logger = logging.getLogger(__name__)

USER_AGENT = "CCHC-Webhooks/1"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def audit_written(sender: Any, instance: AuditEntry, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw and has_rule(instance.action):
        entry_id = instance.pk

        def enqueue_fan_out() -> None:
            # No job at all while no system is connected (most installations).
            if WebhookSubscription.objects.filter(active=True).exists():
                fan_out.enqueue(entry_id)

        # robust: the change is committed; failing to queue its webhooks must not fail the person's action.
        transaction.on_commit(enqueue_fan_out, robust=True)


def enqueue_after_commit(delivery_ids: list[int]) -> None:
    def enqueue() -> None:
        for pk in delivery_ids:
            send_delivery.enqueue(pk)

    transaction.on_commit(enqueue, robust=True)


def _site() -> str:
    return getattr(settings, "CCHC_SITE_URL", "").rstrip("/")


def _payload(entry: AuditEntry, event_type: str, obj: dict[str, Any], link: str) -> dict[str, Any]:
    return {
        "event": event_type,
        "event_id": entry.pk,
        "time": entry.at.isoformat(),
        "object": obj,
        "link": f"{_site()}{link}",
    }


@task()
def fan_out(entry_id: int) -> int:
    """Store the deliveries of one audit row's events and queue them. Returns how many were new."""
    entry = AuditEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        events = events_for_entry(entry)
    new: list[int] = []
    for event in events:
        subscriptions = WebhookSubscription.objects.filter(active=True).select_related("unit")
        for subscription in subscriptions:
            if event.type not in subscription.event_types:
                continue
            obj = event.for_subtree(subscription.unit.path)
            if obj is None:  # the event is about units outside this subscription's subtree
                continue
            try:
                with transaction.atomic():
                    delivery, created = WebhookDelivery.objects.get_or_create(
                        subscription=subscription,
                        event_id=entry.pk,
                        defaults={
                            "event_type": event.type,
                            "payload": _payload(entry, event.type, obj, event.link),
                            "next_attempt": timezone.now(),
                        },
                    )
            except IntegrityError:  # a concurrent run stored it first
                continue
            if created:
                new.append(delivery.pk)
    for pk in new:
        send_delivery.enqueue(pk)
    return len(new)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The X-CCHC-Signature value: "sha256=" + hex HMAC-SHA256(secret, "<timestamp>.<body>")."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would turn the POST into a GET elsewhere: the 3xx is the answer, and it is not a 2xx.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener(limit: Deadline) -> urllib.request.OpenerDirector:
    # Direct connections only: the receivers are the province's own systems, and a proxy from the
    # environment must not see (or reroute) signed payloads.
    return opener(limit, urllib.request.ProxyHandler({}), _NoRedirect)


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the payload; (status code, error text). No answer at all gives (None, the reason)."""
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        delivery.subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-CCHC-Event": delivery.event_type,
            "X-CCHC-Delivery": str(delivery.pk),
            "X-CCHC-Timestamp": timestamp,
            "X-CCHC-Signature": sign(delivery.subscription.secret, timestamp, body),
        },
    )
    timeout = _setting("CCHC_WEBHOOK_TIMEOUT_SECONDS", 10)
    # The timeout bounds the whole exchange (deadline.py), not only each read.
    limit = Deadline(timeout)
    try:
        with limit, _opener(limit).open(request, timeout=timeout) as response:
            status, error = response.status, ""
    except urllib.error.HTTPError as failure:
        failure.close()
        status, error = failure.code, f"HTTP {failure.code} {failure.reason}"[:500]
    # HTTPException: an answer that is not HTTP (a bad status line, too long headers); it is no OSError
    # and, uncaught, would crash the job without an attempt in the log.
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as failure:
        reason = getattr(failure, "reason", failure)
        status, error = None, str(reason)[:500] or failure.__class__.__name__
    if limit.expired:
        return None, f"timed out: no full answer within {timeout} s"
    return status, error


def _claim(delivery_id: int, now: datetime.datetime) -> WebhookDelivery | None:
    """Take a pending, due delivery for one attempt, or None (done, failed, not due, or another job's).

    The attempt is counted and the next one pushed beyond the timeout before sending: a second job
    meanwhile finds it not due and leaves it.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .filter(pk=delivery_id, state=DeliveryState.PENDING)
            .select_related("subscription")
            .first()
        )
        if delivery is None or (delivery.next_attempt and delivery.next_attempt > now):
            return None
        if not delivery.subscription.active:
            return None
        delivery.attempts += 1
        lease = _setting("CCHC_WEBHOOK_TIMEOUT_SECONDS", 10) + 60
        delivery.next_attempt = now + datetime.timedelta(seconds=lease)
        delivery.save(update_fields=["attempts", "next_attempt"])
    return delivery


def _retryable(status: int | None) -> bool:
    return status is None or status == 429 or status >= 500


def _backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=_setting("CCHC_WEBHOOK_RETRY_SECONDS", 30) * 2 ** (attempts - 1))


@task()
def send_delivery(delivery_id: int) -> str:
    """One attempt at one delivery; returns its state afterwards (or "skipped" if not taken)."""
    now = timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return "skipped"
    started = time.monotonic()
    status, error = _post(delivery)
    took = int((time.monotonic() - started) * 1000)
    finished = timezone.now()
    retry_at = None
    if status is not None and 200 <= status < 300:
        delivery.state, delivery.delivered_at, delivery.next_attempt = DeliveryState.DELIVERED, finished, None
        error = ""
    elif _retryable(status) and delivery.attempts < _setting("CCHC_WEBHOOK_MAX_ATTEMPTS", 6):
        retry_at = finished + _backoff(delivery.attempts)
        delivery.next_attempt = retry_at
    else:
        delivery.state, delivery.next_attempt = DeliveryState.FAILED, None
    if status is not None and not error and not 200 <= status < 300:
        error = f"HTTP {status}"
    delivery.last_status, delivery.last_error = status, error
    with transaction.atomic():
        stored = WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=delivery.state,
            delivered_at=delivery.delivered_at,
            next_attempt=delivery.next_attempt,
            last_status=status,
            last_error=error,
        )
        if not stored:  # the subscription was deleted while the POST was under way
            return "skipped"
        # Numbered across every round: after "Gửi lại" (resend_delivery), which restarts the round's
        # count, the log goes on from the last attempt instead of showing a second attempt 1.
        earlier = WebhookAttempt.objects.filter(delivery=delivery).aggregate(last=Max("number"))["last"]
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=(earlier or 0) + 1,
            at=now,
            status_code=status,
            error=error,
            duration_ms=took,
        )
    if retry_at is not None:
        _schedule(delivery.pk, retry_at)
    return delivery.state


def _schedule(delivery_id: int, at: datetime.datetime) -> None:
    """Queue the next attempt for `at`. A backend that cannot defer (the immediate one of tests and
    scripts) leaves it to `send_due`, which the `webhooks` command runs."""
    if send_delivery.get_backend().supports_defer:
        send_delivery.using(run_after=at).enqueue(delivery_id)


def send_due() -> int:
    """Attempt every pending delivery whose next attempt is due: a job lost with its worker, or a backend
    that cannot defer. Returns how many were attempted."""
    due = WebhookDelivery.objects.filter(state=DeliveryState.PENDING, next_attempt__lte=timezone.now())
    return sum(send_delivery.call(pk) != "skipped" for pk in list(due.values_list("pk", flat=True)))
