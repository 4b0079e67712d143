"""Every change to notifications: creating them from events, e-mailing them, marking them read.

Notifications are derived from audit rows (or from the calendar), so creating one writes no audit row of
its own; marking one read is the person's own reading state, also not audited. A change of e-mail choice
is a setting and is audited.
"""

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.models import User
from cchc.core import audit
from cchc.notifications.models import DEFAULT_EMAIL, EmailChoice, Notification, NotificationPreference
from cchc.notifications.registry import Event

logger = logging.getLogger(__name__)

# A notification not e-mailed within this many days (no address yet, a mail server down) is left to the
# list in the application: an old digest would only confuse.
EMAIL_WITHIN_DAYS = 7


@transaction.atomic
def deliver(events: Iterable[Event]) -> list[Notification]:
    """Create the notifications of `events`, one per (recipient, event key); those that exist are skipped.

    Returns the notifications created now (a concurrent run may have stored some of them first).
    Immediate e-mails are sent afterwards by `send_immediate`.
    """
    wanted: dict[tuple[int, str], Notification] = {}
    for event in events:
        for person in event.recipients:
            key = event.key[:200]
            wanted.setdefault(
                (person.pk, key),
                Notification(
                    recipient=person,
                    kind=event.kind,
                    title=event.title[:300],
                    body=event.body,
                    link=event.link[:500],
                    unit_id=getattr(event.unit, "pk", event.unit),
                    event_key=key,
                ),
            )
    if not wanted:
        return []
    existing = set(
        Notification.objects.filter(event_key__in={key for _person, key in wanted}).values_list(
            "recipient_id", "event_key"
        )
    )
    new = [notification for pair, notification in wanted.items() if pair not in existing]
    # ignore_conflicts: a second worker delivering the same event at the same moment adds nothing.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    # With ignore_conflicts the database gives back no ids: read the new rows again.
    pairs = {(n.recipient_id, n.event_key) for n in new}
    stored = Notification.objects.filter(
        event_key__in={key for _person, key in pairs}, recipient_id__in={person for person, _key in pairs}
    ).select_related("recipient")
    return sorted(
        (n for n in stored if (n.recipient_id, n.event_key) in pairs), key=lambda n: (n.recipient_id, n.pk)
    )


def _choice_filter(choice: str) -> Q:
    condition = Q(recipient__notification_preference__email=choice)
    if choice == DEFAULT_EMAIL:
        condition |= Q(recipient__notification_preference__isnull=True)
    return condition


def _pending_mail(choice: str, now: datetime.datetime):
    """What to e-mail to those who chose `choice`: unread, not yet e-mailed, recent, with an address."""
    return (
        Notification.objects.filter(
            _choice_filter(choice),
            emailed_at__isnull=True,
            read_at__isnull=True,
            created__gte=now - datetime.timedelta(days=EMAIL_WITHIN_DAYS),
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "created", "id")
    )


def _claim(notifications: list[Notification], now: datetime.datetime) -> list[Notification]:
    """Mark as e-mailed before sending, so that a second run (or a retried job) never sends them again.

    Runs in the caller's transaction: if the mail server refuses, the marks are rolled back too.
    """
    ids = list(
        Notification.objects.select_for_update()
        .filter(pk__in=[n.pk for n in notifications], emailed_at__isnull=True)
        .values_list("pk", flat=True)
    )
    Notification.objects.filter(pk__in=ids).update(emailed_at=now)
    return [n for n in notifications if n.pk in set(ids)]


def _site() -> str:
    # Links need the site's address, which only the installation knows (CCHC_SITE_URL).
    return getattr(settings, "CCHC_SITE_URL", "").rstrip("/")


def _lines(notification: Notification) -> list[str]:
    lines = [f"- {notification.title}"]
    if notification.body:
        lines.append(f"  {notification.body}")
    if notification.link and _site():
        lines.append(f"  {_site()}{notification.link}")
    return lines


