"""The demo's PAR Index: last year's campaign carried through to publication, this year's under appraisal.

Everything goes through the services, as the people in the story would have done it: each unit scores
itself leaf by leaf (mostly well, a few units clearly weaker), attaches a few evidence files and its
leader submits (`parindex_units`); the appraisers accept most scores, lower some with a reason, and
score the automatic leaves the system had no 2025 records for; some units explain once and get a final
answer; citizens' survey forms are imported; the results are fixed and published. This year's campaign
is in its self-assessment phase with part of the work done. Deterministic, like the units' side.

Phase deadlines are set after the work of each phase, so the loader runs on any day; the past
campaign then carries the dates of a real calendar (self-assessment until mid-January and so on).
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from cchc.demo import clock
from cchc.demo.datafiles import read
from cchc.demo.parindex_units import (
    CURRENT_YEAR,
    PAST_YEAR,
    Actors,
    find_actors,
    import_survey,
    online_forms,
    points,
    quality,
    self_assess,
    unit_rng,
)
from cchc.parindex.models import (
    COMPUTED,
    Assessment,
    Band,
    Campaign,
    CriteriaSet,
    Item,
    Method,
    Phase,
)
from cchc.parindex.services import bands as band_services
from cchc.parindex.services import campaigns as campaign_services
from cchc.parindex.services import criteria as criteria_services
from cchc.parindex.services import items as item_services
from cchc.parindex.services import survey as survey_services
from cchc.units.models import Unit, UnitType

SELF_SCORED = [method for method in Method.values if method not in COMPUTED]
UNIT_TYPES = (UnitType.AGENCY, UnitType.COMMUNE)
PAST_DECISION = "68/QĐ-UBND"
PAST_DEADLINES = {
    "self_assessment_until": datetime.date(2026, 1, 15),
    "appraisal_until": datetime.date(2026, 2, 10),
    "explanation_until": datetime.date(2026, 2, 27),
    "second_appraisal_until": datetime.date(2026, 3, 10),
    "finalisation_until": datetime.date(2026, 3, 24),
}
PAST_PUBLISHED_ON = datetime.date(2026, 3, 27)
CURRENT_SELF_ASSESSMENT_UNTIL = datetime.date(CURRENT_YEAR + 1, 1, 15)
CENT = Decimal("0.01")
# Automatic leaves whose data only exists in the system from 2026 on: the appraisers scored them
# in 2025 from the units' paper records.
KEPT_ON_PAPER_IN_2025 = ("plans.", "inspections.")


@dataclass
class Loaded:
    past: Campaign
    current: Campaign
    created: bool  # False when both campaigns were already there and nothing was loaded


def load_demo_parindex(*, actor: Any, organiser: Unit) -> Loaded:
    """Criteria sets and bands of both years, the published past campaign and the current one.

    Safe to run again: a year whose campaign exists is left as it is.
    """
    _criteria_sets(actor)
    for year in (PAST_YEAR, CURRENT_YEAR):
        if not Band.objects.filter(year=year).exists():
            band_services.load_default_bands(actor=actor, year=year)
    actors = find_actors(actor, organiser)
    created = False
    past = Campaign.objects.filter(organiser=organiser, year=PAST_YEAR).first()
    if past is None:
        past = _past_campaign(actors, organiser)
        created = True
    current = Campaign.objects.filter(organiser=organiser, year=CURRENT_YEAR).first()
    if current is None:
        current = _current_campaign(actors, organiser)
        created = True
    return Loaded(past=past, current=current, created=created)


def _criteria_sets(actor: Any) -> None:
    """The shipped sets for the past year, cloned for the current one (sets already there are kept)."""
    for unit_type in UNIT_TYPES:
        past = CriteriaSet.objects.filter(year=PAST_YEAR, unit_type=unit_type).first()
        if past is None:
            past = criteria_services.load_default_set(actor=actor, year=PAST_YEAR, unit_type=unit_type)
        if not CriteriaSet.objects.filter(year=CURRENT_YEAR, unit_type=unit_type).exists():
            criteria_services.clone_set(actor=actor, source=past, year=CURRENT_YEAR)


def _advance(
    actors: Actors,
    campaign: Campaign,
    until: str,
    decision_number: str = "",
    published_on: datetime.date | None = None,
) -> Campaign:
    while campaign.phase != until:
        campaign = campaign_services.advance_phase(
            actor=actors.planner,
            campaign=campaign,
            decision_number=decision_number,
            published_on=published_on,
        )
    return campaign


def _assessments(campaign: Campaign) -> list[Assessment]:
    return list(campaign.assessments.select_related("unit", "campaign").order_by("unit__path"))


def _new_campaign(actors: Actors, organiser: Unit, year: int) -> Campaign:
    return campaign_services.create_campaign(
        actor=actors.planner,
        organiser=organiser,
        year=year,
        title=read("parindex")["campaign_title"].format(year=year),
    )


@transaction.atomic
def _past_campaign(actors: Actors, organiser: Unit) -> Campaign:
    """Last year's campaign, from self-assessment to the published decision."""
    texts = read("parindex")
    year = PAST_YEAR
    campaign = _new_campaign(actors, organiser, year)
    campaign = _advance(actors, campaign, Phase.SELF_ASSESSMENT)
    assessments = _assessments(campaign)
    for assessment in assessments:
        self_assess(actors, assessment)
        item_services.submit_assessment(actor=actors.leader.get(assessment.unit_id), assessment=assessment)
    survey_services.default_questionnaires(actor=actors.planner, campaign=campaign)
    import_survey(actors, campaign, assessments)
    online_forms(actors, campaign, assessments[:6], forms=2)
    campaign = _advance(actors, campaign, Phase.APPRAISAL)
    adjusted: list[Item] = []
    for assessment in assessments:
        adjusted += _appraise(actors, assessment, paper_metrics=True)
        item_services.accept_remaining(actor=actors.appraiser, assessment=assessment)
    campaign = _advance(actors, campaign, Phase.EXPLANATION)
    rng = random.Random(f"parindex-explain-{year}")
    explained = []
    for item in adjusted:
        if rng.random() < 0.4:
            unit = item.assessment.unit
            text = rng.choice(texts["explanations"]).format(
                number=rng.randint(30, 250),
                short="UBND" if unit.type == UnitType.COMMUNE else unit.code.rsplit(".", 1)[-1],
                day=rng.randint(2, 28),
                year=year,
            )
            explained.append(
                item_services.explain_item(actor=actors.focal.get(unit.pk), item=item, text=text)
            )
    campaign = _advance(actors, campaign, Phase.SECOND_APPRAISAL)
    for item in explained:
        restored = rng.random() < 0.5
        item_services.second_appraise(
            actor=actors.appraiser,
            item=item,
            score=item.self_score if restored else item.appraised_score,
            reason=texts["second_restored"] if restored else texts["second_kept"],
        )
    campaign = _advance(actors, campaign, Phase.FINALISATION)
    campaign = campaign_services.set_deadlines(
        actor=actors.planner, campaign=campaign, deadlines=PAST_DEADLINES
    )
    return _advance(
        actors, campaign, Phase.PUBLISHED, decision_number=PAST_DECISION, published_on=PAST_PUBLISHED_ON
    )


