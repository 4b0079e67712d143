"""The one-stop pages: the dashboard and the dossiers behind its figures, the overdue list, the
procedures, the service index and who may see what."""

import datetime
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.onestop.models import Dossier
from cchc.units.models import UnitType
from cchc.units.services import units as unit_services
from tests.onestop.conftest import dossier

pytestmark = pytest.mark.django_db

JANUARY = "2026-01"


@pytest.fixture
def dossiers(cast, import_dossiers):
    """Dossiers of Xã Tây, Phường Đông and Sở Tư pháp received in January 2026."""
    records = [
        dossier("W-1", finished_at="2026-01-08 10:00", status="10", channel="2", digitized="1"),
        dossier(
            "W-2",
            finished_at="2026-01-20 10:00",
            status="10",
            apology_at="2026-01-09 08:00",
            rescheduled_due_at="2026-01-20",
        ),
        dossier(
            "W-3", procedure="DD-01", received="2026-01-06 09:00", finished_at="2026-01-15 10:00", channel="2"
        ),
        dossier("E-1", unit="99001", procedure="DD-01", received="2026-01-10 09:00"),
        dossier(
            "E-2",
            unit="99001",
            procedure="CT-01",
            received="2026-01-12 09:00",
            finished_at="2026-01-14 10:00",
            supplements='[["2026-01-12 10:00", "2026-01-13 09:00"]]',
        ),
        dossier(
            "J-1",
            unit="99.STP",
            procedure="HT-02",
            received="2026-01-12 09:00",
            finished_at="2026-01-30 10:00",
        ),
    ]
    result = import_dossiers(records)
    assert result.applied, result.errors
    return {item.code: item for item in Dossier.objects.all()}


def _dashboard(client, unit=None, period=JANUARY):
    query = {"period": period}
    if unit is not None:
        query["unit"] = unit.pk
    return client.get(reverse("onestop:dashboard"), query)


def _count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count, response


# -- the dashboard --------------------------------------------------------------------------------


def test_dashboard_shows_the_province_and_ranks_the_units_below(
    client, cast, dossiers, django_assert_max_num_queries
):
    client.force_login(cast["reform_admin"])
    with django_assert_max_num_queries(30):
        response = _dashboard(client, cast["province"])
    assert response.status_code == 200
    counts = {figure["key"]: figure["value"] for figure in response.context["headline"]["counts"]}
    on_time = {"finished_early": counts["finished_early"], "finished_on_time": counts["finished_on_time"]}
    assert counts == {
        "received": 6,
        "finished": 5,
        **on_time,
        "finished_late": 3,
        "pending": 1,
        "pending_overdue": 1,
    }
    assert counts["finished_early"] + counts["finished_on_time"] == 2
    ranking = response.context["ranking"]
    assert {row["unit"].pk for row in ranking} == {
        cast[name].pk for name in ("home_affairs", "justice", "east_ward", "west_commune")
    }
    rates = [row["on_time_rate"] for row in ranking]
    known = [rate for rate in rates if rate is not None]
    assert known == sorted(known, reverse=True) and rates[: len(known)] == known  # no data ranks last
    by_unit = {row["unit"].pk: row for row in ranking}
    assert by_unit[cast["west_commune"].pk]["received"] == 3
    assert by_unit[cast["west_commune"].pk]["finished_late"] == 1
    heat = {
        row["unit"].pk: {cell["field"]: cell["count"] for cell in row["cells"]}
        for row in response.context["heat"]["rows"]
    }
    assert heat[cast["west_commune"].pk]["Hộ tịch"] == 1
    assert heat[cast["justice"].pk]["Hộ tịch"] == 1
    assert heat[cast["east_ward"].pk] == {
        "Chứng thực": 1,
        "Hộ tịch": 0,
    }  # E-2: 4 hours, paused for a supplement
    body = response.content.decode()
    assert 'id="trend-data"' in body and 'id="heat-data"' in body
    assert "vendor/echarts/echarts.min.js" in body


def test_every_figure_opens_the_dossiers_it_counts(client, cast, dossiers):
    client.force_login(cast["reform_admin"])
    units = (cast["province"], cast["west_commune"], cast["east_ward"])
    # A past month (stocks from the rollups) and the current year (stocks counted now).
    for unit, period in [(unit, period) for unit in units for period in (JANUARY, "2026")]:
        response = _dashboard(client, unit, period)
        for figure in response.context["headline"]["counts"]:
            count, _response = _count(client, figure["url"])
            assert count == figure["value"], (unit.name, period, figure["key"])
        for rate in response.context["headline"]["rates"]:
            if rate["part_url"]:
                assert _count(client, rate["part_url"])[0] == rate["part"], rate["key"]
            if rate["whole_url"]:
                assert _count(client, rate["whole_url"])[0] == rate["whole"], rate["key"]
        for row in response.context["ranking"]:
            assert _count(client, row["received_url"])[0] == row["received"]
            assert _count(client, row["late_url"])[0] == row["finished_late"]
            assert _count(client, row["overdue_url"])[0] == row["pending_overdue"]
        for row in response.context["heat"]["rows"]:
            for cell in row["cells"]:
                assert _count(client, cell["url"])[0] == cell["count"]


