"""Each scoring method turns what a unit reports into points, and refuses what it cannot read."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cchc.parindex.models import Criterion, Method
from cchc.parindex.scoring import check_points, parse_tiers, points_for, rate_points


def leaf(method, max_points="2.00", **extra):
    return Criterion(code="1.1", title="t", method=method, max_points=Decimal(max_points), **extra)


def test_manual_points_within_the_maximum():
    assert points_for(leaf(Method.MANUAL), "1,5") == Decimal("1.5")
    with pytest.raises(ValidationError):
        points_for(leaf(Method.MANUAL), "2.01")
    with pytest.raises(ValidationError):
        points_for(leaf(Method.MANUAL), "-1")
    with pytest.raises(ValidationError):
        points_for(leaf(Method.MANUAL), "hai")


def test_yes_no_gives_all_or_nothing():
    assert points_for(leaf(Method.YES_NO), "Có") == Decimal("2.00")
    assert points_for(leaf(Method.YES_NO), "không") == 0
    with pytest.raises(ValidationError):
        points_for(leaf(Method.YES_NO), "có lẽ")


def test_tiers_are_percent_of_the_maximum():
    criterion = leaf(Method.TIERED, tiers=parse_tiers("Đúng hạn=100|Chậm=50|Không thực hiện=0"))
    assert points_for(criterion, "chậm") == Decimal("1.00")
    assert points_for(criterion, "Đúng hạn") == Decimal("2.00")
    with pytest.raises(ValidationError):
        points_for(criterion, "Sớm")


def test_bad_tiers_are_refused():
    with pytest.raises(ValidationError):
        parse_tiers("Đúng hạn|Chậm=50")
    with pytest.raises(ValidationError):
        parse_tiers("Đúng hạn=120")


def test_rate_with_and_without_threshold():
    assert rate_points(Decimal(90), Decimal(6), Decimal(90)) == Decimal(6)
    assert rate_points(Decimal(45), Decimal(6), Decimal(90)) == Decimal(3)
    assert rate_points(Decimal(50), Decimal(6), None) == Decimal(3)
    criterion = leaf(Method.RATE, threshold=Decimal(80))
    assert points_for(criterion, "40") == Decimal("1.00")
    with pytest.raises(ValidationError):
        points_for(criterion, "101")


def test_deduction_per_occurrence_down_to_the_floor():
    criterion = leaf(Method.DEDUCTION, per_occurrence=Decimal("0.5"), floor=Decimal("0.5"))
    assert points_for(criterion, "1") == Decimal("1.5")
    assert points_for(criterion, "10") == Decimal("0.5")
    with pytest.raises(ValidationError):
        points_for(criterion, "1.5")


def test_computed_leaves_cannot_be_entered():
    with pytest.raises(ValidationError):
        points_for(leaf(Method.METRIC, metric="onestop.on_time_rate"), "2")
    with pytest.raises(ValidationError):
        points_for(leaf(Method.SURVEY), "2")


def test_appraiser_points_within_range():
    assert check_points(leaf(Method.MANUAL), Decimal("0")) == 0
    with pytest.raises(ValidationError):
        check_points(leaf(Method.MANUAL), Decimal("2.5"))


@given(
    rate=st.decimals(min_value=0, max_value=100, places=2),
    threshold=st.one_of(st.none(), st.decimals(min_value="0.01", max_value=100, places=2)),
)
def test_rate_points_never_leave_zero_to_max(rate, threshold):
    points = rate_points(rate, Decimal(6), threshold)
    assert 0 <= points <= 6
    if threshold is not None and rate >= threshold:
        assert points == 6
