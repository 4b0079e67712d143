"""The unit import page: administrators upload a file; others are turned away; scope limits what changes."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cchc.core.models import AuditEntry
from cchc.units.models import Unit, UnitType
from cchc.units.services import importing
from cchc.units.services import units as unit_services
from cchc.units.views import imports as import_views
from tests.units.files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = "/units/import/"
GOOD = csv_bytes(
    "99.SYT,Sở Y tế,agency,99,2025-07-01,",
    "99.SYT.KHTC,Phòng Kế hoạch - Tài chính,subunit,99.SYT,2025-07-01,",
)


def upload(client, content, name="units.csv", **fields):
    return client.post(URL, {"file": SimpleUploadedFile(name, content), **fields})


def test_the_urls_have_the_agreed_names():
    assert reverse("units:import") == URL
    assert reverse("units:import-template") == "/units/import/template/"


def test_administrator_sees_the_form_and_the_template_links(client, reform_admin):
    client.force_login(reform_admin)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'enctype="multipart/form-data"' in body and 'type="file"' in body
    assert reverse("units:import-template") in body
    assert response.context["result"] is None


def test_administrator_upload_creates_the_units(client, reform_admin, province):
    client.force_login(reform_admin)
    response = upload(client, GOOD)
    assert response.status_code == 200
    result = response.context["result"]
    assert result.applied and (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert 'data-testid="import-summary"' in response.content.decode()
    health = Unit.objects.get(code="99.SYT")
    assert health.parent == province and Unit.objects.get(code="99.SYT.KHTC").parent == health
    entry = AuditEntry.objects.for_object(health).get()
    assert entry.actor == reform_admin  # changes made on the page carry the user's name


def test_an_xlsx_upload_works_too(client, reform_admin, province):
    client.force_login(reform_admin)
    response = upload(
        client, xlsx_bytes(["99.SYT", "Sở Y tế", "agency", "99", "2025-07-01", None]), "don-vi.xlsx"
    )
    assert response.context["result"].created == 1 and Unit.objects.filter(code="99.SYT").exists()


def test_errors_are_shown_row_by_row_and_nothing_is_saved(client, reform_admin, province):
    client.force_login(reform_admin)
    content = csv_bytes("99.SYT,Sở Y tế,agency,99,2025-07-01,", "99.X,Sở X,department,99,2025-07-01,")
    response = upload(client, content)
    assert response.status_code == 200
    result = response.context["result"]
    assert [(error.row, error.column) for error in result.errors] == [(3, "type")]
    body = response.content.decode()
    assert 'data-testid="import-errors"' in body and "<td>3</td>" in body and "department" in body
    assert not Unit.objects.filter(code="99.SYT").exists()


def test_check_only_saves_nothing(client, reform_admin, province):
    client.force_login(reform_admin)
    response = upload(client, GOOD, check_only="on")
    result = response.context["result"]
    assert result.ok and not result.applied and result.created == 2
    assert not Unit.objects.filter(code="99.SYT").exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("units.txt", b"code,name\n"),
        ("units.ods", b"x"),
        ("units.csv", b"x" * (import_views.MAX_UPLOAD_BYTES + 1)),
    ],
    ids=["text file", "other spreadsheet", "larger than 5 MB"],
)
def test_wrong_or_oversized_files_are_rejected(client, reform_admin, province, name, content):
    client.force_login(reform_admin)
    response = upload(client, content, name)
    assert response.status_code == 200
    assert response.context["result"] is None
    assert response.context["form"].errors["file"]
    assert 'data-testid="file-error"' in response.content.decode()


def test_a_parent_outside_the_administrators_scope_is_refused(client, reform_admin, province):
    other = unit_services.create_unit(actor=None, name="Tỉnh Bên Cạnh", type=UnitType.PROVINCE, code="98")
    client.force_login(reform_admin)
    content = csv_bytes(
        "99.SYT,Sở Y tế,agency,99,2025-07-01,",
        "98.SYT,Sở Y tế tỉnh bên,agency,98,2025-07-01,",
        "97,Tỉnh Mới,province,,2025-07-01,",
        "98,Tỉnh Bên Cạnh (đổi tên),province,,,",
    )
    result = upload(client, content).context["result"]
    assert [(error.row, error.column) for error in result.errors] == [
        (3, "parent_code"),
        (4, "parent_code"),
        (5, "code"),
    ]
    assert "Tỉnh Bên Cạnh" in result.errors[0].message
    assert not Unit.objects.filter(code__in=["99.SYT", "98.SYT", "97"]).exists()
    other.refresh_from_db()
    assert other.name == "Tỉnh Bên Cạnh"


def test_the_command_line_has_no_scope_limit(province):
    unit_services.create_unit(actor=None, name="Tỉnh Bên Cạnh", type=UnitType.PROVINCE, code="98")
    result = importing.import_file(
        csv_bytes("98.SYT,Sở Y tế tỉnh bên,agency,98,2025-07-01,"), "u.csv", actor=None
    )
    assert result.applied and Unit.objects.get(code="98.SYT").parent.code == "98"


def test_unchanged_rows_outside_scope_are_not_errors(client, reform_admin, province):
    unit_services.create_unit(actor=None, name="Tỉnh Bên Cạnh", type=UnitType.PROVINCE, code="98")
    client.force_login(reform_admin)
    result = upload(client, importing.csv_bytes(importing.export_rows())).context["result"]
    assert result.ok and result.unchanged == Unit.objects.count()


@pytest.mark.parametrize("person", ["justice_focal", "commune_officer", "leader"])
def test_people_without_administer_rights_get_403(client, cast, person):
    client.force_login(cast[person])
    assert client.get(URL).status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert client.get(reverse("units:import-template")).status_code == 403
    assert not Unit.objects.filter(code="99.SYT").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (URL, reverse("units:import-template")):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_template_downloads_hold_just_the_header(client, reform_admin):
    client.force_login(reform_admin)
    response = client.get(reverse("units:import-template"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header = "Mã đơn vị,Tên đơn vị,Loại đơn vị,Mã đơn vị cấp trên,Hiệu lực từ ngày,Hiệu lực đến ngày"
    assert response.getvalue().decode("utf-8-sig").strip() == header
    response = client.get(reverse("units:import-template"), {"format": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [header.split(",")]
