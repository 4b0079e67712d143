"""How a manual target's figure for a unit and period is put together from what units entered:
each unit counts once, whether it entered the period as a whole, its parts, or both; a rank is
never added up, neither over the quarters nor over the units."""

from decimal import Decimal

import pytest

from cchc.core.periods import Period
from cchc.plans.queries.targets import read_target
from cchc.plans.services import plans as plan_services


@pytest.fixture
def enter(cast):
    def enter(target, unit, period, numerator, denominator=None):
        plan_services.record_measurement(
            actor=cast["reform_admin"],
            target=target,
            unit=cast[unit],
            period=period,
            numerator=numerator,
            denominator=denominator,
        )

    return enter


@pytest.fixture
def rank(plan, cast):
    return plan_services.add_target(
        actor=cast["reform_admin"],
        plan=plan,
        code="CT9",
        text="Thứ hạng Chỉ số cải cách hành chính",
        comparator="<=",
        value=20,
        unit="rank",
    )


def reading(target, unit, period):
    found = read_target(target, unit, Period.parse(period))
    return (None if found.ratio is None else (found.ratio.numerator, found.ratio.denominator)), (
        found.units_with_data
    )


def test_a_unit_that_entered_the_whole_and_its_parts_counts_once(plan, cast, enter):
    rate = plan.targets.get(code="CT1")
    # Sở Tư pháp entered Q1 as a whole and also its three months (which do not add up to it).
    enter(rate, "justice", "2026-Q1", 40, 50)
    for month in ("01", "02", "03"):
        enter(rate, "justice", f"2026-{month}", 10, 10)
    # Xã Tây entered the half year and also its second quarter.
    enter(rate, "west_commune", "2026-H1", 70, 100)
    enter(rate, "west_commune", "2026-Q2", 35, 50)
    enter(rate, "justice", "2026-Q2", 45, 50)
    assert reading(rate, cast["province"], "2026-Q1") == ((40, 50), 1)
    # H1: Sở Tư pháp's Q1 (its own, not its months) + Q2; Xã Tây's H1 as it entered it.
    assert reading(rate, cast["province"], "2026-H1") == ((40 + 45 + 70, 50 + 50 + 100), 2)
    assert reading(rate, cast["province"], "2026-Q2") == ((80, 100), 2)


def test_a_unit_missing_a_part_is_left_out_and_said_so(plan, cast, enter):
    count = plan.targets.get(code="CT2")
    enter(count, "justice", "2026-Q1", 2)
    enter(count, "justice", "2026-Q2", 3)
    enter(count, "west_commune", "2026-Q1", 1)  # no Q2: its half year is not known
    assert reading(count, cast["province"], "2026-H1") == ((5, None), 1)
    assert reading(count, cast["west_commune"], "2026-H1") == (None, 0)
    assert reading(count, cast["province"], "2026-Q1") == ((3, None), 2)


def test_a_rank_is_never_added_up(plan, cast, enter, rank):
    enter(rank, "home_affairs", "2026-Q1", 12)
    enter(rank, "home_affairs", "2026-Q2", 9)
    # Over the quarters: a half year has no rank of its own until one is entered for it.
    assert reading(rank, cast["home_affairs"], "2026-H1") == (None, 0)
    # Over the units: one unit's rank is the only one there is.
    assert reading(rank, cast["province"], "2026-Q1") == ((12, None), 1)
    # Two units' ranks are not the province's (12 + 5 is no rank); its own is, once entered.
    enter(rank, "justice", "2026-Q1", 5)
    assert reading(rank, cast["province"], "2026-Q1") == (None, 0)
    assert reading(rank, cast["justice"], "2026-Q1") == ((5, None), 1)
    enter(rank, "province", "2026-Q1", 15)
    assert reading(rank, cast["province"], "2026-Q1") == ((Decimal(15), None), 1)
