"""Work on citizen feedback: routing what was received (the reform office of the receiving authority),
answering and publishing what was routed to the user's unit, each against its step's deadline."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cchc.surveys.models import Feedback, FeedbackStatus
from cchc.surveys.queries.feedback import PENDING, PUBLISHABLE, clock
from cchc.web.work.items import FEEDBACK_HANDLE, FEEDBACK_ROUTE, WorkItem, dated
from cchc.web.work.roles import REVIEWERS, Roles
from cchc.workdays.calendar import WorkCalendar


def work(user, roles: Roles, today: datetime.date, calendar: WorkCalendar) -> list[WorkItem]:
    def item(kind, feedback: Feedback, unit: str) -> WorkItem:
        step = clock(feedback, today, calendar)
        return dated(
            kind,
            title=feedback.title,
            unit=unit,
            url=reverse("surveys:feedback-detail", args=[feedback.pk]),
            deadline=step.due,
            today=today,
            calendar=calendar,
            since=feedback.received_at,
            detail=_next_step(feedback.receipt_code, step.step_label),
        )

    items = []
    visible = Feedback.objects.for_user(user).select_related("unit", "organiser")
    office = roles.under("organiser__path", *REVIEWERS)
    if office is not None:
        unrouted = visible.filter(office, status=FeedbackStatus.RECEIVED, unit__isnull=True)
        items += [item(FEEDBACK_ROUTE, feedback, feedback.organiser.name) for feedback in unrouted]
    if roles.focal:
        # Waiting for the citizen's information is not the unit's move: the answer clock restarts
        # when it arrives (surveys.queries.feedback.overdue_q).
        to_publish = Q(
            status__in=PUBLISHABLE,
            consent_to_publish=True,
            published_at__isnull=True,
            publish_due__isnull=False,
        )
        mine = visible.filter(Q(status__in=PENDING) | to_publish, unit_id__in=roles.focal)
        items += [item(FEEDBACK_HANDLE, feedback, feedback.unit.name) for feedback in mine]
    return items


def _next_step(code: str, step: str) -> str:
    """The receipt code people quote on the telephone, and the step the deadline belongs to."""
    if not step:
        return code
    return _("%(code)s, next step: %(step)s") % {"code": code, "step": step}
