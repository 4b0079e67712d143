"""Names of this app's audit actions for the change log (read by cchc.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from cchc.core.audit_labels import register
from cchc.surveys.models import FeedbackStep

register(
    actions={
        "feedback.answer": _("Feedback answered"),
        "feedback.close": _("Feedback closed"),
        "feedback.information_received": _("Additional information received"),
        "feedback.publish": _("Answer published"),
        "feedback.rate": _("Answer rated"),
        "feedback.receive": _("Feedback received"),
        "feedback.refuse": _("Feedback refused"),
        "feedback.reopen": _("Feedback reopened"),
        "feedback.request_information": _("Additional information requested"),
        "feedback.route": _("Feedback routed"),
        "sipas.create": _("SIPAS survey created"),
        "sipas.import": _("SIPAS answers imported"),
        "sipas.invitations": _("SIPAS invitations sent"),
        "sipas.quota": _("SIPAS quota set"),
        "sipas.response": _("SIPAS answer recorded"),
        "sipas.status": _("SIPAS survey status changed"),
    },
    values={"late_steps": dict(FeedbackStep.choices)},
)