def _lower_score(item: Item, rng: random.Random) -> Decimal | None:
    """A lower score an appraiser could give: the tier below, no points for "no", or a part of the points."""
    criterion = item.criterion
    if item.self_score is None or item.self_score <= 0 or criterion.method in COMPUTED:
        return None
    if criterion.method == Method.TIERED:
        below = [
            criterion.max_points * Decimal(tier["percent"]) / 100
            for tier in criterion.tiers
            if criterion.max_points * Decimal(tier["percent"]) / 100 < item.self_score
        ]
        return max(below).quantize(CENT) if below else None
    if criterion.method == Method.YES_NO:
        return Decimal(0)
    if criterion.method in (Method.MANUAL, Method.RATE, Method.DEDUCTION):
        lowered = points(
            float(item.self_score / criterion.max_points) * rng.uniform(0.4, 0.75), criterion.max_points
        )
        return lowered if lowered < item.self_score else None
    return None


def _appraise(
    actors: Actors, assessment: Assessment, *, paper_metrics: bool, limit: int | None = None
) -> list[Item]:
    """The appraiser's own scores on a unit: a few lowered with a reason, and (for a year before the
    system) the automatic leaves the system holds no records for. Returns the lowered items."""
    texts = read("parindex")
    unit = assessment.unit
    year = assessment.campaign.year
    rng = unit_rng(unit, year, "appraise")
    level = quality(unit, year)
    items = list(
        assessment.items.select_related("criterion", "assessment__unit", "assessment__campaign").order_by(
            "criterion__position"
        )
    )
    if paper_metrics:
        for item in items:
            criterion = item.criterion
            if criterion.method != Method.METRIC:
                continue
            if item.self_score is not None and not criterion.metric.startswith(KEPT_ON_PAPER_IN_2025):
                continue
            share = 1.0 if rng.random() < level else rng.gauss(level - 0.1, 0.12)
            item_services.appraise_item(
                actor=actors.appraiser,
                item=item,
                accept=False,
                score=points(share, criterion.max_points),
                reason=texts["paper_reason"].format(year=year),
            )
    lowered = []
    if rng.random() < 0.4 + 0.3 * (1 - level) or limit is not None:
        candidates = [(item, _lower_score(item, rng)) for item in items]
        candidates = [(item, score) for item, score in candidates if score is not None]
        for item, score in rng.sample(candidates, min(len(candidates), limit or rng.randint(1, 2))):
            lowered.append(
                item_services.appraise_item(
                    actor=actors.appraiser,
                    item=item,
                    accept=False,
                    score=score,
                    reason=rng.choice(texts["adjustment_reasons"]),
                )
            )
    return lowered


