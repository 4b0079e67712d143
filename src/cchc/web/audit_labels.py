"""Names of the web app's audit actions for the change log (read by cchc.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from cchc.core.audit_labels import register

register(
    actions={
        "brief.request": _("Brief requested"),
        "brief.write": _("Brief prepared"),
        "brief.fail": _("Brief could not be prepared"),
        "brief_subscription.create": _("Brief schedule created"),
        "brief_subscription.update": _("Brief schedule changed"),
        "brief_subscription.delete": _("Brief schedule deleted"),
        "brief_delivery.sent": _("Brief e-mailed"),
        "brief_delivery.failed": _("Brief could not be e-mailed"),
    },
    keys={"users": _("recipients in the system")},
)
