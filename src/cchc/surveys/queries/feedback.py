"""Citizen feedback as the staff pages show it: the filtered list, the deadline clock of each item, its
steps and history, and the figures per unit for a period.

Everything starts from `Feedback.objects.for_user(...)`, so a user never reads feedback out of reach.
The figures per unit are read for all the units of a page at once (`metrics.received_by_unit`), and
counted on the same base as the two metrics of QĐ 766 5.2 and 5.3.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cchc.core.metrics import Ratio
from cchc.core.models import AuditEntry
from cchc.core.periods import Period
from cchc.surveys import metrics
from cchc.surveys.models import FINISHED, Feedback, FeedbackStatus, FeedbackStep
from cchc.units.models import Unit, UnitType
from cchc.workdays.calendar import WorkCalendar, get_calendar, working_days_between

ONE_DAY = datetime.timedelta(days=1)
# Statuses in which the unit is expected to move: the answer deadline runs.
PENDING = (FeedbackStatus.RECEIVED, FeedbackStatus.ROUTED)
# Answered statuses in which an answer the citizen allowed to publish still waits for publication.
PUBLISHABLE = (FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED)
STEP_LABELS: dict[str, Any] = {
    FeedbackStep.HANDLE: gettext_lazy("Reply"),
    FeedbackStep.PUBLISH: gettext_lazy("Publication"),
}


# -- overdue and the deadline clock ---------------------------------------------------------------


def overdue_q(today: datetime.date) -> Q:
    """Feedback whose next step is late today: unanswered past the answer deadline, or an answer the
    citizen allowed to publish that is still unpublished past the publication deadline. Feedback waiting
    for the citizen's information is not counted: the answer deadline starts again when it arrives."""
    return Q(status__in=PENDING, handle_due__lt=today) | Q(
        status__in=PUBLISHABLE,
        consent_to_publish=True,
        published_at__isnull=True,
        publish_due__lt=today,
    )


def is_overdue(feedback: Feedback, today: datetime.date) -> bool:
    """`overdue_q` for a feedback already read."""
    if feedback.status in PENDING:
        return feedback.handle_due < today
    return (
        feedback.status in PUBLISHABLE
        and feedback.consent_to_publish
        and feedback.published_at is None
        and feedback.publish_due is not None
        and feedback.publish_due < today
    )


@dataclass(frozen=True)
class Clock:
    """The deadline of the step the feedback waits for, and the working days left (negative: overdue)."""

    step: str
    due: datetime.date | None
    days: int | None

    @property
    def overdue(self) -> bool:
        return self.days is not None and self.days < 0

    @property
    def days_overdue(self) -> int:
        return -self.days if self.days is not None and self.days < 0 else 0

    @property
    def step_label(self) -> str:
        return str(STEP_LABELS.get(self.step, ""))


def working_days_left(due: datetime.date, today: datetime.date, calendar: WorkCalendar) -> int:
    """Working days after today up to the deadline; minus the working days past it when overdue."""
    if due > today:
        return working_days_between(today + ONE_DAY, due, calendar=calendar)
    if due == today:
        return 0
    return -working_days_between(due + ONE_DAY, today, calendar=calendar)


def clock(feedback: Feedback, today: datetime.date, calendar: WorkCalendar) -> Clock:
    if feedback.status in PENDING:
        step, due = FeedbackStep.HANDLE, feedback.handle_due
    elif (
        feedback.status in PUBLISHABLE
        and feedback.consent_to_publish
        and feedback.published_at is None
        and feedback.publish_due is not None
    ):
        step, due = FeedbackStep.PUBLISH, feedback.publish_due
    else:
        return Clock(step="", due=None, days=None)
    return Clock(step=step, due=due, days=working_days_left(due, today, calendar))


# -- the list -------------------------------------------------------------------------------------


def visible(user: Any) -> QuerySet[Feedback]:
    """The feedback the user sees, with what every page shows of it."""
    return Feedback.objects.for_user(user).select_related("unit", "organiser")


def filtered(user: Any, data: dict[str, Any]) -> QuerySet[Feedback]:
    """The user's feedback narrowed by the list's filters (the cleaned data of `FeedbackFilter`; the
    filters missing from it, because empty or invalid, do not narrow), newest first."""
    feedback = visible(user)
    if data.get("status"):
        feedback = feedback.filter(status=data["status"])
    if data.get("kind"):
        feedback = feedback.filter(kind=data["kind"])
    if data.get("unit") is not None:
        feedback = feedback.filter(unit__path__startswith=data["unit"].path)
    if data.get("month"):
        year, month = data["month"]
        feedback = feedback.filter(received_at__year=year, received_at__month=month)
    if data.get("overdue"):
        feedback = feedback.filter(overdue_q(timezone.localdate()))
    return feedback.order_by("-received_at", "-pk")


