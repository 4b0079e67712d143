"""The one-stop dashboard of a province with many units: a fixed number of queries, and the pending
dossiers counted once.

Under load the dashboard was the slowest page (7.0 s at the 95th percentile with 20 users on the
demo). Its costliest query counts the dossiers pending now, which reads every pending dossier of the
subtree; the page ran it once for the unit, once for the units below and once more for the trend's
current month. It now runs once per page, and the count is shared for a minute between requests
(`onestop.queries.live`) until the next import.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cchc.core.periods import Period
from cchc.onestop.models import Dossier
from cchc.onestop.queries.dossiers import OldestDeadlineFirst, dossiers_behind, newest_first, overdue_todo
from cchc.units.models import UnitType
from cchc.units.services import units as unit_services
from tests.onestop.conftest import dossier

pytestmark = pytest.mark.django_db
YEAR = str(timezone.localdate().year)
PENDING_COUNT = '"finished_at" IS NULL'  # the query that counts the dossiers pending now


@pytest.fixture
def counted_each_time(settings):
    settings.CCHC_ONESTOP_LIVE_SECONDS = 0


@pytest.fixture
def shared_for_a_minute(settings):
    settings.CCHC_ONESTOP_LIVE_SECONDS = 60
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "live"}
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _communes_with_dossiers(cast, import_dossiers, start: int, count: int) -> None:
    """`count` new communes, each with a dossier finished late and one pending past its deadline."""
    records = []
    for number in range(start, start + count):
        code = f"97{number:03d}"
        unit_services.create_unit(
            actor=None,
            name=f"Xã Đông Đúc {number}",
            type=UnitType.COMMUNE,
            code=code,
            parent=cast["province"],
        )
        records.append(
            dossier(f"{code}-L", unit=code, received=f"{YEAR}-01-05 09:00", finished_at=f"{YEAR}-03-30 10:00")
        )
        records.append(dossier(f"{code}-P", unit=code, procedure="DD-01", received=f"{YEAR}-01-06 09:00"))
    result = import_dossiers(records)
    assert result.applied, result.errors


def _dashboard(client, cast):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("onestop:dashboard"), {"unit": cast["province"].pk, "period": YEAR})
    assert response.status_code == 200
    return response, [query["sql"] for query in queries.captured_queries]


def test_the_dashboard_costs_the_same_queries_for_30_and_90_units(
    client, cast, import_dossiers, counted_each_time
):
    client.force_login(cast["reform_admin"])
    _communes_with_dossiers(cast, import_dossiers, 1, 30)
    _dashboard(client, cast)  # the session, the calendar and the settings are read once
    few_page, few = _dashboard(client, cast)
    _communes_with_dossiers(cast, import_dossiers, 31, 60)
    more_page, more = _dashboard(client, cast)

    assert len(more_page.context["ranking"]) == len(few_page.context["ranking"]) + 60
    assert len(more_page.context["heat"]["rows"]) == len(few_page.context["heat"]["rows"]) + 60
    assert len(more) == len(few), more


def test_the_pending_dossiers_are_counted_once_per_page(client, cast, import_dossiers, counted_each_time):
    client.force_login(cast["reform_admin"])
    _communes_with_dossiers(cast, import_dossiers, 1, 30)
    response, queries = _dashboard(client, cast)
    assert len([sql for sql in queries if PENDING_COUNT in sql]) == 1
    headline = {figure["key"]: figure["value"] for figure in response.context["headline"]["counts"]}
    assert headline["pending"] == 30 and headline["pending_overdue"] == 30
    this_month = response.context["trend"]["rows"][-1]
    assert this_month["month"].month == timezone.localdate().month  # the trend's month of now…
    ranking = {row["unit"].name: row for row in response.context["ranking"]}
    assert ranking["Xã Đông Đúc 7"]["pending_overdue"] == 1  # …and the units below, from the same count


def test_the_count_is_shared_until_the_next_import(client, cast, import_dossiers, shared_for_a_minute):
    client.force_login(cast["reform_admin"])
    _communes_with_dossiers(cast, import_dossiers, 1, 5)
    first, first_queries = _dashboard(client, cast)
    second, second_queries = _dashboard(client, cast)
    assert len([sql for sql in first_queries if PENDING_COUNT in sql]) == 1
    assert not [sql for sql in second_queries if PENDING_COUNT in sql]
    assert second.context["headline"] == first.context["headline"]

    _communes_with_dossiers(cast, import_dossiers, 6, 1)  # one more pending dossier: seen at once
    third, _queries = _dashboard(client, cast)
    pending = {figure["key"]: figure["value"] for figure in third.context["headline"]["counts"]}["pending"]
    assert pending == 6


# -- the dossiers behind a figure -----------------------------------------------------------------


@pytest.fixture
def a_year_of_dossiers(cast, import_dossiers):
    """300 dossiers of Xã Tây received over the year, a few at the same minute; a third finished."""
    records = []
    for number in range(300):
        day = datetime.date(int(YEAR), 1, 2) + datetime.timedelta(days=number % 300)
        day = min(day, timezone.localdate() - datetime.timedelta(days=1))
        extra = (
            {"finished_at": f"{day + datetime.timedelta(days=1):%Y-%m-%d} 10:00"} if number % 3 == 0 else {}
        )
        records.append(dossier(f"Y-{number:03d}", received=f"{day:%Y-%m-%d} {8 + number % 3}:00", **extra))
    result = import_dossiers(records)
    assert result.applied, result.errors


@pytest.mark.parametrize("measure", ["received", "finished", "pending", "pending_overdue"])
def test_the_list_counts_and_pages_as_the_whole_sorted_list(client, cast, a_year_of_dossiers, measure):
    everything = Dossier.objects.all()
    behind = dossiers_behind(everything, cast["province"], Period.parse(YEAR), measure)
    expected = list(behind.order_by("-received_at", "-pk").values_list("code", flat=True))
    assert len(expected) > 40
    client.force_login(cast["reform_admin"])  # sees the whole province: the count is the figure's
    url = reverse("onestop:dossiers")
    query = {"unit": cast["province"].pk, "period": YEAR, "measure": measure}
    assert client.get(url, query).context["page"].paginator.count == len(expected)

    listed = newest_first(everything, cast["province"], Period.parse(YEAR), measure)
    for start in (0, 10, 20, len(expected) - 15):
        assert [row.code for row in listed[start : start + 10]] == expected[start : start + 10], start


def test_the_overdue_list_pages_as_the_whole_sorted_list(client, cast, import_dossiers):
    """120 pending dossiers, each with its own deadline over the year: pages read through the window
    of the oldest deadlines are those of the whole list."""
    start = datetime.datetime(int(YEAR), 1, 5, 8, 0)
    records = [
        dossier(
            f"O-{number:03d}",
            procedure="HT-01",
            received=f"{start + datetime.timedelta(hours=50 * number):%Y-%m-%d %H:%M}",
        )
        for number in range(120)
    ]
    result = import_dossiers(records)
    assert result.applied, result.errors
    now = timezone.now()
    overdue = overdue_todo(Dossier.objects.all(), now=now)
    expected = list(overdue.values_list("code", flat=True))
    assert len(expected) > 60
    listed = OldestDeadlineFirst(overdue, now=now)
    for first in (0, 10, 25):
        assert [row.code for row in listed[first : first + 10]] == expected[first : first + 10], first
    client.force_login(cast["reform_admin"])
    response = client.get(reverse("onestop:overdue"))
    assert [row.code for row, _days in response.context["rows"]] == expected[:50]
