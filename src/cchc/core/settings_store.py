"""Reading and writing site-wide settings (SystemSetting rows)."""

from typing import Any

from django.db import transaction

from cchc.core import audit
from cchc.core.models import SystemSetting

DEMO_KEY = "demo_data"


def get_setting(key: str, default: Any = None) -> Any:
    row = SystemSetting.objects.filter(key=key).first()
    return default if row is None else row.value


@transaction.atomic
def set_setting(*, actor: Any, key: str, value: Any) -> SystemSetting:
    row, _created = SystemSetting.objects.get_or_create(key=key, defaults={"value": None})
    before = {"value": row.value}
    row.value = value
    row.save()
    audit.record(actor=actor, action="setting.change", obj=row, before=before, after={"value": value})
    return row


def is_demo() -> bool:
    return bool(get_setting(DEMO_KEY, False))
