"""Importing a plan document through the pages: upload, review with corrections, confirm.

The document is built here with python-docx: two areas, three targets and a task table naming the
cast's units. Nothing may reach the database before the reviewer confirms, and a refused
confirmation must leave the database as it was and the reviewer's edits on the page.
"""

import datetime
import importlib
import io
import re
from decimal import Decimal
from html import unescape

import docx
import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cchc.accounts import services as account_services
from cchc.accounts.models import Role
from cchc.core.models import AuditEntry
from cchc.plans.models import Plan, PlanArea, PlanStatus, ReformArea, Target, Task
from cchc.plans.views.imports import SESSION_KEY
from tests.conftest import uploaded

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_may_2026")]

UPLOAD = reverse("plans:plan-import")
REVIEW = reverse("plans:plan-import-review")
TASK_HEADER = ["Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm"]
TASKS = [
    [
        "Rà soát quy trình nội bộ giải quyết thủ tục",
        "Sở Tư pháp",
        "Sở Nội vụ",
        "30/6/2026",
        "Báo cáo rà soát",
    ],
    ["Tập huấn ký số cho công chức", "Sở Nội vụ", "Sở Tư pháp, Xã Tây", "Quý III", "Lớp tập huấn"],
    ["Tuyên truyền về cải cách hành chính", "Sở Nội vụ", "", "Thường xuyên", ""],
    # A lead the province does not have and a day February never has: flagged for the reviewer.
    [
        "Khảo sát mức độ hài lòng của người dân",
        "Trung tâm Phục vụ hành chính công",
        "",
        "31/02/2026",
        "Báo cáo",
    ],
]


def plan_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM")
    document.add_paragraph("Số: 45/KH-UBND")
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Cải cách hành chính năm 2026")
    document.add_heading("Cải cách thủ tục hành chính", level=1)
    document.add_paragraph("Tỷ lệ hồ sơ giải quyết đúng hạn đạt tối thiểu 98,5%.")
    document.add_paragraph("Phấn đấu ít nhất 80% hồ sơ được nộp trực tuyến.")
    document.add_heading("Xây dựng và phát triển chính quyền số", level=1)
    document.add_paragraph("Bảo đảm 100% văn bản đi được ký số tại cấp tỉnh và cấp xã.")
    table = document.add_table(rows=1, cols=len(TASK_HEADER))
    for cell, title in zip(table.rows[0].cells, TASK_HEADER, strict=True):
        cell.text = title
    for values in TASKS:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def reform_areas(db):
    """The standard areas the migration ships, put back if a transactional test flushed them."""
    if not ReformArea.objects.exists():
        importlib.import_module("cchc.plans.migrations.0002_reform_areas").load(django_apps, None)


def upload(client, province, content: bytes = b"", name: str = "ke-hoach-2026.docx", **fields):
    data = {"issuing_unit": province.pk, "year_from": 2026, "year_to": "", **fields}
    data["file"] = uploaded(name, content or plan_docx())
    return client.post(UPLOAD, data)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Plan, PlanArea, Target, Task, AuditEntry)}


def section(html: str, testid: str) -> str:
    match = re.search(rf'<section\b[^>]*data-testid="{testid}"[^>]*>(.*?)</section>', html, re.S)
    assert match, f"no section {testid!r} on the page"
    return unescape(match.group(0))


def review_data(response, **changes) -> dict:
    """What the browser would send back for the page as shown, with `changes` (html name: value)."""
    page = response.context["page"]
    data = {}
    for formset in page.formsets:
        for field in formset.management_form:
            data[field.html_name] = field.value()
    for form in page.all_forms():
        for field in form:
            value = field.value()
            if isinstance(value, datetime.date):
                value = value.strftime("%d/%m/%Y")
            if value is True:
                value = "on"
            if value not in (None, False):
                data[field.html_name] = value
    data.update(changes)
    data["confirm"] = "1"
    return {name: value for name, value in data.items() if value is not None}


# -- upload -------------------------------------------------------------------------------------------


