"""Names of this app's audit actions for the change log (read by cchc.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from cchc.core.audit_labels import register

register(
    actions={
        "exchange.register": _("Province registered for data exchange"),
        "exchange.accept": _("Exchange package accepted"),
        "exchange.refuse": _("Exchange package refused"),
    }
)
