"""What the API fuzzing (test_fuzz.py) found, each held by a focused test."""

import pytest

from cchc.accounts import services as account_services
from cchc.accounts.models import Role
from cchc.plans.services import plans as plan_services
from tests.conftest import uploaded

pytestmark = pytest.mark.django_db


def response_schema(schema, path, method="get", code="200"):
    content = schema["paths"][path][method]["responses"][code]["content"]["application/json"]["schema"]
    if "$ref" in content:
        content = schema["components"]["schemas"][content["$ref"].rsplit("/", 1)[1]]
    return content


def test_users_list_shows_only_the_roles_held_in_the_callers_scope(api, cast):
    """A person with roles in two communes: the officer of one must not learn of the other role."""
    helper = account_services.create_user(
        actor=None, username="kiemnhiem", password="mat-khau-thu-1", full_name="Vũ Văn Kiêm Nhiệm"
    )
    for unit in (cast["west_commune"], cast["east_ward"]):
        account_services.grant_role(actor=None, user=helper, unit=unit, role=Role.FOCAL_POINT)
    api.force_authenticate(cast["commune_officer"])
    rows = {row["username"]: row for row in api.get("/api/v1/users/").json()["results"]}
    assert [role["unit_name"] for role in rows["kiemnhiem"]["role_assignments"]] == ["Xã Tây"]
    detail = api.get(f"/api/v1/users/{helper.pk}/").json()
    assert [role["unit"] for role in detail["role_assignments"]] == [cast["west_commune"].pk]
    api.force_authenticate(cast["leader"])
    rows = {row["username"]: row for row in api.get("/api/v1/users/").json()["results"]}
    assert len(rows["kiemnhiem"]["role_assignments"]) == 2


def test_dossier_stats_are_described_as_the_figures_they_answer(api, cast, schema):
    """The schema described the stats as a dossier; it is a unit's figures."""
    described = response_schema(schema, "/api/v1/dossiers/stats/")
    api.force_authenticate(cast["leader"])
    answer = api.get("/api/v1/dossiers/stats/", {"period": "2026"}).json()
    assert set(answer) == set(described["properties"])
    assert "on_time_rate" in answer and "code" not in answer


def test_working_day_calculator_is_described_as_one_object(api, cast, schema):
    """The schema described the calculator's answer as a list."""
    described = response_schema(schema, "/api/v1/workdays/calc/")
    assert described.get("type", "object") == "object" and "start_is_working_day" in described["properties"]
    api.force_authenticate(cast["commune_officer"])
    answer = api.get("/api/v1/workdays/calc/", {"start": "2026-01-05", "n": "3"}).json()
    assert isinstance(answer, dict) and answer["result"] == "2026-01-08"


def test_plan_import_answer_is_described_as_what_the_import_did(api, cast, schema):
    """The schema described a workbook import's answer as the plan itself."""
    described = response_schema(schema, "/api/v1/plans/{id}/import/", method="post")
    assert {"created", "updated", "unchanged", "errors"} <= set(described["properties"])
    plan = plan_services.create_plan(
        actor=cast["reform_admin"], issuing_unit=cast["province"], title="Kế hoạch CCHC 2026", year_from=2026
    )
    api.force_authenticate(cast["reform_admin"])
    workbook = b"".join(api.get(f"/api/v1/plans/{plan.pk}/export/").streaming_content)
    answer = api.post(
        f"/api/v1/plans/{plan.pk}/import/", {"file": uploaded("ke-hoach.xlsx", workbook)}, format="multipart"
    )
    assert answer.status_code == 200, answer.content
    assert set(answer.json()) == set(described["properties"])


def test_inheritors_of_an_id_that_is_not_a_number_is_not_found(api, cast):
    """Negative fuzzing sent a path id of stray bytes: Django's get_object_or_404 let the ValueError
    through as a server error; DRF's answers 404 like every other object read."""
    api.force_authenticate(cast["reform_admin"])
    assert api.get("/api/v1/units/%C3%BF%03%26_/inheritors/").status_code == 404
    assert api.get("/api/v1/units/abc/inheritors/").status_code == 404
