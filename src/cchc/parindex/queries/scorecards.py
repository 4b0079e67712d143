"""A unit's scorecard as its page shows it: self-assessed and final totals by area (by the rules of
`queries.results`, the ranking's own computation), what the user may do on it now, its rows in the
order of the criteria tree and the radar of the areas."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from cchc.accounts.permissions import APPRAISE, APPROVE, ENTER, has_unit_permission
from cchc.kit import wording
from cchc.kit.parsers import parse_yes_no
from cchc.parindex.models import (
    COMPUTED,
    PHASE_ORDER,
    Assessment,
    AssessmentStatus,
    Campaign,
    Criterion,
    Item,
    Method,
    Phase,
)
from cchc.parindex.queries.results import FINAL, SELF, ZERO, AreaScore, UnitResult, area_of, leaf_points
from cchc.parindex.queries.survey import survey_scores


def phase_open(campaign: Campaign, phase: str) -> bool:
    """The campaign is in `phase` and the phase's last day has not passed."""
    if campaign.phase != phase:
        return False
    deadline = campaign.deadline(phase)
    return deadline is None or timezone.localdate() <= deadline


@dataclass
class Totals:
    """A scorecard's self-assessed and final totals with their breakdown by area, and appraisal progress."""

    self: UnitResult
    final: UnitResult
    to_appraise: int = 0
    appraised: int = 0


def _clamp(result: UnitResult) -> None:
    result.score = min(max(result.score, ZERO), result.max_points)


def scorecard_totals(
    assessments: Iterable[Assessment],
    items: Iterable[Item],
    campaign: Campaign,
    criteria: dict[int, Criterion] | None = None,
) -> dict[int, Totals]:
    """Assessment id -> Totals, by the rules of `queries.results` (the ranking's own computation).

    `items` carry their criterion; `criteria` (id -> criterion) covers the assessments' sets, read here
    when not given.
    """
    by_id = {assessment.pk: assessment for assessment in assessments}
    if criteria is None:
        set_ids = {assessment.criteria_set_id for assessment in by_id.values()}
        criteria = {node.pk: node for node in Criterion.objects.filter(criteria_set__in=set_ids)}
    survey = survey_scores(campaign)
    totals: dict[int, Totals] = {}
    areas: dict[tuple[int, str, int], AreaScore] = {}
    for item in sorted(items, key=lambda item: (item.assessment_id, item.criterion.position)):
        assessment = by_id[item.assessment_id]
        item.assessment = assessment  # leaf_points reads the unit through it
        total = totals.get(assessment.pk)
        if total is None:
            unit = assessment.unit
            total = totals[assessment.pk] = Totals(
                UnitResult(unit, unit.type, ZERO, ZERO, []), UnitResult(unit, unit.type, ZERO, ZERO, [])
            )
        if item.criterion.method != Method.SURVEY:
            total.to_appraise += 1
            total.appraised += item.appraised_at is not None
        area = area_of(criteria, item.criterion)
        for stage, result in ((SELF, total.self), (FINAL, total.final)):
            key = (assessment.pk, stage, area.pk)
            area_score = areas.get(key)
            if area_score is None:
                area_score = areas[key] = AreaScore(area.code, area.title)
                result.areas.append(area_score)
            contribution = leaf_points(item, stage, survey)
            if contribution is None:
                continue
            result.score += contribution[0]
            result.max_points += contribution[1]
            area_score.score += contribution[0]
            area_score.max_points += contribution[1]
    for total in totals.values():
        _clamp(total.self)
        _clamp(total.final)
    return totals


def scorecard_rights(user: Any, assessment: Assessment) -> dict[str, bool]:
    """Which forms the user gets on this scorecard now: phase open, deadline not passed, right held."""
    unit, campaign = assessment.unit, assessment.campaign
    drafting = assessment.status == AssessmentStatus.DRAFT and phase_open(campaign, Phase.SELF_ASSESSMENT)
    appraising = phase_open(campaign, Phase.APPRAISAL) and has_unit_permission(user, APPRAISE, unit)
    return {
        "self": drafting and has_unit_permission(user, ENTER, unit),
        "submit": drafting and has_unit_permission(user, APPROVE, unit),
        "appraise": appraising,
        "explain": phase_open(campaign, Phase.EXPLANATION) and has_unit_permission(user, ENTER, unit),
        "second": phase_open(campaign, Phase.SECOND_APPRAISAL) and has_unit_permission(user, APPRAISE, unit),
    }


