"""Regression tests of the review of the one-stop module: each test names the defect it proves fixed."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from cchc.accounts import services as account_services
from cchc.accounts.models import Role
from cchc.core import metrics
from cchc.core.periods import Period
from cchc.onestop.models import Dossier
from cchc.onestop.services.official import import_official_scores, parse_score
from cchc.units.models import LineageRelation, UnitType
from cchc.units.services import units as unit_services
from tests.onestop.conftest import dossier

pytestmark = pytest.mark.django_db

PAGES = ["onestop:dashboard", "onestop:dossiers", "onestop:index", "onestop:overdue"]


@pytest.fixture
def some_dossiers(cast, import_dossiers):
    result = import_dossiers(
        [
            dossier("W-1", finished_at="2026-01-08 10:00", status="10"),
            dossier("J-1", unit="99.STP", procedure="HT-02", received="2026-01-12 09:00"),
        ]
    )
    assert result.applied, result.errors
    return result


# -- 1. years outside the calendar broke the date arithmetic (500) ----------------------------------


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("period", ["9999", "9999-12", "0001", "1000-01"])
def test_pages_refuse_a_period_outside_the_calendar_without_failing(
    client, cast, some_dossiers, name, period
):
    client.force_login(cast["reform_admin"])
    response = client.get(reverse(name), {"period": period, "unit": cast["province"].pk})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("period", ["9999", "9999-12", "0001"])
def test_api_stats_refuses_a_period_outside_the_calendar(cast, some_dossiers, period, api):
    api.force_authenticate(cast["reform_admin"])
    response = api.get("/api/v1/dossiers/stats/", {"period": period, "unit": cast["province"].pk})
    assert response.status_code == 400


# -- 2. ?unit=² passed isdigit() and failed in int() ------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("unit", ["²", "٣x", "-1", "1.5"])
def test_pages_answer_404_to_a_unit_that_is_no_number(client, cast, some_dossiers, name, unit):
    client.force_login(cast["reform_admin"])
    assert client.get(reverse(name), {"unit": unit, "period": "2026-01"}).status_code == 404


# -- 3. an importer could take over another unit's dossier by sending its code ---------------------


def test_import_cannot_move_or_rewrite_a_dossier_of_a_unit_out_of_reach(cast, some_dossiers, import_dossiers):
    before = Dossier.objects.get(code="J-1")
    with translation.override("en"):
        result = import_dossiers(
            [dossier("W-2"), dossier("J-1", finished_at="2026-01-13 10:00", status="10")],
            actor=cast["commune_officer"],
        )
    assert not result.applied
    assert result.errors == [
        (
            2,
            "dossier_code",
            "The dossier code J-1 cannot be accepted from you: check that it is the code your unit gave "
            "this dossier.",
        )
    ]
    after = Dossier.objects.get(code="J-1")
    assert (after.unit_id, after.finished_at) == (before.unit_id, None)
    assert not Dossier.objects.filter(code="W-2").exists()
    # Their own dossiers they still update.
    assert (
        import_dossiers(
            [dossier("W-1", finished_at="2026-01-09 10:00", status="10")], actor=cast["commune_officer"]
        ).updated
        == 1
    )


def test_api_batch_cannot_take_over_a_dossier_of_another_unit(cast, some_dossiers, api):
    api.force_authenticate(cast["commune_officer"])
    response = api.post("/api/v1/dossiers/batch/", [dossier("J-1", procedure="HT-02")], format="json")
    assert response.status_code == 400
    assert Dossier.objects.get(code="J-1").unit == cast["justice"]


# -- 4. the command read a reused unit code as whichever unit came first ---------------------------


def test_command_stats_and_index_read_the_unit_that_held_the_code_in_the_period(cast, import_dossiers, api):
    unit_services.create_unit(
        actor=None,
        name="Xã Cũ",
        type=UnitType.COMMUNE,
        code="99777",
        parent=cast["province"],
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2025, 6, 30),
    )
    new = unit_services.create_unit(
        actor=None,
        name="Xã Mới",
        type=UnitType.COMMUNE,
        code="99777",
        parent=cast["province"],
        valid_from=datetime.date(2025, 7, 1),
    )
    assert import_dossiers([dossier("N-1", unit="99777")]).applied
    out = io.StringIO()
    call_command("onestop", "stats", "--unit", "99777", "--period", "2026-01", "--json", stdout=out)
    api.force_authenticate(cast["reform_admin"])
    from_api = api.get("/api/v1/dossiers/stats/", {"unit": new.pk, "period": "2026-01"}).json()
    data = json.loads(out.getvalue())
    assert data["received"] == from_api["received"] == 1
    out = io.StringIO()
    call_command("onestop", "index", "--unit", "99777", "--period", "2026-01", "--json", stdout=out)
    report = json.loads(out.getvalue())
    tdgq = next(group for group in report["groups"] if group["code"] == "TDGQ")
    assert tdgq["indicators"][0]["denominator"] == 1


# -- 5. the API's default unit could be a dissolved predecessor, unlike the dashboard's -------------


def test_api_stats_default_unit_is_the_dashboards(cast, procedures, api, client):
    old = unit_services.create_unit(
        actor=None,
        name="Xã Cũ",
        type=UnitType.COMMUNE,
        code="99555",
        parent=cast["province"],
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2025, 6, 30),
    )
    new = unit_services.create_unit(
        actor=None,
        name="Xã Mới",
        type=UnitType.COMMUNE,
        code="99556",
        parent=cast["province"],
        valid_from=datetime.date(2025, 7, 1),
    )
    unit_services.add_lineage(
        actor=None,
        predecessor=old,
        successor=new,
        relation=LineageRelation.values[0],
        effective_date=datetime.date(2025, 7, 1),
    )
    user = account_services.create_user(
        actor=None, username="xamoi", password="mat-khau-thu-1", full_name="X"
    )
    account_services.grant_role(actor=None, user=user, unit=new, role=Role.FOCAL_POINT)
    api.force_authenticate(user)
    from_api = api.get("/api/v1/dossiers/stats/", {"period": "2026"}).json()
    api.logout()
    client.force_login(user)
    page = client.get(reverse("onestop:dashboard"), {"period": "2026"})
    assert from_api["unit"] == page.context["unit"].pk == new.pk


# -- 6. a batch without the required fields was answered 403 Forbidden ----------------------------


def test_api_batch_without_required_fields_is_a_bad_request_not_forbidden(cast, procedures, api):
    api.force_authenticate(cast["commune_officer"])
    response = api.post("/api/v1/dossiers/batch/", [{"MaHoSo": "X"}], format="json")
    assert response.status_code == 400
    assert not Dossier.objects.exists()
    api.force_authenticate(cast["leader"])  # may view, may not enter
    assert api.post("/api/v1/dossiers/batch/", [{"MaHoSo": "X"}], format="json").status_code == 403


# -- 7. an official score of 1e999999 raised decimal.InvalidOperation ------------------------------


def test_official_score_with_a_huge_exponent_is_a_row_error(cast, tmp_path):
    with pytest.raises(ValueError):
        parse_score("1e999999")
    path = tmp_path / "scores.csv"
    path.write_text("unit_code,period,code,score\n99,2026,TOTAL,1e999999\n", encoding="utf-8")
    result = import_official_scores(path, actor=None)
    assert not result.applied and result.errors[0][:2] == (1 + 1, "score")


# -- 8. count metrics said 0 for a unit without any data ------------------------------------------


def test_count_metrics_are_none_without_dossiers(cast, some_dossiers):
    empty = Period.parse("2025-08")
    for key in ("onestop.received", "onestop.finished_late", "onestop.pending_overdue"):
        assert metrics.get(key).compute(cast["province"], empty) is None
        assert metrics.get(key).compute(cast["east_ward"], Period.parse("2026-01")) is None
    assert metrics.get("onestop.received").compute(cast["province"], Period.parse("2026-01")).value == 2
    assert metrics.get("onestop.finished_late").compute(cast["province"], Period.parse("2026-01")).value == 0


def test_dates_outside_the_calendar_years_are_row_errors_not_crashes(import_dossiers, cast):
    from django.utils import translation

    from cchc.onestop.models import Dossier
    from tests.onestop.conftest import dossier

    with translation.override("en"):
        result = import_dossiers(
            [dossier("FAR", due_at="9999-12-31"), dossier("OLD", received="1990-01-05 09:00")]
        )
    assert not result.applied
    calendar = {(row, column) for row, column, message in result.errors if "calendar" in message}
    assert calendar == {(1, "due_at"), (2, "received_at")}
    assert not Dossier.objects.exists()


def test_a_procedure_field_too_long_for_its_column_is_a_row_error(db):
    from cchc.onestop import services
    from cchc.onestop.models import Procedure
    from tests.onestop.conftest import PROCEDURES

    rows = [dict(PROCEDURES[0], field="x" * 256)]
    result = services.import_procedures(rows, actor=None)
    assert [(row, column) for row, column, _message in result.errors] == [(1, "field")]
    assert not Procedure.objects.exists()
