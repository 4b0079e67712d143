"""The QĐ 766 service index of a unit for a period, computed from our dossiers, beside the official scores.

The groups, indicators, points and thresholds are data (`data/service_index_766.json`, read once).
Each indicator names where its figure comes from:

- `{"rate": key}`: a rate of `queries.Stats` (numerator and denominator from the monthly rollups);
- `{"computed": name}`: a function of the Stats counts defined in `COMPUTED` below;
- `{"metric": key}`: a metric another module publishes in `cchc.core.metrics` (no data until it is
  registered);
- null: our data cannot support the indicator; it is left out of the score and of the maximum.

Per indicator (domain.md §3.3): R = numerator / denominator × 100 (2 decimals, None when the
denominator is 0); with a threshold T the score is Pmax when R ≥ T and R / T × Pmax below it,
otherwise R × Pmax / 100. Indicator scores are rounded half up to 2 decimals and the group and total
scores are the sums of the rounded scores of the indicators that have one.
"""

import datetime
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

from cchc.core import metrics
from cchc.core.periods import Period
from cchc.onestop.models import OfficialIndexScore
from cchc.onestop.queries.stats import RATES, Stats, rate, unit_stats

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "service_index_766.json"
TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)
TOTAL_CODE = "TOTAL"


def service_satisfaction(stats: Stats) -> tuple[int, int]:
    """Indicator 5.4: 100 % − (overdue rate + unsatisfied rate), as a numerator over a denominator.

    Both rates share one base, the dossiers dealt with in the period (finished in it or pending at
    its end): overdue are those finished late or pending past their deadline, unsatisfied those
    rated "not satisfied". A dossier both late and disliked counts twice, as the sum of two rates
    does; the numerator does not go below 0.
    """
    counts = stats.counts
    handled = counts["finished"] + counts["pending"]
    overdue = counts["finished_late"] + counts["pending_overdue"]
    return max(0, handled - overdue - counts["rated_unsatisfied"]), handled


COMPUTED: dict[str, Callable[[Stats], tuple[int, int]]] = {
    "service_satisfaction": service_satisfaction,
}


# -- the definition -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    max: Decimal
    threshold: Decimal | None
    source: dict[str, str] | None
    portal_metric: str | None


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    max: Decimal
    indicators: tuple[Indicator, ...]
    monitoring: tuple[str, ...]


@dataclass(frozen=True)
class Definition:
    groups: tuple[Group, ...]
    total_max: Decimal
    legal_basis: dict[str, dict[str, Any]]

    def codes(self) -> dict[str, Decimal]:
        """Every code a score can be given for (indicators, groups, the total) and its maximum."""
        found: dict[str, Decimal] = {TOTAL_CODE: self.total_max}
        for group in self.groups:
            found[group.code] = group.max
            for indicator in group.indicators:
                found[indicator.code] = indicator.max
        return found

    def aliases(self) -> dict[str, str]:
        """The portal's metric names of the indicators, mapped to our codes."""
        return {
            indicator.portal_metric: indicator.code
            for group in self.groups
            for indicator in group.indicators
            if indicator.portal_metric
        }


def _check_source(code: str, source: dict[str, str] | None) -> None:
    if source is None:
        return
    if len(source) != 1:
        raise ValueError(f"indicator {code}: a source has exactly one key")
    ((kind, key),) = source.items()
    if kind == "rate" and key not in RATES:
        raise ValueError(f"indicator {code}: no rate {key!r} in onestop.queries.RATES")
    if kind == "computed" and key not in COMPUTED:
        raise ValueError(f"indicator {code}: no computed source {key!r}")
    if kind not in ("rate", "computed", "metric"):
        raise ValueError(f"indicator {code}: unknown kind of source {kind!r}")


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def parse_definition(data: dict[str, Any]) -> Definition:
    """Check and type the JSON: sources exist, indicator maxima add up to their group's, groups to 100."""
    groups = []
    for group_data in data["groups"]:
        indicators = []
        for item in group_data["indicators"]:
            _check_source(item["code"], item["source"])
            indicators.append(
                Indicator(
                    code=item["code"],
                    name=item["name"],
                    max=Decimal(str(item["max"])),
                    threshold=_decimal(item["threshold"]),
                    source=item["source"],
                    portal_metric=item.get("portal_metric"),
                )
            )
        group = Group(
            code=group_data["code"],
            name=group_data["name"],
            max=Decimal(str(group_data["max"])),
            indicators=tuple(indicators),
            monitoring=tuple(item["code"] for item in group_data.get("monitoring", [])),
        )
        if sum(indicator.max for indicator in group.indicators) != group.max:
            raise ValueError(f"group {group.code}: the indicators' maxima do not add up to {group.max}")
        groups.append(group)
    total_max = Decimal(str(data["total_max"]))
    if sum(group.max for group in groups) != total_max:
        raise ValueError(f"the groups' maxima do not add up to {total_max}")
    codes = [group.code for group in groups] + [i.code for group in groups for i in group.indicators]
    if len(codes) != len(set(codes)):
        raise ValueError("a code appears twice in the service index definition")
    return Definition(tuple(groups), total_max, data["legal_basis"])


