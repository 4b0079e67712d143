"""Totals, indices, ranks and bands, computed from the items (read side; nothing here writes).

Rules (docs/parindex.md): a leaf counts its final score (second appraisal, else first appraisal, else 0
for a leaf nobody appraised); "not applicable" removes the leaf from score and maximum (`exclude`) or
gives it full points (`full`); survey leaves count the survey score and drop out when nobody answered;
bonus adds and penalty subtracts, within their caps, outside the maximum; the total stays within
[0, maximum]. Units of one type are ranked by the index as published, with 2 decimals, ties sharing
a rank (1, 2, 2, 4).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q

from cchc.parindex.models import Band, Campaign, Criterion, Item, Method, NotApplicableRule, Phase, Result
from cchc.parindex.queries.survey import survey_scores
from cchc.units.models import Unit, UnitLineage

ZERO = Decimal(0)
CENT = Decimal("0.01")
FINAL, SELF = "final", "self"


@dataclass
class AreaScore:
    code: str
    title: str
    score: Decimal = ZERO
    max_points: Decimal = ZERO

    @property
    def index(self) -> Decimal | None:
        return self.score * 100 / self.max_points if self.max_points else None


@dataclass
class UnitResult:
    unit: Unit
    unit_type: str
    score: Decimal
    max_points: Decimal
    areas: list[AreaScore]
    rank: int | None = None
    band: str = ""
    previous_index: Decimal | None = None
    previous_rank: int | None = None
    previous_note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def index(self) -> Decimal | None:
        return self.score * 100 / self.max_points if self.max_points else None

    @property
    def index_shown(self) -> Decimal | None:
        index = self.index
        return None if index is None else index.quantize(CENT, ROUND_HALF_UP)

    @property
    def rank_change(self) -> int | None:
        if self.previous_rank is None or self.rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def index_change(self) -> Decimal | None:
        if self.previous_index is None or self.index is None:
            return None
        return (self.index - self.previous_index).quantize(CENT, ROUND_HALF_UP)


def area_of(criteria: dict[int, Criterion], criterion: Criterion) -> Criterion:
    node = criterion
    while node.parent_id is not None:
        node = criteria[node.parent_id]
    return node


def leaf_points(
    item: Item, stage: str, survey: dict[tuple[int, int], Decimal]
) -> tuple[Decimal, Decimal] | None:
    """(score, maximum) a leaf contributes; None when it drops out; bonus/penalty give (±points, 0)."""
    criterion = item.criterion
    if criterion.method == Method.SURVEY:
        points = survey.get((item.assessment.unit_id, criterion.pk))
        return None if points is None else (min(points, criterion.max_points), criterion.max_points)
    if item.not_applicable:
        if criterion.not_applicable_rule == NotApplicableRule.FULL and criterion.counts_in_maximum:
            return criterion.max_points, criterion.max_points
        return None
    chosen = item.self_score if stage == SELF else item.final_score
    points = chosen if chosen is not None else ZERO
    if criterion.method == Method.BONUS:
        return points, ZERO
    if criterion.method == Method.PENALTY:
        return -points, ZERO
    return points, criterion.max_points


def unit_results(campaign: Campaign, unit_type: str | None = None, stage: str = FINAL) -> list[UnitResult]:
    """Every scored unit's total, maximum and per-area breakdown, ranked within its type."""
    items = Item.objects.filter(assessment__campaign=campaign).select_related("criterion", "assessment__unit")
    if unit_type:
        items = items.filter(assessment__unit__type=unit_type)
    criteria: dict[int, Criterion] = {}
    for criterion in Criterion.objects.filter(criteria_set__assessments__campaign=campaign).distinct():
        criteria[criterion.pk] = criterion
    survey = survey_scores(campaign)
    by_unit: dict[int, UnitResult] = {}
    areas: dict[int, dict[int, AreaScore]] = defaultdict(dict)
    for item in items.order_by("assessment__unit__path", "criterion__position"):
        unit = item.assessment.unit
        result = by_unit.get(unit.pk)
        if result is None:
            result = by_unit[unit.pk] = UnitResult(unit, unit.type, ZERO, ZERO, [])
        area = area_of(criteria, criteria[item.criterion_id])
        area_score = areas[unit.pk].get(area.pk)
        if area_score is None:
            area_score = areas[unit.pk][area.pk] = AreaScore(area.code, area.title)
            result.areas.append(area_score)
        contribution = leaf_points(item, stage, survey)
        if contribution is None:
            continue
        result.score += contribution[0]
        result.max_points += contribution[1]
        area_score.score += contribution[0]
        area_score.max_points += contribution[1]
    results = list(by_unit.values())
    for result in results:
        result.score = min(max(result.score, ZERO), result.max_points)
    rank(results)
    bands = list(Band.objects.filter(year=campaign.year).order_by("-min_index"))
    for result in results:
        result.band = band_for(result.index_shown, bands)
    attach_previous(campaign.year, results)
    return sorted(results, key=lambda result: (result.unit_type, result.rank or 0, result.unit.name))


