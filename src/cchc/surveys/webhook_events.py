"""Which feedback (PAKN) events are sent to other systems (read by cchc.webhooks at start-up).

* Feedback answered by the responsible unit -> "feedback.answered", for that unit's subtree. The payload
  names the feedback by its receipt code and says when and whether on time; it carries nothing the
  citizen wrote or gave about themselves (no subject, content or contact).
"""

from django.urls import reverse

from cchc.core.models import AuditEntry
from cchc.surveys.models import Feedback
from cchc.webhooks.models import EventType
from cchc.webhooks.registry import Event, Part, on_action, unit_data


def feedback_answered(entry: AuditEntry) -> list[Event]:
    feedback = Feedback.objects.select_related("unit", "organiser").filter(pk=entry.object_id).first()
    if feedback is None or feedback.unit is None or feedback.answered_at is None:
        return []
    return [
        Event(
            type=EventType.FEEDBACK_ANSWERED,
            object={
                "feedback_id": feedback.pk,
                "receipt_code": feedback.receipt_code,
                "kind": feedback.kind,
                "unit": unit_data(feedback.unit),
                "organiser": unit_data(feedback.organiser),
                "received_at": feedback.received_at.isoformat(),
                "answer_due": feedback.handle_due.isoformat(),
                "answered_at": feedback.answered_at.isoformat(),
                "answered_late": "handle" in (feedback.late_steps or []),
            },
            link=reverse("surveys:feedback-detail", args=[feedback.pk]),
            parts=(Part(feedback.unit.path),),
        )
    ]


on_action("feedback.answer", feedback_answered)