def list_rows(feedback: Iterable[Feedback]) -> list[dict[str, Any]]:
    """Each feedback with its clock and its on-time verdict."""
    today, calendar = timezone.localdate(), get_calendar()
    return [
        {
            "feedback": item,
            "clock": clock(item, today, calendar),
            "on_time": metrics.handled_on_time(item, today),
        }
        for item in feedback
    ]


# -- one feedback ---------------------------------------------------------------------------------


def history(user: Any, feedback: Feedback) -> QuerySet[AuditEntry]:
    """The feedback's audit entries the user may read, and those made while it belonged to its receiving
    authority or to its present unit (both shown on the page anyway). An entry made while another unit
    held it stays out of sight of those who do not view that unit."""
    own_units = [pk for pk in (feedback.organiser_id, feedback.unit_id) if pk is not None]
    readable = AuditEntry.objects.for_user(user).values("pk")
    return (
        AuditEntry.objects.for_object(feedback)
        .filter(Q(pk__in=readable) | Q(unit_id__in=own_units))
        .select_related("unit")
    )


def steps(feedback: Feedback) -> list[dict[str, Any]]:
    """Each step with its deadline, when it was done and whether late."""
    done = {
        FeedbackStep.REFUSE: feedback.refused_at,
        FeedbackStep.MORE_INFO: feedback.info_requested_at,
        FeedbackStep.HANDLE: feedback.answered_at,
        FeedbackStep.PUBLISH: feedback.published_at,
    }
    due = {
        FeedbackStep.REFUSE: feedback.refuse_due,
        FeedbackStep.MORE_INFO: feedback.info_request_due,
        FeedbackStep.HANDLE: feedback.handle_due,
        FeedbackStep.PUBLISH: feedback.publish_due,
    }
    return [
        {
            "step": step.value,
            "label": step.label,
            "due": due[step],
            "done": done[step],
            "late": step.value in feedback.late_steps,
        }
        for step in FeedbackStep
    ]


# -- figures per unit -----------------------------------------------------------------------------


def _value(ratio: Ratio | None) -> Any:
    return None if ratio is None else ratio.value


def unit_figures(units: Sequence[Unit], period: Period, today: datetime.date) -> list[dict[str, Any]]:
    """For each unit, the feedback received in the period that belongs to it (routed to it or below, or
    received by it and not yet routed): received, handled, overdue, on time (5.2) and satisfied (5.3).
    One query for all the units."""
    received = metrics.received_by_unit(units, period)
    figures = []
    for unit in units:
        items = received.get(unit.pk, [])
        on_time = metrics.on_time_ratio(items, today)
        satisfied = metrics.satisfied_ratio(items, today)
        figures.append(
            {
                "unit": unit,
                "received": len(items),
                "handled": sum(1 for item in items if item.status in FINISHED),
                "overdue": sum(1 for item in items if is_overdue(item, today)),
                "on_time": on_time,
                "on_time_value": _value(on_time),
                "satisfied": satisfied,
                "satisfied_value": _value(satisfied),
            }
        )
    return figures


# -- the citizens' pages --------------------------------------------------------------------------

# The statuses in which the answer is shown to the citizen and, with consent, to everyone.
ANSWER_SHOWN = (FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED)


def receiving_provinces() -> list[Unit]:
    """The provinces that receive feedback on this site: the top-level provinces in force today."""
    return list(
        Unit.objects.active_on(timezone.localdate())
        .filter(type=UnitType.PROVINCE, parent__isnull=True)
        .order_by("name")
    )


def published_answers(province: Unit | None = None) -> QuerySet[Feedback]:
    """Answered feedback whose author agreed to publication, newest first (of one province when
    given). Only what the public list shows is read: no receipt codes, no contacts."""
    answers = (
        Feedback.objects.filter(consent_to_publish=True, published_at__isnull=False, status__in=ANSWER_SHOWN)
        .select_related("unit")
        .only("kind", "title", "content", "answer", "answered_at", "published_at", "unit__name")
        .order_by("-published_at", "-pk")
    )
    return answers if province is None else answers.filter(organiser=province)