def rank(results: list[UnitResult]) -> None:
    """Competition ranking within each unit type on the published (2-decimal) index."""
    by_type: dict[str, list[UnitResult]] = defaultdict(list)
    for result in results:
        by_type[result.unit_type].append(result)
    for group in by_type.values():
        ordered = sorted(group, key=lambda result: -(result.index_shown or Decimal(-1)))
        previous: Decimal | None = None
        current_rank = 0
        for position, result in enumerate(ordered, start=1):
            if result.index_shown is None:
                result.rank = None
                continue
            if result.index_shown != previous:
                current_rank, previous = position, result.index_shown
            result.rank = current_rank


def band_for(index: Decimal | None, bands: list[Band]) -> str:
    if index is None:
        return ""
    for band in bands:
        if index >= band.min_index:
            return band.label
    return ""


def attach_previous(year: int, results: list[UnitResult]) -> None:
    """Last year's published index and rank of each unit, or of the units it continues (lineage).

    A unit formed by a merger compares with the weighted mean of its predecessors' indices (weights
    from the lineage); a rank is compared only when there is exactly one predecessor.
    """
    units = [result.unit.pk for result in results]
    links_by_successor: dict[int, list[UnitLineage]] = defaultdict(list)
    for link in UnitLineage.objects.filter(successor_id__in=units):
        links_by_successor[link.successor_id].append(link)
    # Only the rows that can matter: these units and the units they continue, not every province's year.
    wanted = set(units) | {link.predecessor_id for links in links_by_successor.values() for link in links}
    previous = {
        result.unit_id: result
        for result in Result.objects.filter(campaign__year=year - 1, unit_id__in=wanted).select_related(
            "unit"
        )
    }
    if not previous:
        return
    for result in results:
        own = previous.get(result.unit.pk)
        if own is not None:
            result.previous_index, result.previous_rank = own.index, own.rank
            continue
        links = links_by_successor.get(result.unit.pk, [])
        found = [
            (previous[link.predecessor_id], link.weight) for link in links if link.predecessor_id in previous
        ]
        if not found:
            continue
        if len(found) == 1:
            result.previous_index, result.previous_rank = found[0][0].index, found[0][0].rank
        else:
            total_weight = sum((weight for _, weight in found), ZERO)
            result.previous_index = (
                sum((prior.index * weight for prior, weight in found), ZERO) / total_weight
            )
        result.previous_note = ", ".join(prior.unit.name for prior, _ in found)


def published_results(organiser: Unit, on: Any) -> list[Result]:
    """The fixed results of the campaigns organised by `organiser` or a unit under it, published
    (phase published) on or before `on` (a campaign published without a date counts), oldest first."""
    return list(
        Result.objects.filter(
            campaign__organiser__path__startswith=organiser.path,
            campaign__phase=Phase.PUBLISHED,
        )
        .filter(Q(campaign__published_on__isnull=True) | Q(campaign__published_on__lte=on))
        .select_related("campaign", "unit")
        .order_by("campaign__year", "unit__path")
    )
