"""The dossier API: batch posting all or nothing and idempotent, scoping of lists and statistics."""

import datetime

import pytest

from cchc.core.models import AuditEntry
from cchc.onestop.models import Dossier
from tests.onestop.conftest import dossier

pytestmark = pytest.mark.django_db


def portal_record(code, unit="99002", **extra):
    """A record in the national portal's field names."""
    return {
        "MaHoSo": code,
        "MaTTHC": "HT-01",
        "MaDonVi": unit,
        "NgayTiepNhan": "05/01/2026 09:00",
        "KenhThucHien": "2",
        "TrangThaiHoSo": "4",
        **extra,
    }


@pytest.mark.parametrize("url", ["/api/v1/dossiers/batch/", "/api/v1/dossiers/batch"])
def test_batch_creates_then_updates_without_duplicates(api, cast, procedures, url):
    api.force_authenticate(cast["commune_officer"])
    response = api.post(url, [portal_record("B1"), portal_record("B2")], format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 2
    again = api.post(
        url,
        {
            "dossiers": [
                portal_record("B1"),
                portal_record("B2", NgayKetThucXuLy="07/01/2026 10:00", TrangThaiHoSo="10"),
            ]
        },
        format="json",
    )
    assert (again.json()["created"], again.json()["updated"], again.json()["unchanged"]) == (0, 1, 1)
    assert Dossier.objects.count() == 2
    finished = Dossier.objects.get(code="B2")
    assert finished.finished_at == datetime.datetime(2026, 1, 7, 3, 0, tzinfo=datetime.UTC)
    assert finished.status == 10
    assert AuditEntry.objects.filter(action="onestop.import_dossiers").count() == 2


def test_batch_with_a_bad_record_saves_nothing_and_lists_every_problem(api, cast, procedures):
    api.force_authenticate(cast["commune_officer"])
    records = [
        portal_record("B1"),
        portal_record("B2", NgayTiepNhan="32/01/2026"),
        portal_record("B3", MaTTHC="NOPE"),
    ]
    response = api.post("/api/v1/dossiers/batch/", records, format="json")
    assert response.status_code == 400
    body = response.json()
    assert {(error["row"], error["column"]) for error in body["errors"]} == {
        (2, "received_at"),
        (3, "procedure_code"),
    }
    assert Dossier.objects.count() == 0


def test_batch_rows_of_units_outside_the_users_reach_are_refused(api, cast, procedures):
    api.force_authenticate(cast["commune_officer"])
    response = api.post("/api/v1/dossiers/batch/", [portal_record("B1", unit="99.STP")], format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["column"] == "unit_code"
    assert Dossier.objects.count() == 0


def test_batch_needs_a_role_that_may_enter_data(api, cast, procedures):
    api.force_authenticate(cast["leader"])
    response = api.post("/api/v1/dossiers/batch/", [portal_record("B1")], format="json")
    assert response.status_code == 403
    api.force_authenticate(None)
    assert api.post("/api/v1/dossiers/batch/", [portal_record("B1")], format="json").status_code in (401, 403)


def test_batch_refuses_a_body_that_is_not_a_list_of_records(api, cast, procedures):
    api.force_authenticate(cast["commune_officer"])
    response = api.post("/api/v1/dossiers/batch/", {"a": 1}, format="json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_dossier_list_and_detail_are_scoped(api, cast, import_dossiers):
    import_dossiers([dossier("W1"), dossier("S1", unit="99.STP")])
    api.force_authenticate(cast["commune_officer"])
    codes = {row["code"] for row in api.get("/api/v1/dossiers/").json()["results"]}
    assert codes == {"W1"}
    other = Dossier.objects.get(code="S1")
    assert api.get(f"/api/v1/dossiers/{other.pk}/").status_code == 404
    api.force_authenticate(cast["leader"])
    assert {row["code"] for row in api.get("/api/v1/dossiers/").json()["results"]} == {"W1", "S1"}


def test_stats_endpoint_reads_a_unit_the_user_may_see(api, cast, import_dossiers):
    import_dossiers([dossier("W1", finished_at="2026-01-06 10:00", channel="online")])
    api.force_authenticate(cast["leader"])
    response = api.get("/api/v1/dossiers/stats/", {"unit": cast["province"].pk, "period": "2026-01"})
    assert response.status_code == 200
    assert response.json()["received"] == 1
    assert response.json()["online_rate"] == 100.0
    api.force_authenticate(cast["commune_officer"])
    assert (
        api.get("/api/v1/dossiers/stats/", {"unit": cast["justice"].pk, "period": "2026-01"}).status_code
        == 404
    )
    assert (
        api.get("/api/v1/dossiers/stats/", {"unit": cast["west_commune"].pk, "period": "2026-13"}).status_code
        == 400
    )


def test_procedures_are_listed_to_signed_in_users(api, cast, procedures):
    assert api.get("/api/v1/procedures/").status_code in (401, 403)
    api.force_authenticate(cast["commune_officer"])
    response = api.get("/api/v1/procedures/", {"online": "full"})
    assert [row["code"] for row in response.json()["results"]] == ["HT-01"]


def test_stats_default_to_the_users_top_unit_and_the_current_year(api, cast, import_dossiers):
    import_dossiers([dossier("W1"), dossier("S1", unit="99.STP")])
    api.force_authenticate(cast["commune_officer"])
    response = api.get("/api/v1/dossiers/stats/")
    assert response.status_code == 200
    assert response.json()["unit"] == cast["west_commune"].pk
    assert response.json()["period"] == str(datetime.date.today().year)