def test_the_links_on_the_page_lead_to_the_drill_down(client, cast, dossiers):
    client.force_login(cast["reform_admin"])
    body = _dashboard(client, cast["province"]).content.decode()
    links = {link.replace("&amp;", "&") for link in re.findall(r'href="(/onestop/dossiers/\?[^"]+)"', body)}
    measures = {parse_qs(urlparse(link).query)["measure"][0] for link in links}
    assert {
        "received",
        "finished",
        "finished_late",
        "pending",
        "pending_overdue",
        "received_online",
    } <= measures
    late = f"/onestop/dossiers/?unit={cast['province'].pk}&period={JANUARY}&measure=finished_late"
    assert late in links
    response = client.get(late)
    assert {row.code for row in response.context["page"]} == {"W-2", "E-2", "J-1"}
    assert "W-2" in response.content.decode()


def test_dashboard_defaults_to_the_users_top_unit(client, cast, dossiers):
    client.force_login(cast["commune_officer"])
    response = client.get(reverse("onestop:dashboard"), {"period": JANUARY})
    assert response.context["unit"] == cast["west_commune"]
    assert [unit for unit, _indent in response.context["units"]] == [cast["west_commune"]]
    counts = {figure["key"]: figure["value"] for figure in response.context["headline"]["counts"]}
    assert counts["received"] == 3
    body = response.content.decode()
    assert "Sở Tư pháp" not in body and "Phường Đông" not in body


def test_dashboard_refuses_units_out_of_reach_and_survives_bad_input(client, cast, dossiers):
    client.force_login(cast["commune_officer"])
    assert _dashboard(client, cast["province"]).status_code == 404
    assert _dashboard(client, cast["justice"]).status_code == 404
    assert client.get(reverse("onestop:dashboard"), {"unit": "abc"}).status_code == 404
    assert client.get(reverse("onestop:dashboard"), {"unit": "999999"}).status_code == 404
    response = client.get(reverse("onestop:dashboard"), {"period": "2026-13"})
    assert response.status_code == 200
    assert response.context["period_error"] and "2026-13" in response.context["period_error"]


