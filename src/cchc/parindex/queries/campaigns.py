"""Campaigns as their pages list them: the campaigns a user sees with the scorecards of his units,
where he may open one, a campaign's timeline of phases and the scorecards of its units."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from cchc.accounts.permissions import PLAN, VIEW, has_unit_permission
from cchc.parindex.models import (
    PHASE_DEADLINE_FIELDS,
    PHASE_ORDER,
    Assessment,
    Campaign,
    Criterion,
    Item,
    Phase,
)
from cchc.parindex.queries.scorecards import scorecard_totals
from cchc.units.models import Unit


def organisers(user: Any) -> QuerySet[Unit]:
    """The top-level units on which the user plans: where a campaign can be opened."""
    return Unit.objects.for_user(user, PLAN).filter(parent__isnull=True).order_by("name")


def campaign_list(user: Any) -> list[dict[str, Any]]:
    """The campaigns the user sees, each with the scorecards of the units he sees (`mine`), whether he
    sees the whole campaign and its deadlines."""
    mine = Assessment.objects.for_user(user).select_related("unit").order_by("unit__path")
    campaigns = (
        Campaign.objects.for_user(user)
        .select_related("organiser")
        .prefetch_related(Prefetch("assessments", mine, to_attr="mine"))
    )
    return [
        {
            "campaign": campaign,
            "sees_all": has_unit_permission(user, VIEW, campaign.organiser),
            "deadlines": [
                (Phase(phase).label, getattr(campaign, field))
                for phase, field in PHASE_DEADLINE_FIELDS.items()
            ],
        }
        for campaign in campaigns
    ]


def timeline(campaign: Campaign) -> list[dict[str, Any]]:
    current = campaign.phase_index()
    return [
        {
            "value": phase,
            "label": Phase(phase).label,
            "deadline": campaign.deadline(phase),
            "state": "done" if position < current else "current" if position == current else "coming",
        }
        for position, phase in enumerate(PHASE_ORDER)
    ]


def next_phase(campaign: Campaign) -> str | None:
    position = campaign.phase_index()
    return PHASE_ORDER[position + 1] if position + 1 < len(PHASE_ORDER) else None


def scorecards(user: Any, campaign: Campaign) -> list[dict[str, Any]]:
    """The scorecards of the campaign's units that the user sees, each with its totals."""
    assessments = list(
        Assessment.objects.for_user(user)
        .filter(campaign=campaign)
        .select_related("unit", "submitted_by")
        .order_by("unit__type", "unit__path")
    )
    # Each item's criterion from one read of the sets' criteria, not joined to every item: a province's
    # campaign has thousands of items over a few dozen criteria, and building a criterion object per
    # item was most of the page's time.
    set_ids = {assessment.criteria_set_id for assessment in assessments}
    criteria = {node.pk: node for node in Criterion.objects.filter(criteria_set__in=set_ids)}
    items = list(Item.objects.filter(assessment__in=assessments))
    for item in items:
        item.criterion = criteria[item.criterion_id]
    totals = scorecard_totals(assessments, items, campaign, criteria)
    return [{"assessment": assessment, "totals": totals.get(assessment.pk)} for assessment in assessments]
