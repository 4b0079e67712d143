"""Webhook subscriptions of other systems, and the log of what was sent to them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.scoping import ScopedQuerySet


class EventType(models.TextChoices):
    """The events other systems may subscribe to (the domain apps' `webhook_events` modules emit them)."""

    REPORT_ACCEPTED = "report.accepted", _("A periodic report is accepted")
    PAR_PUBLISHED = "par.results_published", _("PAR Index results are published")
    FEEDBACK_ANSWERED = "feedback.answered", _("Citizen feedback is answered")


class WebhookSubscriptionQuerySet(ScopedQuerySet):
    """A subscription is its unit's: managed (and seen) by those who administer that unit."""

    scope_path = "unit__path"


class WebhookSubscription(models.Model):
    """Another system that wants to be told of some events about a unit and the units below it.

    The secret signs every payload (HMAC-SHA256), so it is stored as given: the receiver holds the same.
    It is shown to the managers on request and never written to the audit trail.
    """

    name = models.CharField(_("name"), max_length=200)
    # checked by services.clean_url (http and https only), which says why in the user's language
    url = models.CharField(_("address (URL)"), max_length=500)
    secret = models.CharField(_("secret"), max_length=100)
    event_types = models.JSONField(_("events"), default=list)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="webhook_subscriptions"
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["unit__path", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def event_labels(self) -> list[str]:
        return [str(EventType(value).label) for value in self.event_types if value in EventType.values]


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDeliveryQuerySet(ScopedQuerySet):
    """A delivery is seen by those who manage its subscription."""

    scope_path = "subscription__unit__path"


class WebhookDelivery(models.Model):
    """One event for one subscription: the payload, its state and its attempts so far.

    `event_id` is the audit row the event came from; with the subscription it is unique, so an event is
    stored (and delivered) once whatever the number of times its job runs.
    """

    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event_type = models.CharField(_("event"), max_length=50, choices=EventType.choices)
    event_id = models.PositiveBigIntegerField(_("event number"))
    payload = models.JSONField(_("content sent"))
    state = models.CharField(
        _("state"), max_length=20, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status = models.PositiveSmallIntegerField(_("last response code"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="webhook_delivery_once_per_event"
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt"], name="webhook_delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.subscription} #{self.event_id}"


class WebhookAttemptQuerySet(ScopedQuerySet):
    """An attempt is seen by those who manage its delivery's subscription."""

    scope_path = "delivery__subscription__unit__path"


class WebhookAttempt(models.Model):
    """One try at sending a delivery: when, the answer's code (none when there was no answer) and the
    error, for the log."""

    delivery = models.ForeignKey(
        WebhookDelivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    at = models.DateTimeField(_("time"))
    status_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    objects = WebhookAttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery} ({self.number})"
