"""The registry of metrics that modules publish and targets read.

A module that can measure something (the one-stop module: dossiers on time; inspections: coverage)
registers a function under a stable key. A plan target whose data source is that key fills in its
own value per unit and period, without the plans app importing the publisher's models.

A metric returns a `Ratio`: numerator and denominator kept apart so that values can be summed up
the unit tree; the rate is computed at the end. "No data" is None, never zero.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cchc.core.periods import Period


@dataclass(frozen=True)
class Ratio:
    numerator: Decimal
    denominator: Decimal | None  # None for plain quantities (a count, an amount of money)

    @property
    def value(self) -> Decimal | None:
        """The rate in percent for ratios, the quantity itself otherwise; None when the base is 0."""
        if self.denominator is None:
            return self.numerator
        if self.denominator == 0:
            return None
        return self.numerator * 100 / self.denominator

    def __add__(self, other: "Ratio") -> "Ratio":
        if (self.denominator is None) != (other.denominator is None):
            raise ValueError("cannot add a rate and a quantity")
        denominator = None if self.denominator is None else self.denominator + (other.denominator or 0)
        return Ratio(self.numerator + other.numerator, denominator)


# A metric computes for many units at once: (units, period) -> {unit id: Ratio or None}, with a fixed
# number of queries whatever the number of units. A unit missing from the answer has no data.
ManyFunction = Callable[[Sequence[Any], Period], dict[int, "Ratio | None"]]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str  # "%" for rates, otherwise what is counted
    compute_many: ManyFunction

    def compute(self, unit: Any, period: Period) -> Ratio | None:
        """The figure of one unit: a thin wrapper over `compute_many`."""
        return self.compute_many([unit], period).get(unit.pk)


_REGISTRY: dict[str, Metric] = {}


def _add(key: str, label: str, unit: str, function: ManyFunction) -> None:
    existing = _REGISTRY.get(key)
    if existing is not None and existing.compute_many is not function:
        raise ValueError(f"metric {key!r} is registered twice")
    _REGISTRY[key] = Metric(key, label, unit, function)


def register_many(key: str, label: str, unit: str = "%") -> Callable[[ManyFunction], ManyFunction]:
    """Decorator for a function (units, period) -> {unit id: Ratio | None} that answers for all the
    units with a fixed number of queries, e.g. `@register_many("onestop.on_time_rate", "…")`."""

    def wrap(function: ManyFunction) -> ManyFunction:
        _add(key, label, unit, function)
        return function

    return wrap


def get(key: str) -> Metric:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise KeyError(f"no metric is published under {key!r}") from None


def find(key: str) -> Metric | None:
    """The metric, or None when no installed module publishes it (the reader shows "no data")."""
    return _REGISTRY.get(key)


def compute_many(key: str, units: Sequence[Any], period: Period) -> dict[int, Ratio | None]:
    """`key`'s figures for every unit in `units` (None for a unit without data); {} when no module
    publishes `key`."""
    metric = _REGISTRY.get(key)
    if metric is None or not units:
        return {}
    return metric.compute_many(list(units), period)


def available() -> list[Metric]:
    return sorted(_REGISTRY.values(), key=lambda metric: metric.key)