def test_the_upload_shows_a_prefilled_draft_and_saves_nothing(reform_client, cast):
    before = counts()
    response = upload(reform_client, cast["province"])
    assert response.status_code == 302 and response["Location"] == REVIEW
    assert counts() == before

    response = reform_client.get(REVIEW)
    html = response.content.decode()
    assert response.status_code == 200
    plan = response.context["page"].plan
    assert plan["title"].value() == "Kế hoạch cải cách hành chính năm 2026"
    assert plan["number"].value() == "45/KH-UBND"
    areas = section(html, "area-row-0")
    assert 'value="Cải cách thủ tục hành chính"' in areas
    assert f'<option value="{ReformArea.objects.get(code="tthc").pk}" selected>' in areas
    first = section(html, "target-row-0")
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn đạt tối thiểu 98,5%" in first
    assert 'value="98,5"' in first
    assert '<option value=">=" selected>' in first and '<option value="%" selected>' in first
    # "cấp tỉnh và cấp xã" becomes the unit types they stand for.
    assert response.context["targets"][2]["form"]["scope_types"].value() == ["agency", "commune"]

    review = section(html, "task-row-0")
    assert f'<option value="{cast["justice"].pk}" selected>Sở Tư pháp</option>' in review
    assert 'value="30/06/2026"' in review and '<option value="date" selected>' in review
    tasks = [row["form"] for row in response.context["tasks"]]
    assert tasks[0]["coordinating_units"].value() == [str(cast["home_affairs"].pk)]
    assert tasks[1]["coordinating_units"].value() == [str(cast["justice"].pk), str(cast["west_commune"].pk)]
    # "Quý III" without a year is a quarter of the plan's first year.
    assert (tasks[1]["deadline_kind"].value(), tasks[1]["deadline"].value()) == (
        "quarter",
        datetime.date(2026, 9, 30),
    )
    assert tasks[2]["deadline_kind"].value() == "recurring"
    assert "flag" not in section(html, "task-row-0")
    assert section(html, "task-row-3").count('data-testid="flag"') == 2
    assert tasks[3]["lead_unit"].value() == "" and tasks[3]["deadline"].value() is None
    assert counts() == before


def test_confirming_with_corrections_creates_the_plan_and_its_audit_trail(reform_client, cast):
    upload(reform_client, cast["province"])
    shown = reform_client.get(REVIEW)
    before = counts()
    data = review_data(shown, **{"targets-0-value": "99", "plan-title": "Kế hoạch CCHC tỉnh năm 2026"})
    del data["targets-1-include"]  # leave the second target out
    del data["tasks-3-include"]  # and the task whose lead is not a unit here
    response = reform_client.post(REVIEW, data)

    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan", args=[plan.pk])
    assert (plan.title, plan.number, plan.status) == (
        "Kế hoạch CCHC tỉnh năm 2026",
        "45/KH-UBND",
        PlanStatus.DRAFT,
    )
    assert (plan.issuing_unit, plan.year_from, plan.year_to) == (cast["province"], 2026, 2026)
    areas = list(plan.areas.order_by("order"))
    assert [area.reform_area.code for area in areas] == ["tthc", "chinh-phu-so"]
    targets = list(plan.targets.order_by("order"))
    assert [(t.comparator, t.value, t.unit) for t in targets] == [
        (">=", Decimal(99), "%"),
        ("=", Decimal(100), "%"),
    ]
    assert targets[0].area == areas[0] and targets[1].scope_types == ["agency", "commune"]
    tasks = list(plan.tasks.order_by("order"))
    assert [(t.lead_unit, t.deadline_kind, t.deadline) for t in tasks] == [
        (cast["justice"], "date", datetime.date(2026, 6, 30)),
        (cast["home_affairs"], "quarter", datetime.date(2026, 9, 30)),
        (cast["home_affairs"], "recurring", None),
    ]
    assert list(tasks[1].coordinating_units.order_by("path")) == [cast["justice"], cast["west_commune"]]
    assert tasks[0].expected_product == "Báo cáo rà soát"
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))[before["AuditEntry"] :]
    parts = ["plan.create"] + ["plan.add_area"] * 2 + ["target.create"] * 2 + ["task.create"] * 3
    assert actions == [*parts, "plan.attach_document"]
    # The draft is gone: the review now sends the user back to the upload.
    assert SESSION_KEY not in reform_client.session
    assert reform_client.get(REVIEW)["Location"] == UPLOAD


