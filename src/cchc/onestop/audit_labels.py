"""Names of this app's audit actions for the change log (read by cchc.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from cchc.core.audit_labels import register

register(
    actions={
        "onestop.import_abandoned": _("Import abandoned"),
        "onestop.import_failed": _("Import failed"),
        "onestop.import_cancelled": _("Import cancelled"),
        "onestop.import_timed_out": _("Import stopped at its time limit"),
        "onestop.import_procedures": _("Procedures imported"),
        "onestop.import_dossiers": _("Dossiers imported"),
        "onestop.import_official_scores": _("Official QĐ 766 scores imported"),
        "onestop.procedure_create": _("Procedure created"),
        "onestop.procedure_update": _("Procedure changed"),
        "onestop.feed_source_create": _("Feed source added"),
        "onestop.feed_source_update": _("Feed source changed"),
        "onestop.archive_month": _("Month of dossiers archived"),
    }
)
