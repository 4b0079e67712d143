"""Hostile files at every upload entry point: each is refused with a clear Vietnamese message, in
bounded memory, and writes nothing.

The files are made here, not committed: compression bombs (an XLSX sheet and a DOCX body of 24 MB
in 160 KB, and one whose ZIP directory understates a member), sheets that claim a million rows
and 16,384 columns around one cell, a CSV header of a million columns, a JSON batch a hundred
thousand fields wide, a cell of 10 MB, binary garbage under a spreadsheet's name, Windows-1258 and
UTF-16 text, a macro-enabled workbook renamed, XML nested a hundred thousand deep, formulas and
external links (read as the values saved, never evaluated).

Memory is measured with tracemalloc around each request: what the application allocates in Python
to reach its answer (the request itself included) must stay under MEMORY_BOUND.
"""

import codecs
import io
import re
import tracemalloc
import zipfile
from contextlib import contextmanager
from html import unescape

import docx
import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from pypdf import PdfWriter

from cchc.core import tables, untrusted
from cchc.onestop import services as onestop_services
from cchc.onestop.ingest import reading
from cchc.onestop.models import Dossier, ImportJob, JobStatus
from cchc.parindex.models import CriteriaSet
from cchc.plans import spreadsheet
from cchc.plans.models import Plan, Target, Task
from cchc.surveys.models import Feedback
from cchc.units.models import Unit
from tests.conftest import uploaded
from tests.onestop.conftest import PROCEDURES

pytestmark = pytest.mark.django_db

ROW_LIMIT = 20_000


@pytest.fixture(autouse=True)
def row_limit(settings):
    """The row limit is a setting; a lower one than the default keeps the suite quick (a sheet that
    claims a million rows is read up to it)."""
    settings.CCHC_TABLE_MAX_ROWS = ROW_LIMIT


MEMORY_BOUND = 100 * 2**20
BOMB_BYTES = 24 * 2**20  # unpacks to some 150 times its packed size
# Vietnamese letters no English message has: a refusal shown on the site must contain some.
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


@contextmanager
def bounded_memory():
    tracemalloc.start()
    try:
        yield
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BOUND, f"peak {peak / 2**20:.0f} MB"


def vietnamese(text: str) -> bool:
    return bool(VIETNAMESE.search(text))


# -- making the files ---------------------------------------------------------------------------------


def _workbook(rows, sheet_title="Sheet") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _replace(container: bytes, name: str, write) -> bytes:
    """The ZIP with member `name` written anew by `write(handle)` (streamed: memory stays small)."""
    source = zipfile.ZipFile(io.BytesIO(container))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for member in source.infolist():
            if member.filename != name:
                target.writestr(member, source.read(member.filename))
        with target.open(name, "w", force_zip64=True) as handle:
            write(handle)
    return buffer.getvalue()


