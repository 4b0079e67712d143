"""Metrics this module publishes: feedback handled on time and satisfied (QĐ 766 5.2, 5.3) and the
SIPAS index, for plan targets ("satisfaction ≥ 91 %"), the PAR Index and the service index.

Each is computed for many units at once with a fixed number of queries: the rows under all the units
are read together, and each row is then counted for every asked unit whose subtree holds it (its
path starts with the unit's path), so a unit's figure includes its sub-units.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import cast

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.core.metrics import Ratio, register_many
from cchc.core.periods import Period
from cchc.surveys.indices import index_row, smallest_group
from cchc.surveys.models import (
    FINISHED,
    Feedback,
    FeedbackRating,
    FeedbackStatus,
    QuestionKind,
    SurveyAnswerValue,
    SurveyCampaign,
    SurveyResponse,
    UnitQuota,
)
from cchc.units import subtrees
from cchc.units.models import Unit

# What the feedback metrics read of each feedback.
FEEDBACK_FIELDS = (
    "status",
    "late_steps",
    "consent_to_publish",
    "answered_at",
    "published_at",
    "publish_due",
    "handle_due",
    "rating",
    "reopened_count",
)


# -- feedback (QĐ 766 5.2 and 5.3) ----------------------------------------------------------------


def received_by_unit(units: Sequence[Unit], period: Period) -> dict[int, list[Feedback]]:
    """For each unit, the feedback received in the period that belongs to it: routed to it or below
    it, or, not yet routed, received by it. One query whatever the number of units."""
    by_path = subtrees.by_path(units)
    found: dict[int, list[Feedback]] = {unit.pk: [] for unit in units}
    if not by_path:
        return found
    rows = (
        Feedback.objects.filter(received_at__date__gte=period.start, received_at__date__lte=period.end)
        .annotate(owner_path=Coalesce(F("unit__path"), F("organiser__path")))
        .filter(subtrees.under(by_path, "owner_path"))
        .only(*FEEDBACK_FIELDS)
    )
    for feedback in rows:
        for pk in subtrees.owners(feedback.owner_path, by_path):
            found[pk].append(feedback)
    return found


def handled_on_time(feedback: Feedback, today: datetime.date) -> bool | None:
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


def on_time_ratio(feedback: Iterable[Feedback], today: datetime.date) -> Ratio | None:
    """QĐ 766 5.2: of the feedback that is handled or past its deadline, the share handled with every
    step (refusal 2, request for information 5, answer 15, publication 2 working days) on time.
    Feedback still within its deadline is not counted yet."""
    verdicts = (handled_on_time(item, today) for item in feedback)
    counted = [verdict for verdict in verdicts if verdict is not None]
    if not counted:
        return None
    return Ratio(Decimal(sum(counted)), Decimal(len(counted)))


def satisfied_ratio(feedback: Iterable[Feedback], today: datetime.date) -> Ratio | None:
    """QĐ 766 5.3: (feedback received − rated unsatisfied − reopened − overdue) / feedback received; a
    feedback that is several of these is subtracted once."""
    total = bad = 0
    for item in feedback:
        total += 1
        overdue = handled_on_time(item, today) is False
        if item.rating == FeedbackRating.UNSATISFIED or item.reopened_count or overdue:
            bad += 1
    if total == 0:
        return None
    return Ratio(Decimal(total - bad), Decimal(total))


@register_many("surveys.feedback_on_time", cast(str, _("Citizen feedback handled on time")), "%")
def feedback_on_time_many(units: Sequence[Unit], period: Period) -> dict[int, Ratio | None]:
    today = timezone.localdate()
    return {pk: on_time_ratio(items, today) for pk, items in received_by_unit(units, period).items()}


@register_many(
    "surveys.feedback_satisfied", cast(str, _("Citizens satisfied with the handling of feedback")), "%"
)
def feedback_satisfied_many(units: Sequence[Unit], period: Period) -> dict[int, Ratio | None]:
    today = timezone.localdate()
    return {pk: satisfied_ratio(items, today) for pk, items in received_by_unit(units, period).items()}


def feedback_on_time(unit: Unit, period: Period) -> Ratio | None:
    """One unit's figure of `surveys.feedback_on_time`."""
    return feedback_on_time_many([unit], period).get(unit.pk)


