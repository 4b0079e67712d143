"""A year, period, date or id given in the address that is out of range (0, 23 digits, year 0000)
is answered with 400 and a message, or the page with its message, never with a server error."""

import pytest
from django.urls import reverse

from cchc.plans.services import plans as plan_services
from tests.plans.conftest import province_plan  # noqa: F401 (a fixture)

HUGE = "1" * 23


@pytest.mark.parametrize("year", ["0", HUGE, "99999", "1994", "2101"])
def test_overrides_refuse_a_year_outside_the_calendar(api, reform_admin, year):
    api.force_authenticate(reform_admin)
    response = api.get("/api/v1/workdays/overrides/", {"year": year})
    assert response.status_code == 400
    assert "1995" in str(response.json()["year"])


def test_overrides_of_a_year_in_the_calendar_are_listed(api, reform_admin):
    api.force_authenticate(reform_admin)
    assert api.get("/api/v1/workdays/overrides/", {"year": "2026"}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"start": "0000-01-01"},
        {"start": "9999-12-31", "n": "5"},
        {"n": HUGE},
        {"start": "2026-01-05", "end": "9999-12-31"},
    ],
)
def test_working_day_sums_refuse_what_the_calendar_does_not_cover(api, reform_admin, query):
    api.force_authenticate(reform_admin)
    assert api.get("/api/v1/workdays/calc/", query).status_code == 400


@pytest.mark.parametrize(
    "query",
    [{"period": "0000"}, {"period": "9999"}, {"unit": HUGE}, {"unit": "-1"}, {"period": HUGE}],
)
def test_dossier_stats_refuse_bad_periods_and_units(api, reform_admin, query):
    api.force_authenticate(reform_admin)
    assert api.get("/api/v1/dossiers/stats/", query).status_code in (400, 404)


@pytest.mark.parametrize("query", [{"period": "0000"}, {"unit": HUGE}])
def test_a_target_reading_refuses_bad_periods_and_units(api, cast, query):
    plan = plan_services.create_plan(
        actor=cast["reform_admin"], issuing_unit=cast["province"], title="Kế hoạch", year_from=2026
    )
    target = plan_services.add_target(actor=None, plan=plan, text="Chỉ tiêu", comparator=">=", value=90)
    api.force_authenticate(cast["reform_admin"])
    assert api.get(f"/api/v1/targets/{target.pk}/reading/", query).status_code in (400, 404)


@pytest.mark.parametrize("as_of", ["0000-01-01", "31/12/99999", HUGE])
def test_units_as_of_refuses_dates_out_of_range(api, reform_admin, as_of):
    api.force_authenticate(reform_admin)
    assert api.get("/api/v1/units/", {"as_of": as_of}).status_code == 400


PAGES = [
    ("workdays:calendar", {"year": "0"}),
    ("workdays:calendar", {"year": HUGE}),
    ("workdays:calendar", {"edit": HUGE}),
    ("workdays:calendar", {"start": "0000-01-01", "n": HUGE}),
    ("workdays:calendar", {"first": "01/01/0001", "last": "31/12/9999"}),
    ("plans:inspection-plans", {"year": HUGE}),
    ("onestop:dashboard", {"period": "0000"}),
    ("onestop:dashboard", {"period": HUGE}),
    ("surveys:feedback-stats", {"period": "0000"}),
    ("surveys:feedback-stats", {"period": HUGE}),
    ("units:tree", {"on": "0000-01-01"}),
    ("units:tree", {"on": HUGE}),
]


@pytest.mark.parametrize(("name", "query"), PAGES)
def test_pages_answer_bad_years_and_dates_without_a_server_error(client, reform_admin, name, query):
    client.force_login(reform_admin)
    assert client.get(reverse(name), query).status_code in (200, 400)


@pytest.mark.parametrize("period", ["0000", "9999", "9999-12", "0001-Q1", HUGE])
@pytest.mark.parametrize("name", ["plans:plan", "plans:plan-dashboard"])
def test_plan_pages_answer_any_period_without_a_server_error(client, cast, name, period):
    plan = plan_services.create_plan(
        actor=cast["reform_admin"], issuing_unit=cast["province"], title="Kế hoạch", year_from=2026
    )
    client.force_login(cast["reform_admin"])
    assert client.get(reverse(name, args=[plan.pk]), {"period": period}).status_code in (200, 400)


@pytest.mark.parametrize("period", ["0001", "9999", "9999-12"])
def test_target_pages_answer_any_period_without_a_server_error(client, cast, province_plan, period):  # noqa: F811
    client.force_login(cast["reform_admin"])
    for target in province_plan.targets.all():
        assert client.get(reverse("plans:target", args=[target.pk]), {"period": period}).status_code in (
            200,
            400,
        )
    assert client.get(
        reverse("plans:plan-dashboard", args=[province_plan.pk]), {"period": period}
    ).status_code in (
        200,
        400,
    )
