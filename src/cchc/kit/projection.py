"""Early warning: where a figure measured month by month will stand at the end of the year.

The method (docs/overview.md): a least-squares line through the points (month number, cumulative
value so far), read at month 12, with a 95 % prediction interval from the scatter of the points around
the line (Student's t with n − 2 degrees of freedom):

    ŷ(12) ± t(0,975; n − 2) · s · √(1 + 1/n + (12 − x̄)² / Σ(x − x̄)²),   s² = Σ residual² / (n − 2)

With fewer than three points there is no projection: two points always lie on their line and leave
nothing to judge the scatter by. The projection "misses" a target when the projected value falls on
the wrong side of the goal, whichever way the target points (≥ 98 % or ≤ 5 days); for "=" targets,
when the interval does not contain the goal.

Plain arithmetic on floats: a projection is an estimate, shown rounded; the measured figures it starts
from stay Decimal where they are kept.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

YEAR_END = 12
MIN_POINTS = 3

# Student's t, two-sided 95 % (the 0,975 quantile), by degrees of freedom; beyond the table the
# normal value with the usual first-order correction is within 0,002 of the exact one.
_T975 = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    6: 2.447,
    7: 2.365,
    8: 2.306,
    9: 2.262,
    10: 2.228,
    11: 2.201,
    12: 2.179,
    13: 2.160,
    14: 2.145,
    15: 2.131,
    16: 2.120,
    17: 2.110,
    18: 2.101,
    19: 2.093,
    20: 2.086,
    25: 2.060,
    30: 2.042,
}


def t_975(degrees: int) -> float:
    """The 0,975 quantile of Student's t with `degrees` degrees of freedom (≥ 1)."""
    if degrees < 1:
        raise ValueError("Student's t needs at least one degree of freedom")
    if degrees in _T975:
        return _T975[degrees]
    below = max(key for key in _T975 if key <= degrees)
    if degrees <= 30:
        return _T975[below]  # between table rows: the smaller df's value, a slightly wider interval
    return 1.959964 + 2.37227 / degrees


@dataclass(frozen=True)
class Line:
    """A least-squares line and what its prediction interval needs."""

    slope: float
    intercept: float
    n: int
    mean_x: float
    sxx: float
    residual_sd: float

    def at(self, x: float) -> float:
        return self.intercept + self.slope * x

    def half_width(self, x: float) -> float:
        spread = 1 + 1 / self.n + (x - self.mean_x) ** 2 / self.sxx
        return t_975(self.n - 2) * self.residual_sd * math.sqrt(spread)


def fit(points: Sequence[tuple[float, float]]) -> Line | None:
    """The least-squares line through `points`; None with fewer than 3 points or a single x."""
    if len(points) < MIN_POINTS:
        return None
    xs = [float(x) for x, _y in points]
    ys = [float(y) for _x, y in points]
    n = len(points)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = mean_y - slope * mean_x
    residuals = [y - (intercept + slope * x) for x, y in zip(xs, ys, strict=True)]
    residual_sd = math.sqrt(sum(r * r for r in residuals) / (n - 2))
    return Line(slope, intercept, n, mean_x, sxx, residual_sd)


def misses(value: float, comparator: str, goal: float, low: float, high: float) -> bool:
    """Whether a projected `value` (interval low–high) fails "value <comparator> goal"."""
    if comparator == ">=":
        return value < goal
    if comparator == ">":
        return value <= goal
    if comparator == "<=":
        return value > goal
    if comparator == "<":
        return value >= goal
    if comparator == "=":
        return not low <= goal <= high
    raise ValueError(f"unknown comparator {comparator!r}")


@dataclass(frozen=True)
class Projection:
    """The year-end value a series is heading for, its 95 % interval and whether it misses the goal."""

    value: Decimal
    low: Decimal
    high: Decimal
    points: int  # how many months it was drawn from
    misses: bool


def _decimal(number: float) -> Decimal:
    return Decimal(str(round(number, 2)))


def project(
    points: Sequence[tuple[float, float]],
    goal: Decimal | float,
    comparator: str,
    *,
    at: int = YEAR_END,
    bounds: tuple[float | None, float | None] = (None, None),
) -> Projection | None:
    """The projection at month `at` of the series (month number, cumulative value), judged against
    "value <comparator> goal"; None with fewer than 3 points. `bounds` clip value and interval to what
    the figure can be (0–100 for a rate, ≥ 0 for a count)."""
    line = fit(points)
    if line is None:
        return None
    value = line.at(at)
    half = line.half_width(at)
    low, high = value - half, value + half
    floor, ceiling = bounds
    if floor is not None:
        value, low, high = max(value, floor), max(low, floor), max(high, floor)
    if ceiling is not None:
        value, low, high = min(value, ceiling), min(low, ceiling), min(high, ceiling)
    return Projection(
        value=_decimal(value),
        low=_decimal(low),
        high=_decimal(high),
        points=line.n,
        misses=misses(value, comparator, float(goal), low, high),
    )
