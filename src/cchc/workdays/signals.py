"""Drop the cached calendar whenever an override changes, so the next computation sees it."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cchc.workdays.calendar import invalidate_cache
from cchc.workdays.models import CalendarOverride


@receiver(post_save, sender=CalendarOverride, dispatch_uid="workdays_override_saved")
@receiver(post_delete, sender=CalendarOverride, dispatch_uid="workdays_override_deleted")
def forget_calendar(sender: Any, **kwargs: Any) -> None:
    invalidate_cache()
    # Once more after commit: a calendar read by another thread before the commit would still lack the change.
    transaction.on_commit(invalidate_cache)
