from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Outgoing webhooks: other systems of the province told of accepted reports, published PAR
    results and answered feedback."""

    name = "cchc.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        # Each domain app says in its own `webhook_events` module which audit actions become events;
        # this app never imports the domain apps (the same mechanism as cchc.notifications).
        from django.db.models.signals import post_save
        from django.utils.module_loading import autodiscover_modules

        from cchc.core.models import AuditEntry
        from cchc.webhooks.sending import audit_written

        autodiscover_modules("webhook_events")
        post_save.connect(audit_written, sender=AuditEntry, dispatch_uid="webhooks.audit_written")
