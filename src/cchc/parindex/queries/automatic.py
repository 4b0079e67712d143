"""Automatic criteria: the value of a system metric for the unit and the campaign's year, and its source."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cchc.core import metrics
from cchc.core.periods import Period
from cchc.parindex.models import Criterion, Item
from cchc.parindex.scoring import rate_points

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Measured:
    value: Decimal | None  # the rate in %, None when the module has no data for the unit
    points: Decimal | None
    source: str  # where the number came from, shown beside the score


def measure_many(items: Sequence[Item], year: int) -> dict[int, Measured]:
    """Item id -> what its metric leaf measures for its unit, reading each metric once for all the
    units that need it (a fixed number of queries per metric, whatever the number of units).

    The items carry their criterion and their assessment's unit."""
    period = Period.parse(str(year))
    by_key: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_key[item.criterion.metric].append(item)
    measured: dict[int, Measured] = {}
    for key, group in by_key.items():
        metric = metrics.find(key)
        units = list({item.assessment.unit.pk: item.assessment.unit for item in group}.values())
        figures = metric.compute_many(units, period) if metric is not None else {}
        for item in group:
            ratio = figures.get(item.assessment.unit.pk)  # a unit left out has no data
            measured[item.pk] = _measured(item.criterion, metric, period, ratio)
    return measured


def _measured(
    criterion: Criterion,
    metric: metrics.Metric | None,
    period: Period,
    ratio: metrics.Ratio | None,
) -> Measured:
    """A leaf's points and the words saying where they come from, given its metric's figure."""
    if metric is None:
        return Measured(
            None, None, _("The metric %(key)s is not published by any module.") % {"key": criterion.metric}
        )
    value = ratio.value if ratio is not None else None
    if value is not None:
        value = value.quantize(Decimal("0.0001"), ROUND_HALF_UP)  # what the item stores
    if value is None:
        return Measured(
            None,
            None,
            _("%(label)s, %(period)s: no data for this unit.")
            % {"label": metric.label, "period": period.label},
        )
    points = rate_points(value, criterion.max_points, criterion.threshold).quantize(CENT, ROUND_HALF_UP)
    shown = value.quantize(CENT, ROUND_HALF_UP)
    if ratio is not None and ratio.denominator is not None:
        source = _("%(label)s, %(period)s: %(numerator)s / %(denominator)s = %(value)s %%") % {
            "label": metric.label,
            "period": period.label,
            "numerator": number_format(ratio.numerator.normalize(), force_grouping=True),
            "denominator": number_format(ratio.denominator.normalize(), force_grouping=True),
            "value": number_format(shown, 2),
        }
    else:
        source = _("%(label)s, %(period)s: %(value)s") % {
            "label": metric.label,
            "period": period.label,
            "value": number_format(shown, 2),
        }
    return Measured(value, points, source)
