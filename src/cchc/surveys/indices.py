"""Satisfaction indices (read side): per element, overall, sample size, 95 % interval, quota flag.

Per element k: SI_k = answers of 4 or 5 / valid satisfaction answers × 100 (domain.md §2.3).
Overall: the mean of the service elements' indices, or, when the campaign says `pooled`, the share of
all satisfied answers over the service elements; policy groups are reported beside, not inside.
The 95 % interval is Wilson's, taking the overall index as a share of the n respondents; it is an
approximation (answers within one form are not independent) shown to judge small samples.

A row drawn from fewer forms than `smallest_group()` (a unit in a month, a field, a channel) keeps its
count but none of its figures: the indices of one or two forms are those people's answers, and at the
counter the staff often know who answered. The threshold is the site setting
`surveys.smallest_group_shown` (3 unless set: the usual threshold rule of published statistics).
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from cchc.core.periods import Period
from cchc.core.settings_store import get_setting
from cchc.surveys.models import (
    ElementKind,
    OverallFormula,
    QuestionKind,
    SurveyAnswerValue,
    SurveyCampaign,
    SurveyResponse,
    UnitQuota,
)
from cchc.units.models import Unit

CENT = Decimal("0.01")
Z95 = 1.959963984540054
GROUPINGS = {"unit": "response__unit_id", "field": "response__field", "channel": "response__channel"}
SMALLEST_GROUP_SETTING = "surveys.smallest_group_shown"
SMALLEST_GROUP_DEFAULT = 3


def smallest_group() -> int:
    """The fewest forms a row's figures are shown for (at least 1; a mistyped setting gives the default)."""
    try:
        return max(1, int(get_setting(SMALLEST_GROUP_SETTING, SMALLEST_GROUP_DEFAULT)))
    except (TypeError, ValueError):
        return SMALLEST_GROUP_DEFAULT


@dataclass
class IndexRow:
    key: Any  # a unit id, a field name or a channel
    n: int = 0
    elements: dict[str, Decimal | None] = field(default_factory=dict)
    overall: Decimal | None = None
    ci_low: Decimal | None = None
    ci_high: Decimal | None = None
    quota: int | None = None
    unit: Unit | None = None
    hidden_below: int | None = None  # the threshold, when the row has too few forms to show its figures

    @property
    def below_quota(self) -> bool:
        return self.quota is not None and self.n < self.quota


def _rate(satisfied: int, valid: int) -> Decimal | None:
    return None if not valid else (Decimal(satisfied) * 100 / Decimal(valid)).quantize(CENT, ROUND_HALF_UP)


