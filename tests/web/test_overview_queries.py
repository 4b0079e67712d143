"""The overview of a province of 120 units costs a fixed number of queries: every figure is read for
all the units at once (the metrics registry's batch form, one read of each module's rows)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.units.models import UnitType
from cchc.units.services import units as unit_services
from tests.web.test_overview import NOW, add_unit_data, build_world

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 7, 1)
# The page's whole budget (session, user, roles, pickers, every section, the projections' monthly
# reads): 36 when measured (June, five months of figures), held with room for the months to come.
MAX_QUERIES = 60


def communes(province, first, count):
    return [
        unit_services.create_unit(
            actor=None,
            name=f"Xã Thử {number}",
            type=UnitType.COMMUNE,
            code=f"99{100 + number}",
            parent=province,
            kind="Xã",
            valid_from=START,
        )
        for number in range(first, first + count)
    ]


def page_queries(client, user) -> int:
    url = reverse("web:overview")
    client.get(url, {"period": "2026"})  # the session and the calendar's cache settle on the first visit
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"period": "2026"})
    assert response.status_code == 200
    return len(captured)


@time_machine.travel(NOW, tick=False)
def test_the_overview_of_120_units_stays_within_a_fixed_query_count(
    client, cast, django_assert_max_num_queries
):
    first = communes(cast["province"], 0, 10)
    plan = build_world(cast, first)
    client.force_login(cast["leader"])
    few = page_queries(client, cast["leader"])
    add_unit_data(cast, plan, communes(cast["province"], 10, 110), first=10)
    many = page_queries(client, cast["leader"])
    assert few == many
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("web:overview"), {"period": "2026"})
    overview = response.context["overview"]
    assert overview.tasks.total == 120 and len(overview.tasks.by_unit) == 120
    assert overview.parindex.units_scored == 120
    assert len(overview.onestop.worst) == 5
