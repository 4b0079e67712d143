"""Citizen feedback (PAKN): intake, routing, refusal, requests for information, answer, publication,
the citizen's rating and reopening, each step timed against its deadline in working days (data).

Rights: the receiving authority's reform office (PLAN on `organiser`) routes and may act on any
feedback; the responsible unit's staff (ENTER on `unit`) handle what is routed to them. Citizens act
with the receipt code, which is long and random, and give no personal data unless they wish to.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.permissions import ENTER, PLAN, require
from cchc.core import audit
from cchc.core.audit import signed_in
from cchc.surveys.models import (
    FINISHED,
    Feedback,
    FeedbackChannel,
    FeedbackDeadline,
    FeedbackKind,
    FeedbackRating,
    FeedbackStatus,
    FeedbackStep,
)
from cchc.surveys.services.common import random_code
from cchc.surveys.services.feedback_rights import Rights
from cchc.units.models import Unit
from cchc.workdays.calendar import add_working_days

FEEDBACK_FIELDS = [
    "unit",
    "status",
    "refuse_due",
    "info_request_due",
    "handle_due",
    "publish_due",
    "refusal_reason",
    "info_request",
    "answer",
    "published_at",
    "rating",
    "reopened_count",
    "late_steps",
]
MAX_TEXT = 10_000


def deadline_days(step: str, on: datetime.date) -> int:
    """The working days a step may take under the rule in force on `on`."""
    rule = FeedbackDeadline.objects.filter(step=step, valid_from__lte=on).order_by("-valid_from").first()
    if rule is None:
        raise ValidationError(
            _("No deadline is set for the step “%(step)s”; an administrator must enter it.")
            % {"step": FeedbackStep(step).label}
        )
    return rule.working_days


def _due(start: datetime.datetime, step: str) -> datetime.date:
    day = timezone.localtime(start).date()
    return add_working_days(day, deadline_days(step, day))


def _snapshot(feedback: Feedback) -> dict[str, Any]:
    return audit.snapshot(feedback, FEEDBACK_FIELDS)


def _record(
    actor: Any, action: str, feedback: Feedback, before: dict[str, Any] | None, reason: str = ""
) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=feedback,
        unit=feedback.unit or feedback.organiser,
        before=before,
        after=_snapshot(feedback),
        reason=reason,
    )


def _text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("%(label)s is required.") % {"label": label}})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: _("%(label)s is too long.") % {"label": label}})
    return value


def _late_if(feedback: Feedback, step: str, due: datetime.date | None, when: datetime.datetime) -> None:
    if due is not None and timezone.localtime(when).date() > due and step not in feedback.late_steps:
        feedback.late_steps = [*feedback.late_steps, step]


@transaction.atomic
def receive_feedback(
    *,
    actor: Any,
    organiser: Unit,
    kind: str,
    title: str,
    content: str,
    contact: str = "",
    consent_to_publish: bool = False,
    procedure_code: str = "",
    unit: Unit | None = None,
    channel: str = FeedbackChannel.WEB,
    received_at: datetime.datetime | None = None,
    external_code: str = "",
) -> Feedback:
    """A new feedback: from the public form (actor None, channel web) or entered by staff."""
    if channel != FeedbackChannel.WEB or actor is not None:
        require(actor, ENTER, unit or organiser)
    if kind not in FeedbackKind.values:
        raise ValidationError({"kind": _("Say what the feedback is about.")})
    if unit is not None and not unit.path.startswith(organiser.path):
        raise ValidationError(
            {
                "unit": _("%(unit)s is not under %(organiser)s.")
                % {"unit": unit.name, "organiser": organiser.name}
            }
        )
    received_at = received_at or timezone.now()
    if received_at > timezone.now():
        raise ValidationError({"received_at": _("The date of receipt cannot be in the future.")})
    feedback = Feedback(
        organiser=organiser,
        unit=unit,
        kind=kind,
        procedure_code=procedure_code.strip()[:60],
        channel=channel,
        title=_text(title, "title", _("The subject"))[:300],
        content=_text(content, "content", _("The content")),
        contact=contact.strip()[:200],
        consent_to_publish=bool(consent_to_publish),
        status=FeedbackStatus.ROUTED if unit is not None else FeedbackStatus.RECEIVED,
        received_at=received_at,
        refuse_due=_due(received_at, FeedbackStep.REFUSE),
        info_request_due=_due(received_at, FeedbackStep.MORE_INFO),
        handle_due=_due(received_at, FeedbackStep.HANDLE),
        external_code=external_code.strip()[:60],
        created_by=signed_in(actor),
    )
    for _attempt in range(5):
        feedback.receipt_code = random_code(10, "PA")
        try:
            with transaction.atomic():
                feedback.save()
            break
        except IntegrityError:
            continue
    else:
        raise RuntimeError("could not draw a free receipt code")
    _record(actor, "feedback.receive", feedback, None)
    return feedback


def _locked(feedback: Feedback) -> Feedback:
    return (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("unit", "organiser")
        .get(pk=feedback.pk)
    )


def _require_handler(actor: Any, feedback: Feedback) -> None:
    """The responsible unit's staff, or the reform office of the receiving authority."""
    if actor is not None and not Rights.of(actor, feedback).handler:
        raise PermissionDenied(_("You may not handle this feedback."))


