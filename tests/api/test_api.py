"""The REST API: token and session sign-in, scoping, filters, errors and the OpenAPI schema."""

import pytest

from cchc.units.services import units as unit_services

pytestmark = pytest.mark.django_db


def names(response):
    return {row["name"] for row in response.json()["results"]}


def test_token_obtained_with_password_opens_the_api(api, cast):
    response = api.post("/api/v1/auth/token/", {"username": "stp.daumoi", "password": "mat-khau-thu-1"})
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    response = api.get("/api/v1/units/")
    assert response.status_code == 200
    assert names(response) == {"Sở Tư pháp", "Phòng Hành chính tư pháp"}


def test_wrong_token_and_no_credentials_are_refused(api, cast):
    assert api.get("/api/v1/units/").status_code in (401, 403)
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = api.get("/api/v1/units/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_units_of_another_unit_are_not_found(api, cast):
    api.force_authenticate(cast["commune_officer"])
    assert api.get(f"/api/v1/units/{cast['justice'].pk}/").status_code == 404
    assert api.get(f"/api/v1/units/{cast['west_commune'].pk}/").status_code == 200


def test_filter_by_type_and_date(api, cast):
    api.force_authenticate(cast["leader"])
    communes = api.get("/api/v1/units/", {"type": "commune"})
    assert names(communes) == {"Phường Đông", "Xã Tây"}
    before_2025 = api.get("/api/v1/units/", {"as_of": "2024-12-31"})
    assert names(before_2025) == set()


def test_a_malformed_date_is_a_clear_400(api, cast):
    api.force_authenticate(cast["leader"])
    response = api.get("/api/v1/units/", {"as_of": "31-12-2024x"})
    assert response.status_code == 400
    assert "as_of" in response.json()


def test_code_filter_follows_code_history(api, cast):
    import datetime

    unit_services.change_code(
        actor=None, unit=cast["east_ward"], new_code="99101", effective=datetime.date(2026, 1, 1)
    )
    api.force_authenticate(cast["leader"])
    old = api.get("/api/v1/units/", {"code": "99001", "as_of": "2025-08-01"})
    new = api.get("/api/v1/units/", {"code": "99101", "as_of": "2026-02-01"})
    assert names(old) == names(new) == {"Phường Đông"}
    assert names(api.get("/api/v1/units/", {"code": "99001", "as_of": "2026-02-01"})) == set()


def test_users_endpoint_lists_people_in_scope_with_roles(api, cast):
    api.force_authenticate(cast["justice_focal"])
    rows = api.get("/api/v1/users/").json()["results"]
    assert [row["username"] for row in rows] == ["stp.daumoi"]
    api.force_authenticate(cast["leader"])
    usernames = {row["username"] for row in api.get("/api/v1/users/").json()["results"]}
    assert {"stp.daumoi", "xatay.canbo", "snv.admin", "lanhdao"} <= usernames


def test_audit_endpoint_is_read_only(api, cast):
    api.force_authenticate(cast["reform_admin"])
    entries = api.get("/api/v1/audit/").json()["results"]
    assert entries
    entry_id = entries[0]["id"]
    assert api.delete(f"/api/v1/audit/{entry_id}/").status_code == 405
    assert api.patch(f"/api/v1/audit/{entry_id}/", {"action": "x"}).status_code == 405


def test_openapi_schema_describes_the_endpoints(api, cast):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/units/" in paths
    assert "/api/v1/users/" in paths
    assert "/api/v1/units/{id}/inheritors/" in paths


def test_inheritors_endpoint(api, cast):
    import datetime

    from cchc.units.models import LineageRelation, UnitType

    old = unit_services.create_unit(
        actor=None,
        name="Xã Cũ",
        type=UnitType.COMMUNE,
        code="99900",
        parent=cast["province"],
        valid_to=datetime.date(2025, 6, 30),
    )
    unit_services.add_lineage(
        actor=None,
        predecessor=old,
        successor=cast["west_commune"],
        relation=LineageRelation.MERGE,
        effective_date=datetime.date(2025, 7, 1),
    )
    api.force_authenticate(cast["leader"])
    rows = api.get(f"/api/v1/units/{old.pk}/inheritors/", {"as_of": "2026-01-01"}).json()
    assert [(row["unit"]["name"], row["share"]) for row in rows] == [("Xã Tây", "1.000000")]
