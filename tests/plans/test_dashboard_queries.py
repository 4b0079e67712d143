"""The plan dashboard costs the same number of queries however many units lead its tasks.

A province plan whose metric-backed targets apply to every commune reads each metric once for all
the communes (`metrics.compute_many`), not once per commune: adding communes adds no query.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.core.metrics import Ratio
from cchc.core.periods import Period
from cchc.plans import queries
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services
from cchc.units.models import UnitType
from cchc.units.services import units as unit_services

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 7, 1)


@pytest.fixture
def metric_plan(cast):
    """A province plan with two published-metric targets for communes and one manual target."""
    admin = cast["reform_admin"]
    plan = plan_services.create_plan(
        actor=admin, issuing_unit=cast["province"], title="Kế hoạch CCHC năm 2026", year_from=2026
    )
    for code, source in [("CT1", "plans.unit_plans_issued"), ("CT2", "inspections.coverage")]:
        plan_services.add_target(
            actor=admin,
            plan=plan,
            code=code,
            text=f"Chỉ tiêu {code}",
            comparator=">=",
            value=100,
            unit="%",
            data_source=source,
            scope_types=["commune"],
        )
    plan_services.add_target(
        actor=admin, plan=plan, code="CT3", text="Chỉ tiêu nhập tay", comparator=">=", value=90, unit="%"
    )
    return plan


@pytest.fixture
def add_communes(cast, metric_plan):
    """`count` more communes, each leading a task of the plan (so each has a row on the dashboard)."""
    made = []

    def add(count):
        for _ in range(count):
            number = len(made) + 1
            commune = unit_services.create_unit(
                actor=None,
                name=f"Xã Thử {number}",
                type=UnitType.COMMUNE,
                code=f"99{100 + number}",
                parent=cast["province"],
                kind="Xã",
                valid_from=START,
            )
            task_services.add_task(
                actor=cast["reform_admin"],
                plan=metric_plan,
                text=f"Nhiệm vụ của xã {number}",
                lead_unit=commune,
                deadline=datetime.date(2026, 6, 30),
            )
            made.append(commune)
        return made

    return add


def dashboard_queries(client, user, plan) -> int:
    client.force_login(user)
    url = reverse("plans:plan-dashboard", args=[plan.pk])
    client.get(url)  # the session and the calendar's cache settle on the first visit
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"period": "2026"})
    assert response.status_code == 200
    return len(captured)


@time_machine.travel(datetime.datetime(2026, 5, 15, 10, tzinfo=datetime.UTC), tick=False)
def test_the_dashboard_query_count_does_not_grow_with_the_units(client, cast, metric_plan, add_communes):
    add_communes(3)
    few = dashboard_queries(client, cast["reform_admin"], metric_plan)
    add_communes(9)
    many = dashboard_queries(client, cast["reform_admin"], metric_plan)
    assert few == many


def test_a_bulk_reading_of_a_metric_matches_the_unit_by_unit_reading(cast, metric_plan, add_communes):
    communes = add_communes(4)
    ct1 = metric_plan.targets.get(code="CT1")
    issued = plan_services.issue_plan(
        actor=cast["reform_admin"], plan=metric_plan, number="9/KH-UBND", issued_on=datetime.date(2026, 1, 5)
    )
    # One commune issues its own plan: 1 of the province's 8 agencies and communes.
    plan_services.issue_plan(
        actor=cast["reform_admin"],
        plan=plan_services.cascade_plan(actor=cast["reform_admin"], parent=issued, unit=communes[0]),
        number="1/KH-UBND",
        issued_on=datetime.date(2026, 2, 1),
    )
    year = Period.parse("2026")
    units = [cast["province"], *communes]
    bulk = queries.read_many([(ct1, unit) for unit in units], year)
    assert [reading.ratio for reading in bulk] == [
        queries.read_target(ct1, unit, year).ratio for unit in units
    ]
    assert bulk[0].ratio == Ratio(Decimal(1), Decimal(8))  # 2 agencies and 6 communes under the province
    assert bulk[1].ratio == Ratio(Decimal(1), Decimal(1)) and bulk[2].ratio == Ratio(Decimal(0), Decimal(1))