def _require_status(feedback: Feedback, *allowed: str) -> None:
    if feedback.status not in allowed:
        raise ValidationError(
            _("This cannot be done while the feedback is “%(status)s”.")
            % {"status": feedback.get_status_display()}
        )


@transaction.atomic
def route_feedback(*, actor: Any, feedback: Feedback, unit: Unit) -> Feedback:
    feedback = _locked(feedback)
    require(actor, PLAN, feedback.organiser)
    _require_status(feedback, FeedbackStatus.RECEIVED, FeedbackStatus.ROUTED)
    if not unit.path.startswith(feedback.organiser.path):
        raise ValidationError(
            {
                "unit": _("%(unit)s is not under %(organiser)s.")
                % {"unit": unit.name, "organiser": feedback.organiser.name}
            }
        )
    if not unit.is_active_on(timezone.localdate()):
        raise ValidationError({"unit": _("%(unit)s no longer exists.") % {"unit": unit.name}})
    before = _snapshot(feedback)
    feedback.unit, feedback.status = unit, FeedbackStatus.ROUTED
    feedback.save()
    _record(actor, "feedback.route", feedback, before)
    return feedback


@transaction.atomic
def refuse_feedback(*, actor: Any, feedback: Feedback, reason: str) -> Feedback:
    feedback = _locked(feedback)
    _require_handler(actor, feedback)
    _require_status(feedback, FeedbackStatus.RECEIVED, FeedbackStatus.ROUTED)
    before = _snapshot(feedback)
    now = timezone.now()
    feedback.refusal_reason = _text(reason, "reason", _("The reason"))
    feedback.refused_at, feedback.status = now, FeedbackStatus.REFUSED
    _late_if(feedback, FeedbackStep.REFUSE, feedback.refuse_due, now)
    feedback.save()
    _record(actor, "feedback.refuse", feedback, before, reason=feedback.refusal_reason)
    return feedback


@transaction.atomic
def request_information(*, actor: Any, feedback: Feedback, text: str) -> Feedback:
    feedback = _locked(feedback)
    _require_handler(actor, feedback)
    _require_status(feedback, FeedbackStatus.ROUTED)
    if feedback.info_requested_at is not None:
        raise ValidationError(_("More information has already been asked for once."))
    before = _snapshot(feedback)
    now = timezone.now()
    feedback.info_request = _text(text, "text", _("What is asked"))
    feedback.info_requested_at, feedback.status = now, FeedbackStatus.INFO_REQUESTED
    _late_if(feedback, FeedbackStep.MORE_INFO, feedback.info_request_due, now)
    feedback.save()
    _record(actor, "feedback.request_information", feedback, before)
    return feedback


@transaction.atomic
def information_received(
    *, actor: Any, feedback: Feedback, received_at: datetime.datetime | None = None
) -> Feedback:
    """The citizen completed the information: the handling time starts again from that day."""
    feedback = _locked(feedback)
    _require_handler(actor, feedback)
    _require_status(feedback, FeedbackStatus.INFO_REQUESTED)
    before = _snapshot(feedback)
    received_at = received_at or timezone.now()
    if received_at > timezone.now():
        raise ValidationError({"received_at": _("The information cannot arrive in the future.")})
    if feedback.info_requested_at and received_at < feedback.info_requested_at:
        raise ValidationError({"received_at": _("The information cannot arrive before it was asked for.")})
    feedback.info_received_at, feedback.status = received_at, FeedbackStatus.ROUTED
    feedback.handle_due = _due(received_at, FeedbackStep.HANDLE)
    feedback.save()
    _record(actor, "feedback.information_received", feedback, before)
    return feedback


