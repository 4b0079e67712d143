"""The one-stop figures are published as metrics, so a plan target measures itself."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.core import metrics
from cchc.core.periods import Period
from cchc.plans.models import ReformArea
from cchc.plans.queries import read_target
from cchc.plans.services import plans as plan_services
from cchc.units.models import UnitType
from cchc.units.services import units as unit_services
from tests.onestop.conftest import dossier

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)


@pytest.fixture
def january(cast, import_dossiers):
    """Xã Tây: 3 early, 1 late (with an apology in time); Phường Đông: 1 late. All received online but one."""
    records = [
        dossier("X1", finished_at="2026-01-06 10:00", channel="online"),
        dossier("X2", finished_at="2026-01-07 10:00", channel="online"),
        dossier("X3", finished_at="2026-01-08 10:00", channel="online", digitized="1"),
        dossier(
            "X4",
            finished_at="2026-01-20 10:00",
            channel="online",
            apology_at="2026-01-08 09:00",
            rescheduled_due_at="2026-01-21",
        ),
        dossier("E1", unit="99001", finished_at="2026-01-20 10:00", channel="direct"),
    ]
    result = import_dossiers(records, now=NOW)
    assert result.applied, result.errors


def test_every_rate_of_the_statistics_is_published():
    keys = {metric.key for metric in metrics.available()}
    for key in ("on_time_rate", "online_rate", "digitized_rate", "apology_rate", "satisfaction_rate"):
        assert f"onestop.{key}" in keys


def test_metric_values_are_the_unit_subtree_figures(cast, january):
    period = Period.parse("2026-01")
    on_time = metrics.get("onestop.on_time_rate").compute(cast["province"], period)
    assert (on_time.numerator, on_time.denominator) == (3, 5)
    commune = metrics.get("onestop.on_time_rate").compute(cast["west_commune"], period)
    assert commune.value == Decimal(75)
    apology = metrics.get("onestop.apology_rate").compute(cast["province"], period)
    assert (apology.numerator, apology.denominator) == (1, 2)
    assert metrics.get("onestop.received").compute(cast["province"], period).value == 5


def test_no_dossiers_means_no_data_not_zero(cast, january):
    assert metrics.get("onestop.on_time_rate").compute(cast["justice"], Period.parse("2026-01")) is None
    assert metrics.get("onestop.online_rate").compute(cast["province"], Period.parse("2025-12")) is None


def test_a_plan_target_on_the_on_time_rate_fills_its_own_value(cast, january):
    admin = cast["reform_admin"]
    plan = plan_services.create_plan(
        actor=admin, issuing_unit=cast["province"], title="KH CCHC 2026", year_from=2026
    )
    area = plan_services.add_area(
        actor=admin, plan=plan, title="", reform_area=ReformArea.objects.get(code="tthc"), order=1
    )
    target = plan_services.add_target(
        actor=admin,
        plan=plan,
        area=area,
        code="CT1",
        text="Tối thiểu 98,5% hồ sơ đúng hạn",
        comparator=">=",
        value="98.5",
        unit="%",
        data_source="onestop.on_time_rate",
    )
    reading = read_target(target, cast["province"], Period.parse("2026-01"))
    assert reading.value == Decimal(60)
    commune = read_target(target, cast["west_commune"], Period.parse("2026-01"))
    assert commune.value == Decimal(75)


@pytest.fixture
def ten_units(cast, january, import_dossiers):
    """The cast's six units (nested: the province holds all, Sở Tư pháp its division) and four more
    communes, two of them with dossiers of their own."""
    more = [
        unit_services.create_unit(
            actor=None,
            name=f"Xã Mới {number}",
            type=UnitType.COMMUNE,
            code=f"9901{number}",
            parent=cast["province"],
            kind="Xã",
            valid_from=datetime.date(2025, 7, 1),
        )
        for number in range(4)
    ]
    records = [
        dossier("N0-1", unit="99010", finished_at="2026-01-06 10:00"),
        dossier("N0-2", unit="99010", finished_at="2026-01-30 10:00"),
        dossier("N1-1", unit="99011", received="2026-01-20 09:00"),
        dossier("D-1", unit="99.STP.HCTP", finished_at="2026-01-07 10:00"),
    ]
    result = import_dossiers(records, now=NOW)
    assert result.applied, result.errors
    names = ("province", "home_affairs", "justice", "justice_division", "east_ward", "west_commune")
    return [cast[name] for name in names] + more


@pytest.mark.parametrize("key", ["onestop.on_time_rate", "onestop.received", "onestop.pending_overdue"])
@pytest.mark.parametrize("period", ["2026-01", "current"])
def test_many_units_cost_the_queries_of_two_and_match_unit_by_unit(ten_units, key, period):
    period = Period.parse(str(datetime.date.today().year) if period == "current" else period)
    metric = metrics.get(key)
    with CaptureQueriesContext(connection) as two:
        few = metrics.compute_many(key, ten_units[4:6], period)
    with CaptureQueriesContext(connection) as ten:
        many = metrics.compute_many(key, ten_units, period)
    assert len(ten) == len(two) <= 2
    assert set(many) == {unit.pk for unit in ten_units}
    assert many == {unit.pk: metric.compute(unit, period) for unit in ten_units}
    assert few == {unit.pk: many[unit.pk] for unit in ten_units[4:6]}
    if key == "onestop.received" and period.key == "2026-01":
        # Nested units in one request: each keeps its own subtree, nothing counted twice.
        received = [None if many[unit.pk] is None else many[unit.pk].value for unit in ten_units]
        assert received == [9, None, 1, 1, 1, 4, 2, 1, None, None]
