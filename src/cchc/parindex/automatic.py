"""Automatic criteria: the value of a system metric for the unit and the campaign's year, and its source."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cchc.core import metrics
from cchc.core.periods import Period
from cchc.parindex.models import Criterion
from cchc.parindex.scoring import rate_points
from cchc.units.models import Unit

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Measured:
    value: Decimal | None  # the rate in %, None when the module has no data for the unit
    points: Decimal | None
    source: str  # where the number came from, shown beside the score


def measure(criterion: Criterion, unit: Unit, year: int) -> Measured:
    """The metric named by the leaf over the campaign's year; no data gives no points and says so."""
    period = Period.parse(str(year))
    try:
        metric = metrics.get(criterion.metric)
    except KeyError:
        return Measured(
            None, None, _("The metric %(key)s is not published by any module.") % {"key": criterion.metric}
        )
    ratio = metric.compute(unit, period)
    value = ratio.value if ratio is not None else None
    if value is not None:
        value = value.quantize(Decimal("0.0001"), ROUND_HALF_UP)  # what the item stores
    if value is None:
        return Measured(
            None,
            None,
            _("%(label)s, %(period)s: no data for this unit.") % {"label": metric.label, "period": period},
        )
    points = rate_points(value, criterion.max_points, criterion.threshold).quantize(CENT, ROUND_HALF_UP)
    shown = value.quantize(CENT, ROUND_HALF_UP)
    if ratio is not None and ratio.denominator is not None:
        source = _("%(label)s, %(period)s: %(numerator)s / %(denominator)s = %(value)s %% (key %(key)s)") % {
            "label": metric.label,
            "period": period,
            "numerator": number_format(ratio.numerator.normalize(), force_grouping=True),
            "denominator": number_format(ratio.denominator.normalize(), force_grouping=True),
            "value": number_format(shown, 2),
            "key": metric.key,
        }
    else:
        source = _("%(label)s, %(period)s: %(value)s (key %(key)s)") % {
            "label": metric.label,
            "period": period,
            "value": number_format(shown, 2),
            "key": metric.key,
        }
    return Measured(value, points, source)
