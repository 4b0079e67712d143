"""The calendar API: overrides read by anyone signed in and changed by administrators; the calculator."""

import datetime

import pytest
from django.utils import timezone

from cchc.core.models import AuditEntry
from cchc.workdays.calendar import is_working_day
from cchc.workdays.models import CalendarOverride

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_data")]

OVERRIDES = "/api/v1/workdays/overrides/"
CALC = "/api/v1/workdays/calc/"


def snapshot():
    return (
        list(
            CalendarOverride.objects.order_by("pk").values_list(
                "pk", "date", "kind", "name", "legal_basis", "note"
            )
        ),
        AuditEntry.objects.count(),
    )


def test_anyone_signed_in_reads_the_overrides_of_a_year(api, justice_focal):
    api.force_authenticate(justice_focal)
    response = api.get(OVERRIDES, {"year": 2026})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["date"] for row in rows] == ["2026-01-02", "2026-01-10", "2026-08-22"]
    assert rows[2]["kind"] == "working"
    assert rows[2]["legal_basis"] == CalendarOverride.objects.get(date="2026-08-22").legal_basis_id


def test_a_malformed_year_is_a_400(api, justice_focal):
    api.force_authenticate(justice_focal)
    response = api.get(OVERRIDES, {"year": "x"})
    assert response.status_code == 400
    assert "year" in response.json()


def test_a_focal_point_cannot_change_overrides(api, justice_focal):
    api.force_authenticate(justice_focal)
    override = CalendarOverride.objects.get(date="2026-08-22")
    before = snapshot()
    new = {"date": "2026-03-06", "kind": "day_off", "name": "Nghỉ"}
    assert api.post(OVERRIDES, new, format="json").status_code == 403
    assert api.patch(f"{OVERRIDES}{override.pk}/", {"name": "Khác"}, format="json").status_code == 403
    assert api.delete(f"{OVERRIDES}{override.pk}/").status_code == 403
    assert snapshot() == before


def test_an_administrator_creates_through_the_services(api, reform_admin):
    api.force_authenticate(reform_admin)
    response = api.post(
        OVERRIDES,
        {"date": "2026-03-06", "kind": "day_off", "name": "Nghỉ do bão", "reason": "Bão số 3"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["date"] == "2026-03-06"
    override = CalendarOverride.objects.get(date="2026-03-06")
    entry = AuditEntry.objects.for_object(override).get()
    assert (entry.action, entry.reason, entry.actor) == ("calendar_override.create", "Bão số 3", reform_admin)


def test_the_services_refusals_come_back_as_400_and_change_nothing(api, reform_admin):
    api.force_authenticate(reform_admin)
    before = snapshot()
    response = api.post(OVERRIDES, {"date": "2026-03-06", "kind": "working", "name": "Làm"}, format="json")
    assert response.status_code == 400
    assert "Ngày 06/03/2026 vốn đã là ngày làm việc" in response.json()["kind"][0]
    response = api.post(OVERRIDES, {"date": "2026-01-02", "kind": "day_off", "name": "Trùng"}, format="json")
    assert response.status_code == 400
    assert "Ngày 02/01/2026 đã có điều chỉnh" in response.json()["date"][0]
    assert snapshot() == before


def test_an_administrator_updates_and_deletes(api, reform_admin):
    api.force_authenticate(reform_admin)
    override = CalendarOverride.objects.get(date="2026-08-22")
    response = api.patch(f"{OVERRIDES}{override.pk}/", {"name": "Làm bù 31/8"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Làm bù 31/8"
    assert AuditEntry.objects.for_object(override).filter(action="calendar_override.update").count() == 1
    assert api.delete(f"{OVERRIDES}{override.pk}/").status_code == 204
    assert not CalendarOverride.objects.filter(pk=override.pk).exists()


def test_the_calculator_adds_and_counts(api, justice_focal):
    api.force_authenticate(justice_focal)
    assert api.get(CALC, {"start": "2026-02-13", "n": 5}).json() == {
        "start": "2026-02-13", "start_is_working_day": True, "n": 5, "result": "2026-02-27",
    }  # fmt: skip
    assert api.get(CALC, {"start": "2026-02-01", "end": "2026-02-28"}).json() == {
        "start": "2026-02-01", "start_is_working_day": False, "end": "2026-02-28", "working_days": 15,
    }  # fmt: skip
    both = api.get(CALC, {"start": "2025-04-25", "n": 3, "end": "2025-04-30"}).json()
    assert (both["result"], both["working_days"]) == ("2025-04-29", 4)  # 25/4, Saturday 26/4, 28/4, 29/4


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "13/13/2026", "n": 5}, "start"),
        ({"start": "2026-02-13", "n": "five"}, "n"),
        ({"start": "2026-02-13", "n": "-1"}, "n"),
        ({"start": "1980-01-01"}, "detail"),
        ({"start": "2026-02-13", "end": "2026-02-01"}, "detail"),
    ],
)
def test_the_calculator_explains_bad_input(api, justice_focal, query, field):
    api.force_authenticate(justice_focal)
    response = api.get(CALC, query)
    assert response.status_code == 400
    assert field in response.json()


def test_without_parameters_the_calculator_speaks_of_today(api, justice_focal):
    api.force_authenticate(justice_focal)
    today = timezone.localdate()
    answer = api.get(CALC).json()
    assert answer == {"start": today.isoformat(), "start_is_working_day": is_working_day(today)}
    assert api.get(CALC, {"start": "2026-08-22"}).json()["start_is_working_day"] is True


def test_the_calendar_api_needs_a_signed_in_user(api):
    assert api.get(OVERRIDES).status_code in (401, 403)
    assert api.get(CALC, {"start": "2026-02-13", "n": 5}).status_code in (401, 403)


def test_the_endpoints_are_documented(api, justice_focal):
    api.force_authenticate(justice_focal)
    schema = api.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/workdays/overrides/" in schema["paths"]
    calc = schema["paths"]["/api/v1/workdays/calc/"]["get"]
    assert {parameter["name"] for parameter in calc["parameters"]} >= {"start", "n", "end"}


def test_dates_in_the_api_are_iso(api, justice_focal):
    api.force_authenticate(justice_focal)
    row = api.get(OVERRIDES, {"year": 2025}).json()["results"][0]
    assert datetime.date.fromisoformat(row["date"]) == datetime.date(2025, 4, 26)
