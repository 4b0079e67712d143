"""Names of this app's audit actions for the change log (read by cchc.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from cchc.core.audit_labels import register

register(
    actions={
        "webhook.create": _("Webhook subscription created"),
        "webhook.update": _("Webhook subscription changed"),
        "webhook.delete": _("Webhook subscription deleted"),
        "webhook.rotate_secret": _("Webhook secret renewed"),
        "webhook.show_secret": _("Webhook secret shown"),
        "webhook.resend": _("Webhook delivery sent again"),
    }
)
