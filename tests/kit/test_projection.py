"""The year-end projection on constructed series: a least-squares line through the monthly
cumulative values, read at month 12, with a t-based prediction interval."""

import math
import random
from decimal import Decimal

import pytest

from cchc.kit.projection import fit, project, t_975


def series(values, start=1):
    return [(start + i, value) for i, value in enumerate(values)]


def test_a_rising_series_is_projected_along_its_line():
    # 90, 90.5, 91, ... : 0.5 a month, exactly on a line, so the interval has no width.
    projection = project(series([90 + 0.5 * i for i in range(6)]), Decimal(95), ">=")
    assert projection is not None
    assert projection.value == Decimal("95.5")
    assert projection.low == projection.high == projection.value
    assert projection.points == 6
    assert projection.misses is False


def test_a_flat_series_below_a_higher_goal_misses_it():
    projection = project(series([92, 92, 92, 92]), Decimal("98.5"), ">=")
    assert projection.value == Decimal("92")
    assert projection.misses is True


def test_a_falling_series_that_meets_its_goal_today_is_projected_to_miss():
    # 99 in January, falling 0.4 a month: met now (97.4 in May against 96), 94.6 by December.
    projection = project(series([99 - 0.4 * i for i in range(5)]), Decimal(96), ">=")
    assert projection.value == Decimal("94.6")
    assert projection.misses is True


def test_a_noisy_series_gets_an_interval_that_holds_the_line_it_came_from():
    rng = random.Random(7)
    values = [80 + 1.0 * month + rng.uniform(-1.5, 1.5) for month in range(1, 10)]
    projection = project(series(values), Decimal(90), ">=")
    assert projection.low < projection.value < projection.high
    assert projection.low <= Decimal(92) <= projection.high  # the true line gives 92 at month 12
    # The interval is the textbook one: ŷ ± t(0.975, n−2)·s·√(1 + 1/n + (12 − x̄)²/Sxx).
    line = fit(series(values))
    xs = range(1, 10)
    mean_x = sum(xs) / 9
    sxx = sum((x - mean_x) ** 2 for x in xs)
    expected = t_975(7) * line.residual_sd * math.sqrt(1 + 1 / 9 + (12 - mean_x) ** 2 / sxx)
    assert float(projection.high - projection.value) == pytest.approx(expected, abs=0.01)


def test_more_scatter_gives_a_wider_interval():
    calm = project(series([90, 91, 92, 93, 94, 95]), Decimal(90), ">=")
    noisy = project(series([90, 93, 91, 95, 92, 96]), Decimal(90), ">=")
    assert (calm.high - calm.low) < (noisy.high - noisy.low)


@pytest.mark.parametrize("values", [[], [95], [95, 96]])
def test_fewer_than_three_points_give_no_projection(values):
    assert project(series(values), Decimal(90), ">=") is None


def test_points_all_in_one_month_give_no_projection():
    assert project([(3, 90), (3, 91), (3, 92)], Decimal(90), ">=") is None


def test_a_target_to_stay_below_is_judged_the_other_way():
    # Late dossiers (cumulative count): 10 a month → 120 by December.
    rising = series([10, 20, 30, 40])
    assert project(rising, Decimal(100), "<=").misses is True
    assert project(rising, Decimal(130), "<=").misses is False
    assert project(rising, Decimal(120), "<").misses is True  # exactly at the bound breaks "<"
    assert project(rising, Decimal(120), "<=").misses is False


def test_an_equal_target_misses_when_its_interval_leaves_the_goal_out():
    exact = series([1, 2, 3, 4])  # on a line: 12 by December, no width
    assert project(exact, Decimal(12), "=").misses is False
    assert project(exact, Decimal(10), "=").misses is True


def test_a_rate_is_kept_within_zero_and_one_hundred():
    projection = project(series([96, 97, 98, 99]), Decimal(98), ">=", bounds=(0.0, 100.0))
    assert projection.value == Decimal(100) and projection.high <= Decimal(100)
    assert projection.misses is False


def test_student_t_matches_the_table_and_tends_to_the_normal_value():
    assert t_975(1) == pytest.approx(12.706)
    assert t_975(10) == pytest.approx(2.228)
    assert t_975(1000) == pytest.approx(1.962, abs=0.002)
    with pytest.raises(ValueError):
        t_975(0)