@transaction.atomic
def answer_feedback(*, actor: Any, feedback: Feedback, text: str) -> Feedback:
    feedback = _locked(feedback)
    _require_handler(actor, feedback)
    _require_status(feedback, FeedbackStatus.ROUTED)
    if feedback.unit is None:
        raise ValidationError(_("Route the feedback to the responsible unit first."))
    before = _snapshot(feedback)
    now = timezone.now()
    feedback.answer = _text(text, "text", _("The answer"))
    feedback.answered_at, feedback.status = now, FeedbackStatus.ANSWERED
    _late_if(feedback, FeedbackStep.HANDLE, feedback.handle_due, now)
    feedback.publish_due = _due(now, FeedbackStep.PUBLISH) if feedback.consent_to_publish else None
    feedback.save()
    _record(actor, "feedback.answer", feedback, before)
    return feedback


@transaction.atomic
def publish_answer(*, actor: Any, feedback: Feedback) -> Feedback:
    feedback = _locked(feedback)
    _require_handler(actor, feedback)
    _require_status(feedback, FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED)
    if not feedback.consent_to_publish:
        raise ValidationError(_("The citizen did not agree to publish the answer."))
    if feedback.published_at is not None:
        raise ValidationError(_("The answer is already published."))
    before = _snapshot(feedback)
    now = timezone.now()
    feedback.published_at = now
    _late_if(feedback, FeedbackStep.PUBLISH, feedback.publish_due, now)
    feedback.save()
    _record(actor, "feedback.publish", feedback, before)
    return feedback


@transaction.atomic
def close_feedback(*, actor: Any, feedback: Feedback) -> Feedback:
    feedback = _locked(feedback)
    require(actor, PLAN, feedback.organiser)
    _require_status(feedback, FeedbackStatus.ANSWERED)
    before = _snapshot(feedback)
    feedback.status = FeedbackStatus.CLOSED
    feedback.save()
    _record(actor, "feedback.close", feedback, before)
    return feedback


def by_receipt(code: str) -> Feedback:
    feedback = (
        Feedback.objects.select_related("unit", "organiser").filter(receipt_code=code.strip().upper()).first()
    )
    if feedback is None:
        raise ValidationError({"receipt_code": _("No feedback has this receipt code.")})
    return feedback


@transaction.atomic
def rate_answer(*, receipt_code: str, rating: str) -> Feedback:
    """The citizen's rating of the answer (QĐ 766 5.3); it can be changed until the feedback is reopened."""
    feedback = _locked(by_receipt(receipt_code))
    _require_status(feedback, FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED)
    if rating not in FeedbackRating.values:
        raise ValidationError({"rating": _("Choose satisfied or not satisfied.")})
    before = _snapshot(feedback)
    feedback.rating, feedback.rated_at = rating, timezone.now()
    feedback.save()
    _record(None, "feedback.rate", feedback, before)
    return feedback


@transaction.atomic
def reopen_feedback(*, receipt_code: str, reason: str) -> Feedback:
    """The citizen is not satisfied with the answer or the refusal: the handling starts again."""
    feedback = _locked(by_receipt(receipt_code))
    if feedback.status not in FINISHED:
        raise ValidationError(_("Only an answered or refused feedback can be reopened."))
    before = _snapshot(feedback)
    now = timezone.now()
    feedback.reopen_reason = _text(reason, "reason", _("The reason"))
    feedback.reopened_count += 1
    feedback.status = FeedbackStatus.ROUTED if feedback.unit is not None else FeedbackStatus.RECEIVED
    feedback.handle_due = _due(now, FeedbackStep.HANDLE)
    feedback.answered_at = feedback.published_at = None
    feedback.publish_due = None
    # The rating judged the earlier answer, and a new handling may need information again; both stay
    # in the audit trail.
    feedback.rating, feedback.rated_at = "", None
    feedback.info_requested_at = feedback.info_received_at = None
    feedback.save()
    _record(None, "feedback.reopen", feedback, before, reason=feedback.reopen_reason)
    return feedback
