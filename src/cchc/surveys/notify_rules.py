"""Which feedback (PAKN) events become notifications, and for whom (read by cchc.notifications).

* Feedback routed to a unit (or received already addressed to one), or reopened by the citizen -> the
  focal points of the responsible unit, who handle it.
* Deadlines (the daily run): the answer due date of feedback still with the unit, 7, 3 and 1 working days
  ahead and when passed.
"""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.accounts.models import Role
from cchc.core.models import AuditEntry
from cchc.notifications import steps
from cchc.notifications.recipients import but, holders, holders_by_unit
from cchc.notifications.registry import Event, deadlines, kind, on_action
from cchc.surveys.models import Feedback, FeedbackStatus

ROUTED = kind("feedback_routed", gettext_lazy("Citizen feedback"))
FEEDBACK_DEADLINE = kind("feedback_deadline", gettext_lazy("Citizen feedback deadline"))

HANDLERS = [Role.FOCAL_POINT]


def feedback_routed(entry: AuditEntry) -> list[Event]:
    feedback = Feedback.objects.select_related("unit").filter(pk=entry.object_id).first()
    if feedback is None or feedback.unit is None or feedback.status != FeedbackStatus.ROUTED:
        return []
    if entry.action == "feedback.reopen":
        title = _("Feedback %(code)s was reopened by the citizen: %(title)s")
    else:
        title = _("Feedback %(code)s was routed to %(unit)s: %(title)s")
    return [
        Event(
            key=f"audit:{entry.pk}",
            kind=ROUTED,
            title=title
            % {"code": feedback.receipt_code, "unit": feedback.unit.name, "title": feedback.title},
            recipients=but(holders(feedback.unit, HANDLERS), entry.actor_id),
            body=_("Answer by %(date)s.") % {"date": f"{feedback.handle_due:%d/%m/%Y}"},
            link=reverse("surveys:feedback-detail", args=[feedback.pk]),
            unit=feedback.unit,
        )
    ]


def answer_deadlines(today: datetime.date) -> list[Event]:
    waiting = Feedback.objects.filter(
        status=FeedbackStatus.ROUTED, unit__isnull=False, handle_due__lt=steps.horizon(today)
    ).select_related("unit")
    found = [(feedback, steps.step(feedback.handle_due, today)) for feedback in waiting]
    found = [(feedback, step) for feedback, step in found if step is not None]
    people = holders_by_unit({feedback.unit_id for feedback, _step in found}, HANDLERS)
    events = [
        Event(
            key=f"surveys.feedback:{feedback.pk}:{steps.step_key(step, feedback.handle_due)}",
            kind=FEEDBACK_DEADLINE,
            title=_("%(when)s: answer feedback %(code)s")
            % {"when": steps.step_words(step, feedback.handle_due), "code": feedback.receipt_code},
            recipients=tuple(people.get(feedback.unit_id, [])),
            body=feedback.title,
            link=reverse("surveys:feedback-detail", args=[feedback.pk]),
            unit=feedback.unit,
        )
        for feedback, step in found
    ]
    return [event for event in events if event.recipients]


on_action("feedback.route", feedback_routed)
on_action("feedback.receive", feedback_routed)
on_action("feedback.reopen", feedback_routed)
deadlines("surveys.feedback", answer_deadlines)