@transaction.atomic
def _current_campaign(actors: Actors, organiser: Unit) -> Campaign:
    """This year's campaign in its self-assessment phase, as a province is at the year's end: a third
    of the units submitted early, most are part-way through, a few have not started. The units of the
    demo's own focal points are part-way, so their focal points have leaves to score."""
    year = CURRENT_YEAR
    campaign = _new_campaign(actors, organiser, year)
    campaign = _advance(actors, campaign, Phase.SELF_ASSESSMENT)
    rng = random.Random(f"parindex-campaign-{year}")
    for assessment in _assessments(campaign):
        draw = rng.random()
        if actors.focal.get(assessment.unit_id) is not None:
            self_assess(actors, assessment, share=0.6)
        elif draw < 0.35:
            self_assess(actors, assessment)
            leader = actors.leader.get(assessment.unit_id)
            item_services.submit_assessment(actor=leader, assessment=assessment)
        elif draw < 0.9:
            self_assess(actors, assessment, share=rng.uniform(0.2, 0.9))
    survey_services.default_questionnaires(actor=actors.planner, campaign=campaign)
    # Self-assessment runs to mid-January of the next year, like last year's, and at least two weeks on.
    self_until = max(CURRENT_SELF_ASSESSMENT_UNTIL, clock.today() + datetime.timedelta(days=14))
    return campaign_services.set_deadlines(
        actor=actors.planner,
        campaign=campaign,
        deadlines={
            "self_assessment_until": self_until,
            "appraisal_until": self_until + datetime.timedelta(days=26),
            "explanation_until": self_until + datetime.timedelta(days=43),
            "second_appraisal_until": self_until + datetime.timedelta(days=54),
            "finalisation_until": self_until + datetime.timedelta(days=68),
        },
    )
