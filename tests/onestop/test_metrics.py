"""The one-stop figures are published as metrics, so a plan target measures itself."""

import datetime
from decimal import Decimal

import pytest

from cchc.core import metrics
from cchc.core.periods import Period
from cchc.plans.models import ReformArea
from cchc.plans.queries import read_target
from cchc.plans.services import plans as plan_services
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