def feedback_satisfied(unit: Unit, period: Period) -> Ratio | None:
    """One unit's figure of `surveys.feedback_satisfied`."""
    return feedback_satisfied_many([unit], period).get(unit.pk)


# -- the SIPAS index ------------------------------------------------------------------------------


@register_many("surveys.sipas_overall", cast(str, _("Satisfaction index (SIPAS survey)")), "%")
def sipas_overall_many(units: Sequence[Unit], period: Period) -> dict[int, Ratio | None]:
    """The overall index of the survey answers given in the period about each unit and the units below
    it, from the campaign of that year that surveys the unit's subtree and has the most responses
    there. It is an index, not a share of counts, so it is returned as index / 100 and must be
    recomputed, not summed, for a larger area; None below the smallest group shown (`indices`). Five
    queries whatever the number of units."""
    by_path = subtrees.by_path(units)
    campaigns = list(SurveyCampaign.objects.filter(year=period.year).order_by("code"))
    if not by_path or not campaigns:
        return {}
    surveyed: dict[int, set[int]] = defaultdict(set)  # unit -> campaigns with a quota in its subtree
    quotas = UnitQuota.objects.filter(campaign__in=campaigns).filter(subtrees.under(by_path, "unit__path"))
    for campaign_id, path in quotas.values_list("campaign_id", "unit__path"):
        for pk in subtrees.owners(path, by_path):
            surveyed[pk].add(campaign_id)
    # (unit, campaign) -> element code -> [satisfied, valid]; element code -> kind; (unit, campaign) -> n
    cells: dict[tuple[int, int], dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    kinds: dict[int, dict[str, str]] = defaultdict(dict)
    answers = SurveyAnswerValue.objects.filter(
        response__campaign__in=campaigns,
        question__kind=QuestionKind.SATISFACTION,
        score__isnull=False,
        response__answered_on__gte=period.start,
        response__answered_on__lte=period.end,
    ).filter(subtrees.under(by_path, "response__unit__path"))
    for row in answers.values(
        "response__campaign_id", "response__unit__path", "question__element__code", "question__element__kind"
    ).annotate(valid=Count("id"), satisfied=Count("id", filter=Q(score__gte=4))):
        code = row["question__element__code"] or ""
        kinds[row["response__campaign_id"]][code] = row["question__element__kind"] or ""
        for pk in subtrees.owners(row["response__unit__path"], by_path):
            cell = cells[(pk, row["response__campaign_id"])][code]
            cell[0] += row["satisfied"]
            cell[1] += row["valid"]
    sizes: dict[tuple[int, int], int] = defaultdict(int)
    responses = SurveyResponse.objects.filter(
        campaign__in=campaigns, answered_on__gte=period.start, answered_on__lte=period.end
    ).filter(subtrees.under(by_path, "unit__path"))
    counted = responses.values("campaign_id", "unit__path").annotate(n=Count("id"))
    for campaign_id, path, n in counted.values_list("campaign_id", "unit__path", "n"):
        for pk in subtrees.owners(path, by_path):
            sizes[(pk, campaign_id)] += n
    found: dict[int, Ratio | None] = {}
    smallest = smallest_group()
    for unit in units:
        best = None
        for campaign in campaigns:
            counts = cells.get((unit.pk, campaign.pk))
            if campaign.pk not in surveyed[unit.pk] or not counts:
                continue
            n = sizes[(unit.pk, campaign.pk)]
            total = index_row(campaign.code, n, counts, kinds[campaign.pk], campaign.formula, smallest)
            if total.overall is not None and (best is None or total.n > best.n):
                best = total
        found[unit.pk] = None if best is None or best.overall is None else Ratio(best.overall, Decimal(100))
    return found


def sipas_overall(unit: Unit, period: Period) -> Ratio | None:
    """One unit's figure of `surveys.sipas_overall`."""
    return sipas_overall_many([unit], period).get(unit.pk)
