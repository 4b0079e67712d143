"""Opening a year's campaign: the units it scores, a scorecard for each, deadlines in the order of the
phases and the survey's answer weights checked.

It sits below the other campaign services: importing a past year opens a campaign too, and the move
through the phases (`campaigns`) reads scores and fixes results.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.accounts.permissions import PLAN, require
from cchc.core import audit
from cchc.parindex.models import (
    DEFAULT_ANSWER_WEIGHTS,
    PHASE_DEADLINE_FIELDS,
    Assessment,
    Campaign,
    CriteriaSet,
    Item,
    Level,
    Phase,
)
from cchc.units.models import Unit, UnitType

CAMPAIGN_FIELDS = [
    "phase",
    *PHASE_DEADLINE_FIELDS.values(),
    "published_on",
    "decision_number",
    "answer_weights",
]


def campaign_snapshot(campaign: Campaign) -> dict[str, Any]:
    return audit.snapshot(campaign, CAMPAIGN_FIELDS)


def check_deadlines(deadlines: Mapping[str, datetime.date | None]) -> None:
    previous: tuple[str, datetime.date] | None = None
    for phase, field in PHASE_DEADLINE_FIELDS.items():
        day = deadlines.get(field)
        if day is None:
            continue
        if previous is not None and day < previous[1]:
            raise ValidationError(
                {
                    field: _("The deadline of “%(phase)s” comes before that of the phase before it.")
                    % {"phase": Phase(phase).label}
                }
            )
        previous = (phase, day)


def check_weights(weights: dict[str, Any]) -> dict[str, int | float]:
    if not weights:
        raise ValidationError({"answer_weights": _("Give at least one answer and its weight.")})
    checked: dict[str, int | float] = {}
    for letter, weight in weights.items():
        key = str(letter).strip().upper()
        if not key or len(key) > 5:
            raise ValidationError({"answer_weights": _("An answer is written as a short code such as A.")})
        try:
            number = float(weight)
        except (TypeError, ValueError):
            raise ValidationError(
                {"answer_weights": _("The weight of %(answer)s is not a number.") % {"answer": key}}
            ) from None
        if not 0 <= number <= 100:
            raise ValidationError(
                {
                    "answer_weights": _("The weight of %(answer)s must lie between 0 and 100.")
                    % {"answer": key}
                }
            )
        checked[key] = int(number) if number.is_integer() else number
    return checked


def units_in_campaign(organiser: Unit, year: int) -> list[tuple[Unit, CriteriaSet]]:
    """The units scored: those under the organiser active at the end of the year whose type has a
    local criteria set that year, and, when the organiser is the Ministry (a top-level unit that is no
    province), every province active then if the year has a provincial set."""
    sets = {criteria_set.unit_type: criteria_set for criteria_set in CriteriaSet.objects.filter(year=year)}
    local = [unit_type for unit_type, found in sets.items() if found.level == Level.LOCAL]
    day = datetime.date(year, 12, 31)
    units = list(
        Unit.objects.subtree(organiser).active_on(day).filter(type__in=local).exclude(pk=organiser.pk)
    )
    provincial = sets.get(UnitType.PROVINCE)
    if provincial is not None and organiser.parent_id is None and organiser.type != UnitType.PROVINCE:
        # The provinces are top-level units, not under the Ministry: they are scored by level.
        units += Unit.objects.filter(type=UnitType.PROVINCE, parent__isnull=True).active_on(day)
    return [(unit, sets[unit.type]) for unit in sorted(units, key=lambda unit: unit.path)]


@transaction.atomic
def create_campaign(
    *,
    actor: Any,
    organiser: Unit,
    year: int,
    title: str = "",
    deadlines: Mapping[str, datetime.date | None] | None = None,
    answer_weights: dict[str, Any] | None = None,
    imported: bool = False,
) -> Campaign:
    """Open a year's campaign with a scorecard (one item per leaf) for every unit that is scored."""
    require(actor, PLAN, organiser)
    # One opening at a time per organiser: two at once would both find no campaign for the year and
    # the second would fail on the unique constraint instead of reading the message below.
    Unit.objects.select_for_update().filter(pk=organiser.pk).first()
    if Campaign.objects.filter(organiser=organiser, year=year).exists():
        raise ValidationError(
            {"year": _("A PAR Index campaign for %(year)s already exists.") % {"year": year}}
        )
    deadlines = deadlines or {}
    check_deadlines(deadlines)
    members = units_in_campaign(organiser, year)
    if not members:
        raise ValidationError(
            {
                "year": _("No criteria set for %(year)s applies to the units under %(unit)s.")
                % {"year": year, "unit": organiser.name}
            }
        )
    campaign = Campaign.objects.create(
        organiser=organiser,
        year=year,
        title=title.strip() or _("PAR Index %(year)s") % {"year": year},
        answer_weights=check_weights(answer_weights or DEFAULT_ANSWER_WEIGHTS),
        imported=imported,
        **{field: day for field, day in deadlines.items() if field in PHASE_DEADLINE_FIELDS.values()},
    )
    leaves_by_set: dict[int, list[Any]] = {}
    items: list[Item] = []
    for unit, criteria_set in members:
        assessment = Assessment.objects.create(campaign=campaign, unit=unit, criteria_set=criteria_set)
        if criteria_set.pk not in leaves_by_set:
            leaves_by_set[criteria_set.pk] = list(criteria_set.criteria.exclude(method=""))
        items += [Item(assessment=assessment, criterion=leaf) for leaf in leaves_by_set[criteria_set.pk]]
    Item.objects.bulk_create(items, batch_size=2000)
    audit.record(
        actor=actor,
        action="par_campaign.create",
        obj=campaign,
        unit=organiser,
        after=campaign_snapshot(campaign) | {"units": len(members)},
    )
    return campaign
