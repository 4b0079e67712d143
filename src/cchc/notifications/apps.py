from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cchc.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Each domain app says in its own `notify_rules` module which audit actions and which
        # deadlines become notifications; this app never imports the domain apps.
        from django.db.models.signals import post_save
        from django.utils.module_loading import autodiscover_modules

        from cchc.core.models import AuditEntry
        from cchc.notifications.feed import audit_written

        autodiscover_modules("notify_rules")
        post_save.connect(audit_written, sender=AuditEntry, dispatch_uid="notifications.audit_written")
