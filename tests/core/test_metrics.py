"""The metrics registry: many units per call, one unit through the thin wrapper, no silent clashes."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from cchc.core import metrics
from cchc.core.metrics import Ratio
from cchc.core.periods import Period

YEAR = Period.parse("2026")
calls: list[list[int]] = []


@metrics.register_many("test.registry_share", "Share for tests")
def share(units, period):
    calls.append([unit.pk for unit in units])
    return {unit.pk: Ratio(Decimal(unit.pk), Decimal(10)) for unit in units if unit.pk != 3}


def units(*ids):
    return [SimpleNamespace(pk=pk) for pk in ids]


def test_many_units_are_answered_in_one_call():
    calls.clear()
    figures = metrics.compute_many("test.registry_share", units(1, 2, 3), YEAR)
    assert calls == [[1, 2, 3]]
    assert figures[2].value == Decimal(20)
    assert 3 not in figures  # a unit the publisher left out has no data


def test_one_unit_goes_through_the_same_function():
    calls.clear()
    metric = metrics.get("test.registry_share")
    assert metric.compute(units(4)[0], YEAR) == Ratio(Decimal(4), Decimal(10))
    assert metric.compute(units(3)[0], YEAR) is None
    assert calls == [[4], [3]]


def test_an_unpublished_key_reads_as_no_data_and_get_says_so():
    assert metrics.compute_many("test.nobody_publishes_this", units(1), YEAR) == {}
    assert metrics.find("test.nobody_publishes_this") is None
    with pytest.raises(KeyError):
        metrics.get("test.nobody_publishes_this")


def test_a_second_publisher_of_one_key_is_refused():
    with pytest.raises(ValueError, match="registered twice"):
        metrics.register_many("test.registry_share", "Another")(lambda units, period: {})
    # registering the same function again (a module imported twice) is harmless
    metrics.register_many("test.registry_share", "Share for tests")(share)
