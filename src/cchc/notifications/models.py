"""In-app notifications and each person's choice of e-mail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.accounts.permissions import scope_filter


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view"):
        """A notification is its recipient's alone, whatever their roles: no one else sees or marks it.

        Of their own, a person sees those about units still in their scope (or about no unit): someone
        moved to another unit no longer reads the events of the old one.
        """
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(scope_filter(user, action, "unit__path") | Q(unit__isnull=True), recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One thing one person is told: a report waiting for them, a deadline coming, feedback routed to them.

    `event_key` names the event (an audit row, or a deadline step such as "7 working days before");
    a person gets at most one notification per event, so a retried job or a second daily run adds nothing.
    Personal rather than scoped to a unit: `unit` only says which unit the event concerns.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    event_key = models.CharField(_("event"), max_length=200)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="notification_once_per_event")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class EmailChoice(models.TextChoices):
    NONE = "none", _("No e-mail, only in the application")
    IMMEDIATE = "immediate", _("An e-mail for each notification, at once")
    DAILY = "daily", _("One e-mail a day with the day's notifications")


# What a person who never chose gets: one message a day rather than a stream or silence.
DEFAULT_EMAIL = EmailChoice.DAILY


class NotificationPreference(models.Model):
    """How a person wants to be e-mailed about their notifications. Personal, so not scoped to a unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.CharField(_("e-mail"), max_length=20, choices=EmailChoice.choices, default=DEFAULT_EMAIL)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_display()}"
