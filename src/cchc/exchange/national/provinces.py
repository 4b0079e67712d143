"""Who may compare the provinces and which provinces they see.

The rows are today's provinces (the 34 since 1/7/2025, loaded with `cchc units load-official --all`),
whether they sent anything or not; a package always belongs to a current province's registration,
even one for a month before the reorganisation.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from cchc.accounts.permissions import VIEW, has_global_permission
from cchc.units.models import Unit, UnitType


def is_national() -> bool:
    return bool(getattr(settings, "CCHC_NATIONAL", False))


def may_compare(user: Any) -> bool:
    """Whoever sees a whole province (a role on a top-level unit) or everything: a commune's or an
    agency's people see no province and so nothing of the comparison."""
    return bool(user and user.is_authenticated and has_global_permission(user, VIEW))


def visible_provinces(user: Any, on: datetime.date | None = None) -> QuerySet[Unit]:
    """The current provinces within the user's view, in code order."""
    day = on or timezone.localdate()
    return (
        Unit.objects.for_user(user, VIEW)
        .filter(type=UnitType.PROVINCE, parent__isnull=True)
        .active_on(day)
        .order_by("code", "name")
    )