def _footer() -> list[str]:
    # The e-mail is in Vietnamese whatever language the site is shown in: it goes to officials.
    footer = [""]
    if _site():
        footer.append(f"Xem tất cả thông báo: {_site()}/notifications/")
    footer += [
        "Muốn đổi cách nhận thư, vào Thông báo > Cài đặt nhận thư.",
        "Thư này được gửi tự động, vui lòng không trả lời.",
    ]
    return footer


def _greeting(user: User) -> str:
    return f"Kính gửi {user.full_name or user.username},"


def compose_immediate(notification: Notification) -> tuple[str, str]:
    body = [_greeting(notification.recipient), "", *_lines(notification), *_footer()]
    # A title may hold line breaks (a task's text copied from a document); a mail header may not.
    subject = " ".join(f"[CCHC] {notification.title}".split())
    return subject[:200], "\n".join(body)


def compose_digest(user: User, notifications: list[Notification], today: datetime.date) -> tuple[str, str]:
    subject = f"[CCHC] Thông báo ngày {today:%d/%m/%Y}: {len(notifications)} việc cần biết"
    body = [
        _greeting(user),
        "",
        "Hệ thống quản lý cải cách hành chính có các thông báo mới cho anh/chị:",
        "",
        *[line for notification in notifications for line in _lines(notification)],
        *_footer(),
    ]
    return subject, "\n".join(body)


def send_immediate(now: datetime.datetime | None = None) -> int:
    """E-mail, one by one, the pending notifications of those who chose an e-mail at once."""
    now = now or timezone.now()
    sent = 0
    for notification in _pending_mail(EmailChoice.IMMEDIATE, now):
        subject, body = compose_immediate(notification)
        sent += _send_claimed([notification], notification.recipient, subject, body, now)
    return sent


def send_digests(now: datetime.datetime | None = None) -> int:
    """One e-mail per person who chose the daily digest, listing their pending notifications."""
    now = now or timezone.now()
    per_user: dict[int, list[Notification]] = {}
    for notification in _pending_mail(EmailChoice.DAILY, now):
        per_user.setdefault(notification.recipient_id, []).append(notification)
    today = timezone.localdate(now)
    sent = 0
    for notifications in per_user.values():
        user = notifications[0].recipient
        subject, body = compose_digest(user, notifications, today)
        sent += _send_claimed(notifications, user, subject, body, now)
    return sent


def _send_claimed(notifications: list[Notification], user: User, subject: str, body: str, now) -> int:
    """Claim and send one e-mail in a transaction of its own: a refusal by the mail server un-claims
    only this e-mail's notifications (the next run tries again) and the others still go out."""
    try:
        with transaction.atomic():
            claimed = _claim(notifications, now)
            if len(claimed) != len(notifications):  # another run took some: it sends them
                transaction.set_rollback(True)
                return 0
            send_mail(subject, body, None, [user.email], fail_silently=False)
    except Exception:
        logger.exception("E-mail of notifications to user %s not sent", user.pk)
        return 0
    return 1


@transaction.atomic
def mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (someone else's is not found)."""
    notification = Notification.objects.for_user(actor).get(pk=notification.pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, actor: Any) -> int:
    return Notification.objects.for_user(actor).unread().update(read_at=timezone.now())


def email_choice(user: User) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.email if preference else DEFAULT_EMAIL


@transaction.atomic
def set_email_choice(*, actor: Any, email: str) -> NotificationPreference:
    """The actor chooses how to be e-mailed about their own notifications."""
    if email not in EmailChoice.values:
        raise ValidationError({"email": _("Choose one of the offered ways to receive e-mail.")})
    preference, _created = NotificationPreference.objects.get_or_create(user=actor)
    before = audit.snapshot(preference, ["email"])
    preference.email = email
    preference.save()
    audit.record(
        actor=actor,
        action="notifications.email_choice",
        obj=preference,
        before=before,
        after=audit.snapshot(preference, ["email"]),
    )
    return preference