def test_a_user_without_any_role_gets_a_page_not_an_error(client, cast, django_user_model):
    from cchc.accounts import services as account_services

    nobody = account_services.create_user(
        actor=None, username="khong.vai.tro", password="x", full_name="Không Vai Trò"
    )
    client.force_login(nobody)
    for name in ("onestop:dashboard", "onestop:index", "onestop:overdue", "onestop:procedures"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    assert client.get(reverse("onestop:imports")).status_code == 403
    assert client.get(reverse("onestop:dossiers")).status_code == 404


def test_navigation_points_at_the_dashboard(client, cast):
    client.force_login(cast["leader"])
    body = client.get(reverse("web:dashboard")).content.decode()
    assert f'href="{reverse("onestop:dashboard")}"' in body


# -- the drill-down and a dossier -----------------------------------------------------------------


def test_drill_down_is_scoped_and_rejects_bad_parameters(
    client, cast, dossiers, django_assert_max_num_queries
):
    url = reverse("onestop:dossiers")
    client.force_login(cast["commune_officer"])
    west = {"unit": cast["west_commune"].pk, "period": JANUARY}
    with django_assert_max_num_queries(12):
        response = client.get(url, {**west, "measure": "received"})
    assert {row.code for row in response.context["page"]} == {"W-1", "W-2", "W-3"}
    assert client.get(url, {**west, "unit": cast["justice"].pk, "measure": "received"}).status_code == 404
    assert client.get(url, {**west, "unit": cast["province"].pk, "measure": "received"}).status_code == 404
    assert client.get(url, {**west, "unit": "x", "measure": "received"}).status_code == 404
    assert client.get(url, {**west, "measure": "everything"}).status_code == 404
    response = client.get(url, {**west, "period": "last year", "measure": "received"})
    assert response.status_code == 400 and "last year" in response.context["error"]
    response = client.get(url, {**west, "measure": "finished_late", "field": "Hộ tịch"})
    assert [row.code for row in response.context["page"]] == ["W-2"]


def test_dossier_page_shows_its_fields_to_those_who_see_it(client, cast, dossiers):
    supplemented = dossiers["E-2"]
    url = reverse("onestop:dossier", args=[supplemented.pk])
    client.force_login(cast["commune_officer"])
    assert client.get(url).status_code == 404
    client.force_login(cast["leader"])
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "E-2" in body and "CT-01" in body and "12/01/2026 10:00" in body and "13/01/2026 09:00" in body
    late = client.get(reverse("onestop:dossier", args=[dossiers["W-2"].pk])).content.decode()
    assert "09/01/2026 08:00" in late  # the apology letter


# -- the overdue list -----------------------------------------------------------------------------


def test_overdue_list_counts_working_days_and_filters_by_unit(
    client, cast, dossiers, django_assert_max_num_queries
):
    url = reverse("onestop:overdue")
    client.force_login(cast["reform_admin"])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    rows = response.context["rows"]
    assert [row.code for row, _days in rows] == ["E-1"]
    days = rows[0][1]
    assert days > 150  # due at the end of January 2026; today is later in the year
    assert f'data-days="{days}"' in response.content.decode()
    assert client.get(url, {"unit": cast["west_commune"].pk}).context["rows"] == []
    assert len(client.get(url, {"unit": cast["east_ward"].pk}).context["rows"]) == 1
    client.force_login(cast["commune_officer"])
    assert client.get(url).context["rows"] == []
    assert client.get(url, {"unit": cast["east_ward"].pk}).status_code == 404
    assert client.get(url, {"unit": "nope"}).status_code == 404


def test_overdue_days_skip_weekends():
    import datetime

    from django.utils import timezone

    from cchc.onestop.queries.dossiers import working_days_overdue
    from cchc.workdays.calendar import WorkCalendar

    friday = timezone.make_aware(datetime.datetime(2026, 3, 6, 17, 0))
    calendar = WorkCalendar()
    assert working_days_overdue(friday, datetime.date(2026, 3, 6), calendar) == 0
    assert working_days_overdue(friday, datetime.date(2026, 3, 8), calendar) == 0  # Sunday
    assert working_days_overdue(friday, datetime.date(2026, 3, 10), calendar) == 2


# -- procedures -----------------------------------------------------------------------------------


def test_procedures_are_searched_and_filtered(client, cast, procedures, django_assert_max_num_queries):
    url = reverse("onestop:procedures")
    client.force_login(cast["commune_officer"])
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.context["page"].paginator.count == 4

    def codes(**query):
        return sorted(row.code for row in client.get(url, query).context["page"])

    assert codes(q="HT-") == ["HT-01", "HT-02"]
    assert codes(q="khai sinh") == ["HT-01"]
    assert codes(field="Đất đai") == ["DD-01"]
    assert codes(online="full") == ["HT-01"]
    assert codes(online="partial", field="Hộ tịch") == ["HT-02"]
    assert client.get(url, {"online": "level-9"}).status_code == 200


# -- the service index ----------------------------------------------------------------------------


def test_service_index_page(client, cast, dossiers):
    url = reverse("onestop:index")
    client.force_login(cast["reform_admin"])
    response = client.get(url, {"unit": cast["province"].pk, "period": JANUARY})
    assert response.status_code == 200
    report = response.context["report"]
    assert report is not None and report["groups"]
    body = response.content.decode()
    for group in report["groups"]:
        assert f'data-testid="group-{group["code"]}"' in body
        for indicator in group["indicators"]:
            assert f'data-testid="indicator-{indicator["code"]}"' in body
    client.force_login(cast["commune_officer"])
    assert client.get(url, {"unit": cast["province"].pk}).status_code == 404
    assert client.get(url).context["unit"] == cast["west_commune"]


def test_the_dashboard_costs_the_same_queries_whatever_the_number_of_units_below(client, cast, dossiers):
    client.force_login(cast["reform_admin"])
    _dashboard(client, cast["province"])  # warm the caches (calendar, settings) of the first request
    with CaptureQueriesContext(connection) as four:
        first = _dashboard(client, cast["province"])
    for number in range(6):
        unit_services.create_unit(
            actor=None,
            name=f"Xã Thêm {number}",
            type=UnitType.COMMUNE,
            code=f"9903{number}",
            parent=cast["province"],
            kind="Xã",
            valid_from=datetime.date(2025, 7, 1),
        )
    with CaptureQueriesContext(connection) as ten:
        second = _dashboard(client, cast["province"])
    assert (len(first.context["ranking"]), len(second.context["ranking"])) == (4, 10)
    assert len(ten) == len(four)