def _stream(head: bytes, unit: bytes, size: int, tail: bytes):
    def write(handle):
        handle.write(head)
        block = unit * (2**20 // len(unit))
        for _ in range(size // len(block)):
            handle.write(block)
        handle.write(tail)

    return write


SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"
SHEET = "xl/worksheets/sheet1.xml"


def _xlsx_bomb(title: str) -> bytes:
    """A workbook whose sheet unpacks to 150 times its packed size: 24 MB of one repeated cell."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    return _replace(_workbook([["code"]], title), SHEET, _stream(SHEET_HEAD, row, BOMB_BYTES, SHEET_TAIL))


@pytest.fixture(scope="module")
def xlsx_bomb() -> bytes:
    return _xlsx_bomb("Sheet")


@pytest.fixture(scope="module")
def plan_bomb() -> bytes:
    """The bomb on the sheet of a plan workbook's targets."""
    return _xlsx_bomb("Chỉ tiêu")


def _docx(text="Kế hoạch cải cách hành chính năm 2026") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOC_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><w:document '
    b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
DOC_TAIL = b"</w:body></w:document>"
DOCUMENT = "word/document.xml"


@pytest.fixture(scope="module")
def docx_bomb() -> bytes:
    paragraph = b"<w:p><w:r><w:t>Nhi\xe1\xbb\x87m v\xe1\xbb\xa5</w:t></w:r></w:p>"
    return _replace(_docx(), DOCUMENT, _stream(DOC_HEAD, paragraph, BOMB_BYTES, DOC_TAIL))


def understated(container: bytes, name: str, declared: int) -> bytes:
    """The ZIP with `name`'s inflated size written as `declared` in both of its headers: a lying
    directory, which a check of the declared sizes alone lets through."""
    data = bytearray(container)
    encoded = name.encode()
    local = data.find(b"PK\x03\x04")
    while local >= 0:
        if data[local + 30 : local + 30 + len(encoded)] == encoded:
            data[local + 22 : local + 26] = declared.to_bytes(4, "little")
            break
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        if data[central + 46 : central + 46 + len(encoded)] == encoded:
            data[central + 24 : central + 28] = declared.to_bytes(4, "little")
            break
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def lying_xlsx() -> bytes:
    """A sheet of 40 MB of rows that its ZIP directory says is 1 KB."""
    row = b'<row><c t="inlineStr"><is><t>y</t></is></c></row>'
    source = zipfile.ZipFile(io.BytesIO(_workbook([["code"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for member in source.infolist():
            if member.filename != SHEET:
                target.writestr(member, source.read(member.filename))
        payload = io.BytesIO()
        _stream(SHEET_HEAD, row, 40 * 2**20, SHEET_TAIL)(payload)
        target.writestr(SHEET, payload.getvalue())  # not zip64: sizes sit in the classic fields
    return understated(buffer.getvalue(), SHEET, 1024)


def _inline_row(number: int, names: list[str]) -> bytes:
    cells = "".join(
        f'<c r="{get_column_letter(column)}{number}" t="inlineStr"><is><t>{name}</t></is></c>'
        for column, name in enumerate(names, start=1)
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def claimed_dimension(title: str = "Sheet", header: tuple[str, ...] = ("code", "name")) -> bytes:
    """A header and one cell, in a sheet that states it spans A1:XFD1048576 and numbers its second
    row 1,048,576 (openpyxl fills in every row and column between)."""
    sheet = (
        SHEET_HEAD.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
        + _inline_row(1, list(header))
        + _inline_row(1_048_576, ["x"])
        + SHEET_TAIL
    )
    return _replace(_workbook([["code"]], title), SHEET, lambda handle: handle.write(sheet))


def wide_xlsx() -> bytes:
    """A header of the usual columns and one in column 501 (SG), one more than the limit."""
    sheet = (
        SHEET_HEAD
        + b'<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c>'
        + b'<c r="B1" t="inlineStr"><is><t>name</t></is></c>'
        + b'<c r="SG1" t="inlineStr"><is><t>far</t></is></c></row>'
        + SHEET_TAIL
    )
    return _replace(_workbook([["code"]]), SHEET, lambda handle: handle.write(sheet))


def nested_xlsx(title: str = "Sheet") -> bytes:
    """A sheet whose first cell is a hundred thousand elements deep."""
    depth = 100_000
    sheet = (
        SHEET_HEAD
        + b'<row r="1"><c r="A1" t="inlineStr"><is>'
        + b"<r>" * depth
        + b"</r>" * depth
        + b"</is></c></row>"
        + SHEET_TAIL
    )
    return _replace(_workbook([["code"]], title), SHEET, lambda handle: handle.write(sheet))


def nested_docx() -> bytes:
    depth = 100_000
    body = DOC_HEAD + b"<w:sdt><w:sdtContent>" * depth + b"</w:sdtContent></w:sdt>" * depth + DOC_TAIL
    return _replace(_docx(), DOCUMENT, lambda handle: handle.write(body))


def with_macros(container: bytes, where: str) -> bytes:
    """A macro-enabled file (XLSM or DOCM) saved under the plain name."""
    buffer = io.BytesIO(container)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(f"{where}/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(512))
    return buffer.getvalue()


GARBAGE = bytes(range(256)) * 64
WINDOWS_1258 = codecs.encode("code,name\n99.SLA,Sơn La Cà Mau Đà\n", "cp1258")
UTF16_WITHOUT_BOM = "code,name\n99.SYT,Sở Y tế\n".encode("utf-16-le")


def wide_csv(columns: int = 1_000_000) -> bytes:
    return b",".join(b"c%d" % number for number in range(columns)) + b"\n" + b"1\n"


def long_cell_csv(header: bytes, size: int = 10 * 10**6, fields: int = 2) -> bytes:
    return header + b"\n" + b"X1," + b"a" * size + b"," * (fields - 2) + b"\n"


def many_pages_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=72, height=72)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# -- the one table reader (units, surveys, PAR index) -----------------------------------------------

TABLE_COLUMNS = ["code", "name"]


def _read(content: bytes, name: str):
    with bounded_memory():
        return tables.read_table(content, name, TABLE_COLUMNS)


def _refusal(content: bytes, name: str) -> str:
    records, errors = _read(content, name)
    assert records == [] and len(errors) == 1 and errors[0].row in (None, 1)
    return errors[0].message


HOSTILE_TABLES = {
    "xlsx zip bomb": ("bom.xlsx", "xlsx_bomb", "bom nén"),
    "understated zip directory": ("ngan.xlsx", lying_xlsx, "không phải là tệp XLSX"),
    "sheet claiming a million rows": ("rong.xlsx", claimed_dimension, "dòng"),
    "sheet with a cell in column 501": ("rong.xlsx", wide_xlsx, "cột"),
    "xml nested 100,000 deep": ("sau.xlsx", nested_xlsx, "lồng nhau"),
    "macro-enabled workbook renamed": (
        "macro.xlsx",
        lambda: with_macros(_workbook([["code", "name"]]), "xl"),
        "macro",
    ),
    "binary garbage as xlsx": ("rac.xlsx", lambda: GARBAGE, "không phải là tệp XLSX"),
    "binary garbage as csv": ("rac.csv", lambda: GARBAGE, "CSV UTF-8"),
    "windows-1258 csv": ("vn.csv", lambda: WINDOWS_1258, "CSV UTF-8"),
    "utf-16 csv without bom": ("u16.csv", lambda: UTF16_WITHOUT_BOM, "CSV UTF-8"),
    "csv header of a million columns": ("rong.csv", wide_csv, "cột"),
    "csv cell of 10 MB": ("dai.csv", lambda: long_cell_csv(b"code,name"), "ký tự"),
    "csv of too many rows": ("dai.csv", lambda: b"code,name\n" + b"a,b\n" * (ROW_LIMIT + 1), "dòng"),
}


def _make(maker, request):
    return request.getfixturevalue(maker) if isinstance(maker, str) else maker()


@pytest.mark.parametrize("case", HOSTILE_TABLES, ids=list(HOSTILE_TABLES))
def test_the_table_reader_refuses_each_hostile_file_in_vietnamese(case, request):
    name, maker, words = HOSTILE_TABLES[case]
    content = _make(maker, request)
    with translation.override("vi"):
        message = _refusal(content, name)
    assert words in message and vietnamese(message), message
    assert "\ufffd" not in message


def test_utf16_and_utf8_with_a_bom_are_read_as_the_same_text():
    text = "code,name\n99.SYT,Sở Y tế\n"
    expected = [{"code": "99.SYT", "name": "Sở Y tế", "_row": 2}]
    for content in (
        text.encode("utf-8"),
        codecs.BOM_UTF8 + text.encode("utf-8"),
        codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    ):
        assert _read(content, "don-vi.csv") == (expected, [])


def test_formulas_and_external_links_are_read_as_saved_values_never_evaluated():
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name"])
    sheet.append(["F1", '=HYPERLINK("http://x.example","bấm")'])
    sheet.append(["F2", "='[other.xlsx]Sheet1'!A1"])
    sheet.append(["F3", "=1+1"])
    buffer = io.BytesIO()
    book.save(buffer)
    records, errors = _read(buffer.getvalue(), "cong-thuc.xlsx")
    # openpyxl saves no computed value, and nothing here computes one: the cells are empty.
    assert errors == [] and [record["name"] for record in records] == ["", "", ""]


def test_a_cell_up_to_the_limit_is_kept_whole(settings):
    settings.CCHC_CELL_MAX_CHARS = 50
    content = "code,name\nX1," + "ă" * 50 + "\n"
    records, errors = _read(content.encode(), "du.csv")
    assert errors == [] and records[0]["name"] == "ă" * 50
    records, errors = _read(content.replace("ă" * 50, "ă" * 51).encode(), "du.csv")
    assert records == [] and errors[0].row == 2


def test_zip_limits_come_from_settings(settings):
    content = _workbook([["code", "name"], ["X1", "a" * 5000]])
    untrusted.check_zip(content, kind="XLSX")
    settings.CCHC_ZIP_MAX_INFLATED_BYTES = 1000
    with pytest.raises(untrusted.UntrustedFile):
        untrusted.check_zip(content, kind="XLSX")
    settings.CCHC_ZIP_MAX_INFLATED_BYTES = 10**9
    settings.CCHC_ZIP_MAX_MEMBERS = 3
    with pytest.raises(untrusted.UntrustedFile):
        untrusted.check_zip(content, kind="XLSX")


# -- the web imports that use it ------------------------------------------------------------------


def _page_refusal(response, words: str) -> None:
    body = unescape(response.content.decode())
    assert words in body, body[:2000]


@pytest.mark.parametrize(
    "case",
    [
        "xlsx zip bomb",
        "windows-1258 csv",
        "utf-16 csv without bom",
        "csv cell of 10 MB",
        "macro-enabled workbook renamed",
        "binary garbage as xlsx",
    ],
)
def test_the_units_import_page(case, client, reform_admin, request, settings):
    settings.CCHC_UPLOAD_MAX_BYTES = 20 * 10**6
    name, maker, words = HOSTILE_TABLES[case]
    content = _make(maker, request)
    if case == "csv cell of 10 MB":  # the page takes 5 MB: a long cell within that
        content = long_cell_csv(b"code,name,type,parent_code,valid_from,valid_to", 100_000)
    client.force_login(reform_admin)
    before = Unit.objects.count()
    with bounded_memory():
        response = client.post(reverse("units:import"), {"file": uploaded(name, content)})
    assert response.status_code == 200 and response.context["result"].errors
    _page_refusal(response, words)
    assert Unit.objects.count() == before


@pytest.mark.parametrize(
    "case",
    ["xlsx zip bomb", "windows-1258 csv", "csv header of a million columns", "sheet claiming a million rows"],
)
def test_the_feedback_import_page(case, client, cast, request):
    name, maker, words = HOSTILE_TABLES[case]
    client.force_login(cast["reform_admin"])
    data = {"organiser": cast["province"].pk, "file": uploaded(name, _make(maker, request))}
    with bounded_memory():
        response = client.post(reverse("surveys:feedback-import"), data)
    assert response.status_code == 400
    _page_refusal(response, words)
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize(
    "case", ["xlsx zip bomb", "utf-16 csv without bom", "sheet with a cell in column 501"]
)
def test_the_criteria_import_page(case, client, cast, request):
    name, maker, words = HOSTILE_TABLES[case]
    client.force_login(cast["reform_admin"])
    before = CriteriaSet.objects.count()
    data = {"year": 2031, "unit_type": "agency", "title": "", "file": uploaded(name, _make(maker, request))}
    with bounded_memory():
        response = client.post(reverse("parindex:criteria-import"), data)
    assert response.status_code == 400
    _page_refusal(response, words)
    assert CriteriaSet.objects.count() == before


# -- the plan workbook (API) ------------------------------------------------------------------------


def _plan_rows(plan) -> tuple[int, int]:
    return Target.objects.filter(plan=plan).count(), Task.objects.filter(plan=plan).count()


def _post_workbook(api, plan, content: bytes, name="ke-hoach.xlsx"):
    upload = io.BytesIO(content)
    upload.name = name
    with translation.override("vi"), bounded_memory():
        return api.post(
            f"/api/v1/plans/{plan.pk}/import/",
            {"file": upload},
            format="multipart",
            HTTP_ACCEPT_LANGUAGE="vi",
        )


def test_a_viewer_gets_403_and_the_workbook_is_never_opened(api, cast, draft_plan, plan_bomb, settings):
    """The bomb would break the memory bound if its rows were read, and the limits that refuse it
    are lifted: only the permission, checked first, stands between the viewer and the parser."""
    settings.CCHC_ZIP_MAX_INFLATED_BYTES = settings.CCHC_ZIP_MAX_RATIO = 10**12
    api.force_authenticate(cast["leader"])  # sees the plan, may not change it
    response = _post_workbook(api, draft_plan, plan_bomb)
    assert response.status_code == 403
    assert vietnamese(response.json()["detail"])
    assert _plan_rows(draft_plan) == (0, 0)


PLAN_WORKBOOKS = {
    "xlsx zip bomb": ("plan_bomb", "bom nén"),
    "understated zip directory": (lying_xlsx, "không phải là tệp XLSX"),
    "sheet claiming a million rows": (
        lambda: claimed_dimension("Chỉ tiêu", tuple(spreadsheet.TARGET_COLUMNS)),
        "dòng",
    ),
    "macro-enabled workbook renamed": (lambda: with_macros(_workbook([["code"]], "Chỉ tiêu"), "xl"), "macro"),
    "binary garbage": (lambda: GARBAGE, "không phải là tệp XLSX"),
    "xml nested 100,000 deep": (
        lambda: nested_xlsx("Chỉ tiêu"),
        "lồng nhau",
    ),
}


@pytest.mark.parametrize("case", PLAN_WORKBOOKS, ids=list(PLAN_WORKBOOKS))
def test_the_plan_workbook_api_refuses_hostile_workbooks(case, api, cast, draft_plan, request):
    maker, words = PLAN_WORKBOOKS[case]
    api.force_authenticate(cast["reform_admin"])
    response = _post_workbook(api, draft_plan, _make(maker, request))
    assert response.status_code == 400
    messages = [error["message"] for error in response.json()["errors"]]
    assert any(words in message and vietnamese(message) for message in messages), messages
    assert _plan_rows(draft_plan) == (0, 0)


def test_the_plan_workbook_api_refuses_an_oversized_upload_with_413(api, cast, draft_plan, settings):
    settings.CCHC_UPLOAD_MAX_BYTES = 1000
    api.force_authenticate(cast["reform_admin"])
    response = _post_workbook(api, draft_plan, _workbook([["code"]] * 200))
    assert response.status_code == 413 and vietnamese(response.json()["detail"])
    assert _plan_rows(draft_plan) == (0, 0)


# -- the plan document (web page) ------------------------------------------------------------------

PAGE_LIMIT = 20  # a setting (500 by default); a low one keeps the made PDF small
PLAN_DOCUMENTS = {
    "docx zip bomb": ("ke-hoach.docx", "docx_bomb", "bom nén"),
    "xml nested 100,000 deep": ("ke-hoach.docx", nested_docx, "lồng nhau"),
    "macro-enabled document renamed": ("ke-hoach.docx", lambda: with_macros(_docx(), "word"), "macro"),
    "binary garbage": ("ke-hoach.docx", lambda: GARBAGE, "không phải là tệp DOCX"),
    "pdf of too many pages": ("ke-hoach.pdf", lambda: many_pages_pdf(PAGE_LIMIT + 1), "trang"),
}


@pytest.mark.parametrize("case", PLAN_DOCUMENTS, ids=list(PLAN_DOCUMENTS))
def test_the_plan_document_page_refuses_hostile_documents(case, client, cast, request, settings):
    settings.CCHC_PDF_MAX_PAGES = PAGE_LIMIT
    name, maker, words = PLAN_DOCUMENTS[case]
    client.force_login(cast["reform_admin"])
    data = {
        "issuing_unit": cast["province"].pk,
        "year_from": 2026,
        "file": uploaded(name, _make(maker, request)),
    }
    with bounded_memory():
        response = client.post(reverse("plans:plan-import"), data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("file", []))
    assert words in errors and vietnamese(errors), errors
    assert Plan.objects.count() == 0


# -- the one-stop import (web page and background job; API batches) --------------------------------


@pytest.fixture
def procedures(db):
    result = onestop_services.import_procedures(PROCEDURES, actor=None)
    assert result.applied, result.errors


DOSSIER_HEADER = b"dossier_code,procedure_code,unit_code,received_at,finished_at"
GOOD_DOSSIERS = (
    "dossier_code,procedure_code,unit_code,received_at,finished_at\nSTP-1,HT-01,99.STP,2026-01-05 09:00,\n"
)

ONESTOP_FILES = {
    "csv header of a million columns": ("ho-so.csv", wide_csv, "cột"),
    "csv cell of 10 MB": ("ho-so.csv", lambda: long_cell_csv(DOSSIER_HEADER, fields=5), "ký tự"),
    "windows-1258 csv": (
        "ho-so.csv",
        lambda: codecs.encode(GOOD_DOSSIERS.replace("STP-1", "Sơn-1"), "cp1258"),
        "CSV UTF-8",
    ),
    "utf-16 csv without bom": ("ho-so.csv", lambda: GOOD_DOSSIERS.encode("utf-16-le"), "CSV UTF-8"),
    "binary garbage as csv": ("ho-so.csv", lambda: GARBAGE, "CSV UTF-8"),
    "xlsx zip bomb": ("ho-so.xlsx", "xlsx_bomb", "bom nén"),
    "sheet with a cell in column 501": ("ho-so.xlsx", wide_xlsx, "cột"),
    "macro-enabled workbook renamed": (
        "ho-so.xlsx",
        lambda: with_macros(_workbook([["dossier_code"]]), "xl"),
        "macro",
    ),
    "binary garbage as xlsx": ("ho-so.xlsx", lambda: GARBAGE, "không phải là tệp XLSX"),
}


@pytest.mark.usefixtures("jobs_run_in_process")
@pytest.mark.parametrize("case", ONESTOP_FILES, ids=list(ONESTOP_FILES))
def test_the_onestop_import_fails_the_job_with_a_clear_message(
    case, client, cast, procedures, request, django_capture_on_commit_callbacks
):
    name, maker, words = ONESTOP_FILES[case]
    content = _make(maker, request)
    client.force_login(cast["justice_focal"])
    with bounded_memory(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("onestop:imports"), {"kind": "dossiers", "file": uploaded(name, content)}
        )
    assert response.status_code == 302
    job = ImportJob.objects.get(created_by=cast["justice_focal"])
    assert job.status == JobStatus.FAILED, (job.status, job.message)
    assert words in job.message and vietnamese(job.message), job.message
    assert Dossier.objects.count() == 0


@pytest.mark.usefixtures("jobs_run_in_process")
def test_a_utf16_csv_with_its_mark_is_imported(client, cast, procedures, django_capture_on_commit_callbacks):
    client.force_login(cast["justice_focal"])
    content = codecs.BOM_UTF16_LE + GOOD_DOSSIERS.encode("utf-16-le")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("onestop:imports"), {"kind": "dossiers", "file": uploaded("ho-so.csv", content)})
    job = ImportJob.objects.get(created_by=cast["justice_focal"])
    assert (job.status, job.created) == (JobStatus.DONE, 1)
    assert list(Dossier.objects.values_list("code", flat=True)) == ["STP-1"]


def test_a_wide_json_batch_is_refused_before_any_frame_is_built(api, cast, procedures):
    record = {
        "dossier_code": "B1",
        "procedure_code": "HT-01",
        "unit_code": "99.STP",
        "received_at": "2026-01-05",
    }
    wide = [record, {**record, **{f"k{number}": number for number in range(10_000)}}]
    api.force_authenticate(cast["justice_focal"])
    with translation.override("vi"), bounded_memory():
        response = api.post("/api/v1/dossiers/batch/", wide, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    detail = str(response.json()["detail"])
    assert "trường" in detail and vietnamese(detail), detail
    assert Dossier.objects.count() == 0


def test_many_distinct_keys_across_records_are_refused(api, cast, procedures):
    record = {
        "dossier_code": "B1",
        "procedure_code": "HT-01",
        "unit_code": "99.STP",
        "received_at": "2026-01-05",
    }
    batch = [{**record, "dossier_code": f"B{number}", f"k{number}": 1} for number in range(2000)]
    api.force_authenticate(cast["justice_focal"])
    with translation.override("vi"), bounded_memory():
        response = api.post("/api/v1/dossiers/batch/", batch, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    detail = str(response.json()["detail"])
    assert "cột" in detail and vietnamese(detail), detail
    assert Dossier.objects.count() == 0


def test_a_batch_body_over_the_limit_gets_413_unread(api, cast, procedures, settings):
    settings.CCHC_UPLOAD_MAX_BYTES = 1000
    record = {
        "dossier_code": "B1",
        "procedure_code": "HT-01",
        "unit_code": "99.STP",
        "received_at": "2026-01-05",
    }
    api.force_authenticate(cast["justice_focal"])
    response = api.post("/api/v1/dossiers/batch/", [record] * 50, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 413 and vietnamese(str(response.json()["detail"]))
    assert Dossier.objects.count() == 0


def test_a_one_stop_sheet_numbering_a_row_beyond_the_last_is_refused(tmp_path):
    """The one-stop import reads every row a sheet may hold, and no more: the gap up to the row is
    skipped at a glance, the row itself is refused."""
    sheet = SHEET_HEAD + _inline_row(1, ["dossier_code"]) + _inline_row(1_048_577, ["x"]) + SHEET_TAIL
    path = tmp_path / "ho-so.xlsx"
    path.write_bytes(_replace(_workbook([["code"]]), SHEET, lambda handle: handle.write(sheet)))
    with translation.override("vi"), pytest.raises(reading.UnreadableFile, match="bị hỏng"):
        list(reading.read_batches(path, {}, 1000))


def test_a_request_body_over_djangos_limit_gets_a_page_in_vietnamese(client, reform_admin):
    client.force_login(reform_admin)
    before = Unit.objects.count()
    body = "check_only=" + "x" * (3 * 2**20)  # form fields beyond DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)
    response = client.post(reverse("units:import"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "quá lớn" in response.content.decode()
    assert Unit.objects.count() == before


def test_a_one_stop_json_file_is_bounded_and_must_be_utf8(tmp_path, settings):
    path = tmp_path / "ho-so.json"
    path.write_bytes(b'[{"dossier_code": "' + b"x" * 500 + b'"}]')
    settings.CCHC_ONESTOP_JSON_MAX_BYTES = 100
    with translation.override("vi"), pytest.raises(reading.UnreadableFile, match="CSV"):
        list(reading.read_batches(path, {}, 1000))
    settings.CCHC_ONESTOP_JSON_MAX_BYTES = 10**6
    path.write_bytes(codecs.encode('[{"dossier_code": "Sơn-1"}]', "cp1258"))
    with translation.override("vi"), pytest.raises(reading.UnreadableFile, match="UTF-8"):
        list(reading.read_batches(path, {}, 1000))
