"""The plans API and the XLSX workbook: scoping, writes through services, round trips."""

import io

import pytest
from openpyxl import load_workbook

from cchc.plans import spreadsheet
from cchc.plans.models import DeadlineKind, Measurement, Target, Task
from cchc.plans.services import plans as plan_services

pytestmark = pytest.mark.django_db


def test_plans_are_listed_within_scope(api, province_plan, cast):
    own = plan_services.cascade_plan(actor=cast["justice_focal"], parent=province_plan, unit=cast["justice"])
    api.force_authenticate(cast["commune_officer"])
    ids = [row["id"] for row in api.get("/api/v1/plans/").json()["results"]]
    assert ids == [province_plan.pk]
    assert api.get(f"/api/v1/plans/{own.pk}/").status_code == 404
    assert api.get("/api/v1/tasks/", {"plan": own.pk}).json()["results"] == []


def test_a_measurement_posted_by_the_unit_counts(api, province_plan, cast):
    target = province_plan.targets.get(code="CT1")
    api.force_authenticate(cast["justice_focal"])
    body = {
        "target": target.pk,
        "unit": cast["justice"].pk,
        "period": "2026",
        "numerator": "197",
        "denominator": "200",
    }
    assert api.post("/api/v1/measurements/", body).status_code == 201
    reading = api.get(
        f"/api/v1/targets/{target.pk}/reading/", {"unit": cast["justice"].pk, "period": "2026"}
    ).json()
    assert reading["value"] == "98.50" and reading["state"] == "met"


def test_refusals_are_clear_and_change_nothing(api, province_plan, cast):
    target = province_plan.targets.get(code="CT1")
    api.force_authenticate(cast["commune_officer"])
    body = {
        "target": target.pk,
        "unit": cast["justice"].pk,
        "period": "2026",
        "numerator": "1",
        "denominator": "2",
    }
    assert api.post("/api/v1/measurements/", body).status_code == 403
    api.force_authenticate(cast["justice_focal"])
    body["period"] = "2026-Q9"
    response = api.post("/api/v1/measurements/", body)
    assert response.status_code == 400 and "period" in response.json()
    assert not Measurement.objects.exists()
    response = api.get(f"/api/v1/targets/{target.pk}/reading/", {"period": "năm nay"})
    assert response.status_code == 400


def test_progress_and_review_through_the_api(api, province_plan, cast):
    task = province_plan.tasks.get(lead_unit=cast["justice"])
    api.force_authenticate(cast["justice_focal"])
    response = api.post(
        "/api/v1/task-updates/", {"task": task.pk, "status": "done", "progress": 100, "narrative": "Xong"}
    )
    assert response.status_code == 201
    update_id = response.json()["id"]
    assert api.post(f"/api/v1/task-updates/{update_id}/review/", {"accept": True}).status_code == 403
    api.force_authenticate(cast["reform_admin"])
    assert (
        api.post(f"/api/v1/task-updates/{update_id}/review/", {"accept": True}).json()["state"] == "accepted"
    )
    task.refresh_from_db()
    assert task.status == "done"


def test_cascade_and_issue_through_the_api(api, province_plan, cast):
    api.force_authenticate(cast["commune_officer"])
    response = api.post(f"/api/v1/plans/{province_plan.pk}/cascade/", {"unit": cast["west_commune"].pk})
    assert response.status_code == 201
    own = response.json()["id"]
    response = api.post(f"/api/v1/plans/{own}/issue/", {"number": "3/KH-UBND", "issued_on": "2026-01-15"})
    assert response.json()["status"] == "issued"
    response = api.post(
        f"/api/v1/plans/{province_plan.pk}/issue/", {"number": "x", "issued_on": "2026-01-15"}
    )
    assert response.status_code == 403


def test_workbook_round_trip_changes_nothing(province_plan, cast):
    content = spreadsheet.export_plan(province_plan)
    sheets = load_workbook(io.BytesIO(content))
    assert sheets.sheetnames == ["Chỉ tiêu", "Nhiệm vụ"]
    assert [cell.value for cell in sheets["Chỉ tiêu"][1]][:6] == [
        "Mã",
        "Lĩnh vực",
        "Chỉ tiêu",
        "Nội dung đo lường",
        "So sánh",
        "Giá trị chỉ tiêu",
    ]
    assert sheets["Chỉ tiêu"]["E2"].value == "≥" and sheets["Chỉ tiêu"]["F2"].value == 98.5
    tasks = sheets["Nhiệm vụ"]
    assert tasks["F1"].value == "Loại thời hạn" and tasks["F2"].value in {
        str(label) for label in DeadlineKind.labels
    }
    result = spreadsheet.import_plan(actor=cast["reform_admin"], plan=province_plan, content=content)
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 6)