def wilson(share: float, n: int) -> tuple[Decimal, Decimal] | tuple[None, None]:
    """Wilson's 95 % interval for a share observed on n respondents, in percent."""
    if n <= 0:
        return None, None
    z2 = Z95 * Z95
    centre = (share + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    low, high = max(0.0, centre - half) * 100, min(1.0, centre + half) * 100
    return Decimal(str(low)).quantize(CENT, ROUND_HALF_UP), Decimal(str(high)).quantize(CENT, ROUND_HALF_UP)


def _answers(
    campaign: SurveyCampaign, period: Period | None, units: QuerySet[Unit] | None
) -> QuerySet[SurveyAnswerValue]:
    answers = SurveyAnswerValue.objects.filter(
        response__campaign=campaign, question__kind=QuestionKind.SATISFACTION, score__isnull=False
    )
    if period is not None:
        answers = answers.filter(
            response__answered_on__gte=period.start, response__answered_on__lte=period.end
        )
    if units is not None:
        answers = answers.filter(response__unit__in=units)
    return answers


def _responses(
    campaign: SurveyCampaign, period: Period | None, units: QuerySet[Unit] | None
) -> QuerySet[SurveyResponse]:
    responses = SurveyResponse.objects.filter(campaign=campaign)
    if period is not None:
        responses = responses.filter(answered_on__gte=period.start, answered_on__lte=period.end)
    if units is not None:
        responses = responses.filter(unit__in=units)
    return responses


def index_row(
    key: Any, n: int, cells: dict[str, list[int]], kinds: dict[str, str], formula: str, smallest: int
) -> IndexRow:
    """Element indices and the overall index from (satisfied, valid) counts per element code; none of
    them when the row has fewer than `smallest` forms."""
    row = IndexRow(key=key, n=n)
    if n < smallest:
        row.elements = {code: None for code in sorted(cells) if code}
        row.hidden_below = smallest
        return row
    row.elements = {code: _rate(*cell) for code, cell in sorted(cells.items()) if code}
    service = [cell for code, cell in cells.items() if kinds.get(code) == ElementKind.SERVICE and cell[1]]
    if formula == OverallFormula.POOLED:
        row.overall = _rate(sum(cell[0] for cell in service), sum(cell[1] for cell in service))
    elif service:
        rates = [Decimal(cell[0]) * 100 / Decimal(cell[1]) for cell in service]
        row.overall = (sum(rates, Decimal(0)) / len(rates)).quantize(CENT, ROUND_HALF_UP)
    if row.overall is not None:
        row.ci_low, row.ci_high = wilson(float(row.overall) / 100, n)
    return row


def _counts(
    answers: QuerySet[SurveyAnswerValue], group: str | None
) -> tuple[dict[Any, dict[str, list[int]]], dict[str, str]]:
    fields = ["question__element__code", "question__element__kind"] + ([group] if group else [])
    cells: dict[Any, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    kinds: dict[str, str] = {}
    for row in answers.values(*fields).annotate(
        valid=Count("id"), satisfied=Count("id", filter=Q(score__gte=4))
    ):
        code = row["question__element__code"] or ""
        kinds[code] = row["question__element__kind"] or ""
        cell = cells[row[group] if group else None][code]
        cell[0] += row["satisfied"]
        cell[1] += row["valid"]
    return cells, kinds


def _sizes(
    campaign: SurveyCampaign, period: Period | None, units: QuerySet[Unit] | None, group: str
) -> dict[Any, int]:
    """Forms per unit (field, channel): the n of each row."""
    own = group.removeprefix("response__")
    return dict(_responses(campaign, period, units).values(own).annotate(n=Count("id")).values_list(own, "n"))


def _unit_rows(
    campaign: SurveyCampaign,
    cells: dict[Any, dict[str, list[int]]],
    kinds: dict[str, str],
    sizes: dict[Any, int],
    smallest: int,
) -> list[IndexRow]:
    """The rows of the units with answers, with their quotas, in tree order (two queries at most)."""
    rows = [
        index_row(key, sizes.get(key, 0), per_element, kinds, campaign.formula, smallest)
        for key, per_element in cells.items()
    ]
    quotas = {
        quota.unit_id: quota for quota in UnitQuota.objects.filter(campaign=campaign).select_related("unit")
    }
    # Answers of a unit whose quota was since removed: its unit is read with the others, in one query.
    others = Unit.objects.in_bulk([row.key for row in rows if row.key not in quotas and row.key is not None])
    for row in rows:
        quota = quotas.get(row.key)
        row.quota = quota.quota if quota else None
        row.unit = quota.unit if quota else others.get(row.key)
    return sorted(rows, key=lambda row: row.unit.path if row.unit else "")


def index_table(
    campaign: SurveyCampaign,
    by: str = "unit",
    period: Period | None = None,
    units: QuerySet[Unit] | None = None,
) -> list[IndexRow]:
    """One row per unit (or field, or channel) with answers; units in tree order with their quotas."""
    group = GROUPINGS[by]
    cells, kinds = _counts(_answers(campaign, period, units), group)
    sizes = _sizes(campaign, period, units, group)
    smallest = smallest_group()
    if by == "unit":
        return _unit_rows(campaign, cells, kinds, sizes, smallest)
    rows = [
        index_row(key, sizes.get(key, 0), per_element, kinds, campaign.formula, smallest)
        for key, per_element in cells.items()
    ]
    return sorted(rows, key=lambda row: str(row.key))


def campaign_total(
    campaign: SurveyCampaign, period: Period | None = None, units: QuerySet[Unit] | None = None
) -> IndexRow | None:
    """The same figures over every response of the campaign (within the units given); None without answers."""
    cells, kinds = _counts(_answers(campaign, period, units), None)
    if not cells:
        return None
    n = _responses(campaign, period, units).count()
    return index_row(campaign.code, n, cells[None], kinds, campaign.formula, smallest_group())


def units_and_total(
    campaign: SurveyCampaign, period: Period | None = None, units: QuerySet[Unit] | None = None
) -> tuple[list[IndexRow], IndexRow | None]:
    """`index_table(campaign, "unit", …)` and `campaign_total(campaign, …)` from one count of the
    answers and one of the forms: every form belongs to one unit, so the total's counts are the sums
    of the units' (the dashboard read the answers twice, the costliest query of its page)."""
    group = GROUPINGS["unit"]
    cells, kinds = _counts(_answers(campaign, period, units), group)
    sizes = _sizes(campaign, period, units, group)
    smallest = smallest_group()
    rows = _unit_rows(campaign, cells, kinds, sizes, smallest)
    if not cells:
        return rows, None
    summed: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for per_element in cells.values():
        for code, (satisfied, valid) in per_element.items():
            summed[code][0] += satisfied
            summed[code][1] += valid
    return rows, index_row(
        campaign.code, sum(sizes.values()), dict(summed), kinds, campaign.formula, smallest
    )