def test_a_refused_row_saves_nothing_and_keeps_every_edit(reform_client, cast):
    upload(reform_client, cast["province"])
    shown = reform_client.get(REVIEW)
    before = counts()
    data = review_data(shown, **{"targets-0-value": "120", "targets-1-text": "Chỉ tiêu đã sửa"})
    del data["tasks-3-include"]
    response = reform_client.post(REVIEW, data)

    assert response.status_code == 200 and counts() == before
    html = response.content.decode()
    assert 'data-testid="refused"' in html
    assert "Tỷ lệ phần trăm phải từ 0 đến 100." in section(html, "target-row-0")
    assert 'value="120"' in section(html, "target-row-0")
    assert "Chỉ tiêu đã sửa" in section(html, "target-row-1")
    assert "Tỷ lệ phần trăm" not in section(html, "target-row-1")
    assert SESSION_KEY in reform_client.session  # the draft stays for the next attempt


def test_a_task_without_a_lead_or_with_an_impossible_deadline_waits_until_fixed(reform_client, cast):
    upload(reform_client, cast["province"])
    shown = reform_client.get(REVIEW)
    before = counts()

    response = reform_client.post(REVIEW, review_data(shown))
    row = section(response.content.decode(), "task-row-3")
    assert 'data-testid="error-lead_unit"' in row and 'data-testid="error-deadline_kind"' in row
    assert counts() == before

    fixed = {"tasks-3-lead_unit": cast["justice"].pk, "tasks-3-deadline_kind": "date"}
    response = reform_client.post(REVIEW, review_data(shown, **fixed, **{"tasks-3-deadline": "28/02/2027"}))
    assert 'data-testid="error-deadline"' in section(response.content.decode(), "task-row-3")  # not in 2026
    assert counts() == before

    response = reform_client.post(REVIEW, review_data(shown, **fixed, **{"tasks-3-deadline": "28/02/2026"}))
    assert response.status_code == 302
    assert Task.objects.get(text__startswith="Khảo sát").deadline == datetime.date(2026, 2, 28)


def test_discarding_clears_the_draft_and_saves_nothing(reform_client, cast):
    upload(reform_client, cast["province"])
    before = counts()
    response = reform_client.post(REVIEW, {"discard": "1"})
    assert response["Location"] == UPLOAD and counts() == before
    assert SESSION_KEY not in reform_client.session


def test_the_review_without_a_draft_sends_back_to_the_upload(reform_client):
    response = reform_client.get(REVIEW, follow=True)
    assert response.redirect_chain == [(UPLOAD, 302)]
    assert [str(message) for message in response.context["messages"]]


# -- bad files --------------------------------------------------------------------------------------


def empty_pdf() -> bytes:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    return bytes(pdf.output())


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("chuong-trinh.exe", b"MZ\x90\x00\x03", "không thuộc loại tệp được hỗ trợ"),
        ("ke-hoach-scan.pdf", None, "không có lớp văn bản"),
        ("ke-hoach.docx", b"PK\x03\x04 not really a document", "tệp bị hỏng"),
    ],
)
def test_a_file_that_cannot_be_read_is_explained_in_vietnamese(reform_client, cast, name, content, expected):
    before = counts()
    response = upload(reform_client, cast["province"], content or empty_pdf(), name)
    assert response.status_code == 200
    error = re.search(r'data-testid="error-file">(.*?)</div>', response.content.decode()).group(1)
    assert name in unescape(error) and expected in unescape(error)
    assert counts() == before and SESSION_KEY not in reform_client.session