@functools.cache
def definition() -> Definition:
    """The service index definition shipped with the application, read once."""
    return parse_definition(json.loads(DATA_FILE.read_text(encoding="utf-8")))


# -- scoring --------------------------------------------------------------------------------------


def points(value: Decimal, maximum: Decimal, threshold: Decimal | None) -> Decimal:
    """The score of a rate in percent (domain.md §3.3), rounded half up to 2 decimals, never above Pmax."""
    if threshold is not None and threshold > 0:
        score = maximum if value >= threshold else value / threshold * maximum
    else:
        score = value * maximum / HUNDRED
    return min(max(score, Decimal(0)), maximum).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def source_label(source: dict[str, str] | None) -> str | None:
    if source is None:
        return None
    ((kind, key),) = source.items()
    return key if kind == "rate" else f"{kind}:{key}"


def source_name(source: dict[str, str] | None) -> str | None:
    """What the page says the figure is measured from: the metric's label, never its key."""
    if source is None:
        return None
    ((kind, key),) = source.items()
    if kind == "computed":
        return gettext("Computed by the system from the dossiers")
    metric = metrics.find(f"onestop.{key}" if kind == "rate" else key)
    return str(metric.label) if metric is not None else None


def _ratio(indicator: Indicator, stats: Stats, unit: Any, period: Period) -> tuple[Any, Any] | None:
    """(numerator, denominator) of the indicator, or None when there is no source for it."""
    if indicator.source is None:
        return None
    ((kind, key),) = indicator.source.items()
    if kind == "rate":
        return stats.ratio(key)
    if kind == "computed":
        return COMPUTED[key](stats)
    metric = metrics.find(key)
    if metric is None:
        return None
    result = metric.compute(unit, period)
    if result is None or result.denominator is None:
        return None
    return result.numerator, result.denominator


def _number(value: Any) -> int | float | None:
    """A JSON number: whole values as integers, others as floats (2 decimals at most)."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _difference(ours: Decimal | None, official: Decimal | None) -> float | None:
    if ours is None or official is None:
        return None
    return float((ours - official).quantize(TWO_PLACES, rounding=ROUND_HALF_UP))


def _score(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, Decimal(0)) if present else None


def official_scores(unit: Any, period: Period) -> dict[str, Decimal | None]:
    """The scores the portal published for the unit itself (not summed over its sub-units)."""
    rows = OfficialIndexScore.objects.filter(unit=unit, period=period.key).values_list("code", "score")
    return dict(rows)


def index_report(unit: Any, period: Period, *, now: datetime.datetime | None = None) -> dict[str, Any]:
    """The service index of `unit` (and everything below it) for `period`, beside the official scores."""
    spec = definition()
    stats = unit_stats(unit, period, now=now)
    official = official_scores(unit, period)
    groups = []
    group_scores: list[Decimal | None] = []
    max_available = Decimal(0)
    for group in spec.groups:
        rows = []
        scores: list[Decimal | None] = []
        group_available = Decimal(0)
        for indicator in group.indicators:
            ratio = _ratio(indicator, stats, unit, period)
            numerator, denominator = ratio if ratio is not None else (None, None)
            value = None if ratio is None else rate(*ratio)
            score = None if value is None else points(value, indicator.max, indicator.threshold)
            if score is not None:
                group_available += indicator.max
            scores.append(score)
            rows.append(
                {
                    "code": indicator.code,
                    "name": indicator.name,
                    "max": _number(indicator.max),
                    "threshold": _number(indicator.threshold),
                    "source": source_label(indicator.source),
                    "source_name": source_name(indicator.source),
                    "rate": _score(value),
                    "score": _score(score),
                    "numerator": _number(numerator),
                    "denominator": _number(denominator),
                    "official": _score(official.get(indicator.code)),
                    "difference": _difference(score, official.get(indicator.code)),
                }
            )
        group_score = _sum(scores)
        group_scores.append(group_score)
        max_available += group_available
        groups.append(
            {
                "code": group.code,
                "name": group.name,
                "max": _number(group.max),
                "score": _score(group_score),
                "max_available": _number(group_available),
                "official": _score(official.get(group.code)),
                "difference": _difference(group_score, official.get(group.code)),
                "indicators": rows,
            }
        )
    total = _sum(group_scores)
    return {
        "unit_code": unit.code,
        "period": period.key,
        "total": _score(total),
        "max": _number(spec.total_max),
        "max_available": _number(max_available),
        "groups": groups,
        "official_total": _score(official.get(TOTAL_CODE)),
        "total_difference": _difference(total, official.get(TOTAL_CODE)),
        "legal_basis": [
            {
                "number": document["number"],
                "issued_on": document["issued_on"],
                "verified": document["verified"],
            }
            for document in spec.legal_basis.values()
        ],
    }
