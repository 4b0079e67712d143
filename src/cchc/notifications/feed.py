"""From audit rows to notifications, in the background worker and only after the change is committed.

Every service writes an audit row in its own transaction. When the row is about an action some app has a
rule for, the commit enqueues `notify_audit` (django-tasks: the database queue in production, at once in
tests that ask for it). A rolled-back transaction never commits, so nothing is enqueued. The task may run
twice (a retried job): the notifications' unique (recipient, event) key makes the second run add nothing.
"""

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from cchc.core.models import AuditEntry
from cchc.notifications import services
from cchc.notifications.registry import deadline_sources, events_for_entry, has_rule

logger = logging.getLogger(__name__)


def audit_written(sender: Any, instance: AuditEntry, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw and has_rule(instance.action):
        # robust: the change is already committed; a failure to queue its notifications is logged and
        # must not turn the person's successful action into an error page.
        # (A named function, not functools.partial: Django logs a failing callback by its __qualname__.)
        entry_id = instance.pk

        def enqueue_after_commit() -> None:
            _enqueue(entry_id)

        transaction.on_commit(enqueue_after_commit, robust=True)


def _enqueue(entry_id: int) -> None:
    notify_audit.enqueue(entry_id)


@task()
def notify_audit(entry_id: int) -> int:
    """Create the notifications of one audit row and send the immediate e-mails. Returns how many were new."""
    entry = AuditEntry.objects.filter(pk=entry_id).select_related("unit").first()
    if entry is None:
        return 0
    # The worker has no request: titles are written in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        created = services.deliver(events_for_entry(entry))
    if created:
        # A refused e-mail is logged and left pending; the daily run tries it again.
        services.send_immediate()
    return len(created)


def run_daily(today: datetime.date | None = None) -> dict[str, int]:
    """The daily run: deadline notifications of `today`, then pending immediate e-mails and the digests."""
    today = today or timezone.localdate()
    counts: dict[str, int] = {}
    failed: list[str] = []
    with translation.override(settings.LANGUAGE_CODE):
        for name, source in sorted(deadline_sources().items()):
            # One module's broken source must not keep the others' deadlines or anyone's e-mail back.
            try:
                counts[name] = len(services.deliver(list(source(today))))
            except Exception:
                logger.exception("Deadline notifications of %s not made", name)
                failed.append(name)
    counts["immediate_emails"] = services.send_immediate()
    counts["digests"] = services.send_digests()
    if failed:  # the scheduler should see the run as failed, once the rest is done
        raise RuntimeError(f"Deadline sources failed: {', '.join(failed)} (counts: {counts})")
    return counts