def test_a_file_over_10_mb_is_refused(reform_client, cast):
    big = b"Ke hoach\n" * (10 * 1024 * 1024 // 9 + 1)
    response = upload(reform_client, cast["province"], big, "ke-hoach.txt")
    with translation.override("vi"):
        expected = gettext("%(file)s is larger than 10 MB.") % {"file": "ke-hoach.txt"}
    assert expected in unescape(response.content.decode())
    assert SESSION_KEY not in reform_client.session


# -- who may import ---------------------------------------------------------------------------------


def test_someone_who_may_not_plan_gets_403(client, cast):
    client.force_login(cast["justice_focal"])
    assert client.get(UPLOAD).status_code == 403
    assert client.get(REVIEW).status_code == 403
    assert upload(client, cast["justice"]).status_code == 403


def test_the_issuing_unit_is_one_the_user_plans_for(client, cast):
    planner = account_services.create_user(
        actor=None, username="stp.kehoach", password="x", full_name="Kế Hoạch"
    )
    account_services.grant_role(actor=None, user=planner, unit=cast["justice"], role=Role.REFORM_OFFICE)
    client.force_login(planner)
    choices = client.get(UPLOAD).context["form"].fields["issuing_unit"].queryset
    assert set(choices) == {cast["justice"], cast["justice_division"]}
    response = upload(client, cast["province"])
    assert response.status_code == 200 and response.context["form"].errors["issuing_unit"]


def test_a_draft_belongs_to_its_session(reform_client, cast):
    upload(reform_client, cast["province"])
    other = Client()
    other.force_login(cast["reform_admin"])
    assert other.get(REVIEW)["Location"] == UPLOAD
    assert reform_client.get(REVIEW).status_code == 200


def test_the_document_waits_in_storage_and_is_attached_on_confirmation(reform_client, cast, settings):
    from pathlib import Path

    upload(reform_client, cast["province"])
    pending = Path(settings.MEDIA_ROOT) / reform_client.session[SESSION_KEY]["pending_file"]
    assert pending.read_bytes() == plan_docx()
    data = review_data(reform_client.get(REVIEW))
    del data["tasks-3-include"]  # the task whose lead is not a unit here
    response = reform_client.post(REVIEW, data)
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert plan.source_document.name.endswith(".docx")
    assert plan.source_document.read() == plan_docx()
    assert not pending.exists()
    assert AuditEntry.objects.filter(action="plan.attach_document").exists()


def test_discarding_deletes_the_waiting_document(reform_client, cast, settings):
    from pathlib import Path

    upload(reform_client, cast["province"])
    pending = Path(settings.MEDIA_ROOT) / reform_client.session[SESSION_KEY]["pending_file"]
    reform_client.post(REVIEW, {"discard": "1"})
    assert not pending.exists()


# -- abbreviations, codes, the document's own name -----------------------------------------------------


def abbreviated_docx(rows: list[list[str]] | None = None) -> bytes:
    """A task table written the way plans usually abbreviate units."""
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Cải cách hành chính năm 2026")
    table = document.add_table(rows=1, cols=len(TASK_HEADER))
    for cell, title in zip(table.rows[0].cells, TASK_HEADER, strict=True):
        cell.text = title
    rows = rows or [
        ["Ban hành kế hoạch kiểm tra", "UBND tỉnh", "Sở NV", "Quý I", "Kế hoạch"],
        ["Rà soát thủ tục cấp xã", "Sở NV", "UBND các xã, phường; Sở TP", "Quý II", "Báo cáo"],
        ["Khảo sát sự hài lòng", "UBND các xã, phường", "", "Quý III", "Báo cáo"],
    ]
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_usual_abbreviations_resolve_to_the_units(reform_client, cast):
    upload(reform_client, cast["province"], content=abbreviated_docx())
    response = reform_client.get(REVIEW)
    tasks = [row["form"] for row in response.context["tasks"]]
    pk = {
        name: str(cast[name].pk)
        for name in ("province", "home_affairs", "justice", "east_ward", "west_commune")
    }
    assert tasks[0]["lead_unit"].value() == pk["province"]  # "UBND tỉnh": the province itself
    assert tasks[0]["coordinating_units"].value() == [pk["home_affairs"]]
    assert tasks[1]["lead_unit"].value() == pk["home_affairs"]
    # "UBND các xã, phường": every commune and ward under the province.
    assert sorted(tasks[1]["coordinating_units"].value()) == sorted(
        [pk["east_ward"], pk["west_commune"], pk["justice"]]
    )
    # As a lead it means several units: the reviewer chooses one.
    assert tasks[2]["lead_unit"].value() == ""
    assert "flag" in section(response.content.decode(), "task-row-2")


def test_the_province_is_not_the_one_unit_whose_name_holds_its_words(reform_client, cast):
    # "UBND tỉnh" matched by words alone would be the only unit whose name holds them, the province's
    # Văn phòng; and "VP UBND tỉnh" is that Văn phòng however its stored name abbreviates.
    from cchc.units.services.units import create_unit

    office = create_unit(
        actor=None,
        name="Văn phòng UBND tỉnh",
        type="agency",
        code="99.VP",
        parent=cast["province"],
        kind="Văn phòng",
        valid_from=datetime.date(2025, 7, 1),
    )
    rows = [
        ["Ban hành kế hoạch kiểm tra", "UBND tỉnh", "VP Ủy ban nhân dân tỉnh", "Quý I", "Kế hoạch"],
        ["Số hóa hồ sơ", "Văn phòng Ủy ban nhân dân tỉnh", "UBND tỉnh", "Quý II", "Báo cáo"],
    ]
    upload(reform_client, cast["province"], content=abbreviated_docx(rows))
    tasks = [row["form"] for row in reform_client.get(REVIEW).context["tasks"]]
    assert tasks[0]["lead_unit"].value() == str(cast["province"].pk)
    assert tasks[0]["coordinating_units"].value() == [str(office.pk)]
    assert tasks[1]["lead_unit"].value() == str(office.pk)
    assert tasks[1]["coordinating_units"].value() == [str(cast["province"].pk)]


def test_imported_targets_get_codes_by_area(reform_client, cast):
    upload(reform_client, cast["province"])
    data = review_data(reform_client.get(REVIEW))
    del data["tasks-3-include"]
    reform_client.post(REVIEW, data)
    plan = Plan.objects.get()
    codes = [(target.code, target.area.order) for target in plan.targets.order_by("order")]
    # Two targets under the first area, one under the second.
    assert codes == [("CT1.1", 0), ("CT1.2", 0), ("CT2.1", 1)]


def test_target_codes_are_stable_and_unique():
    from cchc.plans.views.imports import target_codes

    areas = ["1", "1", None, "2", "1", None]
    assert target_codes(areas) == ["CT1.1", "CT1.2", "CT1", "CT2.1", "CT1.3", "CT2"]
    assert target_codes(areas) == target_codes(list(areas))
    assert len(set(target_codes(areas))) == len(areas)


def test_the_source_document_shows_by_its_own_name(reform_client, cast):
    name = "Kế hoạch CCHC năm 2026 (bản ký).docx"
    upload(reform_client, cast["province"], name=name)
    # Storage keeps it under its own path and a name of its own (no spaces): people see theirs.
    data = review_data(reform_client.get(REVIEW))
    del data["tasks-3-include"]
    reform_client.post(REVIEW, data)
    plan = Plan.objects.get()
    assert plan.source_name == name
    assert plan.source_document.name != name  # the storage path is not what the page shows
    page = reform_client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    link = re.search(r'data-testid="source-document">(.*?)</a>', page, re.S).group(1)
    assert unescape(link).strip().endswith(name)
    download = reform_client.get(reverse("plans:plan-document", args=[plan.pk]))
    assert "Content-Disposition" in download and "2026" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == plan_docx()


def test_the_coordinating_units_can_be_filtered_without_losing_the_plain_select(reform_client, cast):
    upload(reform_client, cast["province"])
    html = reform_client.get(REVIEW).content.decode()
    review = section(html, "task-row-1")
    assert "data-unit-filter" in review
    assert re.search(r'<select name="tasks-1-coordinating_units"[^>]*multiple', review)
    assert re.search(r'<script src="[^"]*plans/unit-filter\.js"', html)


def test_documents_kept_before_their_name_was_recorded_show_their_file_name(reform_client, cast):
    upload(reform_client, cast["province"])
    data = review_data(reform_client.get(REVIEW))
    del data["tasks-3-include"]
    reform_client.post(REVIEW, data)
    Plan.objects.update(source_name="")  # as the plans kept before the column existed
    importlib.import_module("cchc.plans.migrations.0003_source_name").name_existing_documents(
        django_apps, None
    )
    plan = Plan.objects.get()
    assert plan.source_name and "/" not in plan.source_name
    assert plan.source_document.name.endswith("/" + plan.source_name)