def _leaf_row(criterion: Criterion, item: Item, rights: dict[str, bool]) -> dict[str, Any]:
    method = criterion.method
    adjusted = item.appraised_at is not None and item.appraised_score != item.self_score
    forms = {
        "self": rights["self"] and method != Method.SURVEY,
        "evidence": rights["self"] and method != Method.SURVEY,
        "appraise": rights["appraise"] and method != Method.SURVEY,
        "explain": rights["explain"] and adjusted and item.explained_at is None,
        "second": rights["second"] and item.explained_at is not None,
    }
    return {
        "kind": "leaf",
        "criterion": criterion,
        "item": item,
        "reported": reported_shown(item),
        "input": reported_input(criterion, item) if forms["self"] else {},
        "evidence": list(item.evidence.all()),
        "adjusted": adjusted,
        "forms": forms,
        "any_form": any(forms.values()),
    }


# The values the yes/no select of the self-assessment form posts.
YES_VALUE, NO_VALUE = "yes", "no"


def reported_shown(item: Item) -> str:
    """What the unit reported, in words for yes/no leaves and with % for rates."""
    value = item.self_input
    if not value:
        return ""
    method = item.criterion.method
    if method == Method.YES_NO:
        said = parse_yes_no(value)
        return value if said is None else gettext("Yes") if said else gettext("No")
    if method == Method.RATE:
        return f"{value} %"
    return value


def reported_input(criterion: Criterion, item: Item) -> dict[str, Any]:
    """How the self-assessment form asks for the reported value: a select of choices or a text box."""
    current = item.self_input.casefold()
    if criterion.method == Method.TIERED:
        choices = [(tier["label"], tier["label"]) for tier in criterion.tiers]
        return {"kind": "select", "choices": [(v, label, v.casefold() == current) for v, label in choices]}
    if criterion.method == Method.YES_NO:
        said = parse_yes_no(current)
        said_yes, said_no = said is True, said is False
        choices_yes_no = [(YES_VALUE, gettext("Yes"), said_yes), (NO_VALUE, gettext("No"), said_no)]
        return {"kind": "select", "choices": choices_yes_no}
    if criterion.method in COMPUTED:
        return {"kind": ""}
    if criterion.method == Method.RATE:
        hint = gettext("Rate in per cent, from 0 to 100")
    elif criterion.method == Method.DEDUCTION:
        hint = gettext("Number of occurrences")
    else:
        # Written the Vietnamese way ("2,5", "10"); normalize() alone would print 10 as "1E+1".
        hint = gettext("Points, from 0 to %(max)s") % {"max": wording.number(criterion.max_points, 2)}
    return {"kind": "text", "hint": hint, "value": item.self_input}


def scorecard_rows(
    criteria: list[Criterion], items: list[Item], rights: dict[str, bool], totals: Totals | None
) -> list[dict[str, Any]]:
    """The tree in order: a heading row per area and per criterion with children, a row per leaf."""
    by_criterion = {item.criterion_id: item for item in items}
    self_areas = {area.code: area for area in totals.self.areas} if totals else {}
    final_areas = {area.code: area for area in totals.final.areas} if totals else {}
    rows: list[dict[str, Any]] = []
    for criterion in criteria:
        if criterion.is_leaf:
            item = by_criterion.get(criterion.pk)
            if item is not None:
                rows.append(_leaf_row(criterion, item, rights))
            continue
        rows.append(
            {
                "kind": "area" if criterion.parent_id is None else "group",
                "criterion": criterion,
                "self": self_areas.get(criterion.code) if criterion.parent_id is None else None,
                "final": final_areas.get(criterion.code) if criterion.parent_id is None else None,
            }
        )
    return rows


def _as_number(value: Decimal | None) -> float:
    return 0.0 if value is None else float(value.quantize(Decimal("0.01")))


def radar(totals: Totals | None, show_final: bool) -> dict[str, Any]:
    """Each area's index (%) for the ECharts radar: self-assessed, and final once appraisal has begun."""
    if totals is None:
        return {"indicators": [], "series": []}
    series = [{"name": _("Self-assessed"), "values": [_as_number(a.index) for a in totals.self.areas]}]
    if show_final:
        series.append({"name": _("Final"), "values": [_as_number(a.index) for a in totals.final.areas]})
    return {
        "indicators": [{"name": area.code, "title": area.title, "max": 100} for area in totals.self.areas],
        "series": series,
    }


def scorecard(user: Any, assessment: Assessment) -> dict[str, Any]:
    """What the scorecard page shows of `assessment` (fetched with its campaign, unit and set)."""
    campaign = assessment.campaign
    criteria = list(assessment.criteria_set.criteria.order_by("position"))
    items = list(assessment.items.select_related("criterion").prefetch_related("evidence"))
    totals = scorecard_totals(
        [assessment], items, campaign, criteria={criterion.pk: criterion for criterion in criteria}
    ).get(assessment.pk)
    rights = scorecard_rights(user, assessment)
    appraisal_begun = campaign.phase_index() >= PHASE_ORDER.index(Phase.APPRAISAL)
    return {
        "totals": totals,
        "show_final": appraisal_begun,
        "radar": radar(totals, appraisal_begun),
        "rows": scorecard_rows(criteria, items, rights, totals),
        "rights": rights,
    }
