"""Names of this app's audit actions for the change log (read by cchc.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from cchc.core.audit_labels import register

register(
    actions={
        "calendar_override.create": _("Calendar day added"),
        "calendar_override.delete": _("Calendar day removed"),
        "calendar_override.update": _("Calendar day changed"),
    }
)
