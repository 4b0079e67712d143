"""Names of this app's audit actions for the change log (read by cchc.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from cchc.core.audit_labels import register

register(
    actions={
        "lineage.create": _("Unit lineage recorded"),
        "lineage.update": _("Unit lineage changed"),
        "unit.change_code": _("Unit code changed"),
        "unit.create": _("Unit created"),
        "unit.update": _("Unit changed"),
    }
)
