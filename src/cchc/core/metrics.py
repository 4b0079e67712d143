"""The registry of metrics that modules publish and targets read.

A module that can measure something (the one-stop module: dossiers on time; inspections: coverage)
registers a function under a stable key. A plan target whose data source is that key fills in its
own value per unit and period, without the plans app importing the publisher's models.

A metric returns a `Ratio`: numerator and denominator kept apart so that values can be summed up
the unit tree; the rate is computed at the end. "No data" is None, never zero.
"""

from collections.abc import Callable
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


MetricFunction = Callable[[Any, Period], Ratio | None]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str  # "%" for rates, otherwise what is counted
    compute: MetricFunction


_REGISTRY: dict[str, Metric] = {}


def register(key: str, label: str, unit: str = "%") -> Callable[[MetricFunction], MetricFunction]:
    """Decorator for a function (unit, period) -> Ratio, e.g. `@register("onestop.on_time_rate", "…")`."""

    def wrap(function: MetricFunction) -> MetricFunction:
        if key in _REGISTRY and _REGISTRY[key].compute is not function:
            raise ValueError(f"metric {key!r} is registered twice")
        _REGISTRY[key] = Metric(key, label, unit, function)
        return function

    return wrap


def get(key: str) -> Metric:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise KeyError(f"no metric is published under {key!r}") from None


def available() -> list[Metric]:
    return sorted(_REGISTRY.values(), key=lambda metric: metric.key)