def test_workbook_import_creates_updates_and_refuses_bad_rows_whole(province_plan, cast):
    sheets = load_workbook(io.BytesIO(spreadsheet.export_plan(province_plan)))
    sheets["Chỉ tiêu"]["F2"] = 99
    sheets["Chỉ tiêu"].append(
        [
            "CT9",
            "Cải cách thủ tục hành chính",
            "Trên 30% hồ sơ trực tuyến",
            "",
            ">",
            30,
            "%",
            "",
            "manual",
            None,
        ]
    )
    good = io.BytesIO()
    sheets.save(good)
    sheets["Nhiệm vụ"].append(["NV9", "", "Nhiệm vụ lỗi", "KHONG-CO", "", "date", "2026-13-01", ""])
    bad = io.BytesIO()
    sheets.save(bad)
    result = spreadsheet.import_plan(actor=cast["reform_admin"], plan=province_plan, content=bad.getvalue())
    assert not result.ok and [row for _sheet, row, _c, _m in result.errors] == [5]
    assert Target.objects.filter(plan=province_plan).count() == 3
    assert province_plan.targets.get(code="CT1").value == 98.5
    result = spreadsheet.import_plan(actor=cast["reform_admin"], plan=province_plan, content=good.getvalue())
    assert result.ok and (result.created, result.updated) == (1, 1)
    # The new row was written with stored values (">", "%", "manual"), the exported ones with names.
    assert province_plan.targets.get(code="CT9").comparator == ">"
    assert province_plan.targets.get(code="CT1").value == 99
    assert Task.objects.filter(plan=province_plan).count() == 3


def test_a_workbook_with_machine_headers_still_imports(province_plan, cast):
    """Files made before the headings were Vietnamese carry the column names: they import alike."""
    sheets = load_workbook(io.BytesIO(spreadsheet.export_plan(province_plan)))
    for sheet, columns in (
        (sheets["Chỉ tiêu"], spreadsheet.TARGET_COLUMNS),
        (sheets["Nhiệm vụ"], spreadsheet.TASK_COLUMNS),
    ):
        for number, column in enumerate(columns, start=1):
            sheet.cell(row=1, column=number, value=column)
    lead = cast["justice"].code
    sheets["Nhiệm vụ"].append(
        ["NV9", "", "Nhiệm vụ mới", lead, "", "year", "2026-12-31", ""]
    )  # stored values
    content = io.BytesIO()
    sheets.save(content)
    result = spreadsheet.import_plan(
        actor=cast["reform_admin"], plan=province_plan, content=content.getvalue()
    )
    assert result.ok and (result.created, result.updated, result.unchanged) == (1, 0, 6), result.errors
    assert province_plan.tasks.get(code="NV9").deadline_kind == DeadlineKind.YEAR


def test_import_by_someone_without_rights_writes_nothing(province_plan, cast):
    content = spreadsheet.export_plan(province_plan)
    sheets = load_workbook(io.BytesIO(content))
    sheets["Chỉ tiêu"]["F2"] = 50
    changed = io.BytesIO()
    sheets.save(changed)
    result = spreadsheet.import_plan(
        actor=cast["justice_focal"], plan=province_plan, content=changed.getvalue()
    )
    assert not result.ok
    assert province_plan.targets.get(code="CT1").value == 98.5
    assert not spreadsheet.import_plan(
        actor=cast["reform_admin"], plan=province_plan, content=b"not a workbook"
    ).ok


def test_workbook_export_and_import_endpoints(api, province_plan, cast):
    api.force_authenticate(cast["reform_admin"])
    response = api.get(f"/api/v1/plans/{province_plan.pk}/export/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    upload = io.BytesIO(response.getvalue())
    upload.name = "ke-hoach.xlsx"
    response = api.post(f"/api/v1/plans/{province_plan.pk}/import/", {"file": upload}, format="multipart")
    assert response.status_code == 200 and response.json()["unchanged"] == 6


def test_unit_values_through_the_api(api, province_plan, cast):
    target = province_plan.targets.get(code="CT1")
    api.force_authenticate(cast["reform_admin"])
    url = f"/api/v1/targets/{target.pk}/unit-value/"
    response = api.post(url, {"unit": cast["west_commune"].pk, "value": "95"})
    assert response.json()["unit_values"] == [{"unit": cast["west_commune"].pk, "value": "95.000"}]
    assert api.post(url, {"unit": cast["west_commune"].pk, "value": "150"}).status_code == 400
    api.force_authenticate(cast["justice_focal"])
    assert api.post(url, {"unit": cast["justice"].pk, "value": "90"}).status_code == 403


def test_the_plan_page_offers_the_workbook(client, province_plan, cast):
    client.force_login(cast["commune_officer"])
    page = client.get(f"/plans/{province_plan.pk}/").content.decode()
    assert f'href="/api/v1/plans/{province_plan.pk}/export/"' in page
    response = client.get(f"/api/v1/plans/{province_plan.pk}/export/")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.getvalue())).sheetnames == ["Chỉ tiêu", "Nhiệm vụ"]


def test_a_workbook_number_too_large_is_a_row_error(province_plan, cast):
    sheets = load_workbook(io.BytesIO(spreadsheet.export_plan(province_plan)))
    sheets["Chỉ tiêu"]["F2"] = "1e30"
    changed = io.BytesIO()
    sheets.save(changed)
    result = spreadsheet.import_plan(
        actor=cast["reform_admin"], plan=province_plan, content=changed.getvalue()
    )
    assert [(sheet, row) for sheet, row, _column, _message in result.errors] == [("Chỉ tiêu", 2)]
    assert province_plan.targets.get(code="CT1").value == 98.5


def test_exported_text_never_becomes_a_formula(province_plan):
    task = province_plan.tasks.order_by("order", "id").first()
    Task.objects.filter(pk=task.pk).update(text='=HYPERLINK("http://x.example","bấm")')
    sheet = load_workbook(io.BytesIO(spreadsheet.export_plan(province_plan)))["Nhiệm vụ"]
    cell = sheet.cell(row=2, column=3)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x.example","bấm")', "s")
