"""A year's campaign once open: its deadlines and the move through the phases.

Each phase locks the one before: services that change scores check the campaign's current phase and
that its deadline has not passed (`common.require_phase`). Opening a campaign is in `opening`; its
functions are offered here too, where callers look for a campaign's services.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.permissions import PLAN, require
from cchc.core import audit
from cchc.parindex.models import PHASE_DEADLINE_FIELDS, PHASE_ORDER, Campaign, Phase
from cchc.parindex.services.items import refresh_automatic
from cchc.parindex.services.opening import (
    campaign_snapshot,
    check_deadlines,
    check_weights,
    create_campaign,
    units_in_campaign,
)
from cchc.parindex.services.results import store_results

__all__ = [
    "advance_phase",
    "check_weights",
    "create_campaign",
    "set_deadlines",
    "units_in_campaign",
]


@transaction.atomic
def set_deadlines(
    *, actor: Any, campaign: Campaign, deadlines: Mapping[str, datetime.date | None]
) -> Campaign:
    require(actor, PLAN, campaign.organiser)
    if campaign.phase == Phase.PUBLISHED:
        raise ValidationError(_("The results are published; the campaign can no longer change."))
    merged = {field: getattr(campaign, field) for field in PHASE_DEADLINE_FIELDS.values()}
    merged.update({field: day for field, day in deadlines.items() if field in merged})
    check_deadlines(merged)
    before = campaign_snapshot(campaign)
    for field, day in merged.items():
        setattr(campaign, field, day)
    campaign.save()
    audit.record(
        actor=actor,
        action="par_campaign.deadlines",
        obj=campaign,
        unit=campaign.organiser,
        before=before,
        after=campaign_snapshot(campaign),
    )
    return campaign


@transaction.atomic
def advance_phase(
    *, actor: Any, campaign: Campaign, decision_number: str = "", published_on: datetime.date | None = None
) -> Campaign:
    """Close the current phase and open the next; entering finalisation fixes the results.

    Publication records the decision's number and date (today when no date is given).
    """
    require(actor, PLAN, campaign.organiser)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    position = PHASE_ORDER.index(campaign.phase)
    if position == len(PHASE_ORDER) - 1:
        raise ValidationError(_("The results are already published."))
    next_phase = PHASE_ORDER[position + 1]
    before = campaign_snapshot(campaign)
    if next_phase == Phase.SELF_ASSESSMENT:
        refresh_automatic(actor=actor, campaign=campaign)
    if next_phase == Phase.FINALISATION:
        store_results(campaign)
    if next_phase == Phase.PUBLISHED:
        if not decision_number.strip() and not campaign.decision_number:
            raise ValidationError(
                {"decision_number": _("Give the number of the decision that publishes the results.")}
            )
        campaign.decision_number = decision_number.strip() or campaign.decision_number
        if published_on is not None and published_on > timezone.localdate():
            raise ValidationError({"published_on": _("The decision's date cannot be in the future.")})
        campaign.published_on = published_on or timezone.localdate()
    campaign.phase = next_phase
    campaign.save()
    audit.record(
        actor=actor,
        action="par_campaign.advance",
        obj=campaign,
        unit=campaign.organiser,
        before=before,
        after=campaign_snapshot(campaign),
    )
    return campaign
