"""Metrics this module publishes: feedback handled on time and satisfied (QĐ 766 5.2, 5.3) and the
SIPAS index, for plan targets ("satisfaction ≥ 91 %"), the PAR Index and the service index."""

from decimal import Decimal
from typing import cast

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.core.metrics import Ratio, register
from cchc.core.periods import Period
from cchc.surveys.indices import campaign_total
from cchc.surveys.models import FINISHED, Feedback, FeedbackRating, FeedbackStatus, SurveyCampaign
from cchc.units.models import Unit


def received_in(unit: Unit, period: Period):
    """Feedback received in the period that belongs to the unit: routed to it or below it, or, not yet
    routed, received by it."""
    return Feedback.objects.filter(
        received_at__date__gte=period.start, received_at__date__lte=period.end
    ).filter(
        Q(unit__path__startswith=unit.path) | Q(unit__isnull=True, organiser__path__startswith=unit.path)
    )


def handled_on_time(feedback: Feedback, today) -> bool | None:
    """True/False once it can be judged; None while it is still within its deadline."""
    if feedback.status == FeedbackStatus.INFO_REQUESTED:
        return None  # waiting for the citizen: the answer's clock starts again when the information comes
    if feedback.status in FINISHED:
        if feedback.late_steps:
            return False
        if feedback.consent_to_publish and feedback.answered_at and feedback.published_at is None:
            return None if feedback.publish_due is None or today <= feedback.publish_due else False
        return True
    return None if today <= feedback.handle_due else False


@register("surveys.feedback_on_time", cast(str, _("Citizen feedback handled on time")), "%")
def feedback_on_time(unit: Unit, period: Period) -> Ratio | None:
    """QĐ 766 5.2: of the feedback received in the period that is handled or past its deadline, the share
    handled with every step (refusal 2, request for information 5, answer 15, publication 2 working days)
    on time. Feedback still within its deadline is not counted yet."""
    today = timezone.localdate()
    judged = [handled_on_time(feedback, today) for feedback in received_in(unit, period)]
    counted = [verdict for verdict in judged if verdict is not None]
    if not counted:
        return None
    return Ratio(Decimal(sum(counted)), Decimal(len(counted)))


@register("surveys.feedback_satisfied", cast(str, _("Citizens satisfied with the handling of feedback")), "%")
def feedback_satisfied(unit: Unit, period: Period) -> Ratio | None:
    """QĐ 766 5.3: (feedback received − rated unsatisfied − reopened − overdue) / feedback received; a
    feedback that is several of these is subtracted once."""
    today = timezone.localdate()
    total = bad = 0
    for feedback in received_in(unit, period):
        total += 1
        overdue = handled_on_time(feedback, today) is False
        if feedback.rating == FeedbackRating.UNSATISFIED or feedback.reopened_count or overdue:
            bad += 1
    if total == 0:
        return None
    return Ratio(Decimal(total - bad), Decimal(total))


@register("surveys.sipas_overall", cast(str, _("Satisfaction index (SIPAS survey)")), "%")
def sipas_overall(unit: Unit, period: Period) -> Ratio | None:
    """The overall index of the survey answers given in the period about the unit and the units below it,
    from the campaigns of that year. It is an index, not a share of counts, so it is returned as
    index / 100 and must be recomputed, not summed, for a larger area."""
    subtree = Unit.objects.subtree(unit)
    campaigns = SurveyCampaign.objects.filter(year=period.year, quotas__unit__in=subtree).distinct()
    best = None
    for campaign in campaigns:
        total = campaign_total(campaign, period, subtree)
        if total is not None and total.overall is not None and (best is None or total.n > best.n):
            best = total
    if best is None or best.overall is None:
        return None
    return Ratio(best.overall, Decimal(100))
