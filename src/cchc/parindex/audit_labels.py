"""Names of this app's audit actions for the change log (read by cchc.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from cchc.core.audit_labels import register

register(
    actions={
        "criteria_set.create": _("Criteria set created"),
        "criteria_set.replace": _("Criteria set replaced"),
        "par_assessment.submit": _("Self-assessment submitted"),
        "par_bands.set": _("PAR Index bands set"),
        "par_campaign.advance": _("Assessment moved to its next phase"),
        "par_campaign.answer_weights": _("Survey answer weights set"),
        "par_campaign.create": _("PAR Index assessment created"),
        "par_campaign.deadlines": _("Phase deadlines set"),
        "par_campaign.import_scores": _("Scores imported"),
        "par_item.appraise": _("Item appraised"),
        "par_item.evidence": _("Evidence changed"),
        "par_item.explain": _("Explanation given"),
        "par_item.measure": _("Measured score recorded"),
        "par_item.second_appraise": _("Item appraised again"),
        "par_item.self_assess": _("Item self-assessed"),
        "par_questionnaire.create": _("Questionnaire created"),
        "par_survey.answers": _("Survey answers recorded"),
    }
)
