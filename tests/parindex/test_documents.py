"""The results workbook and the decision's annex, downloaded through their pages and read back."""

import io
from decimal import ROUND_HALF_UP, Decimal

import docx
import openpyxl
import pytest
from django.urls import reverse

from cchc.kit import wording
from cchc.parindex import documents
from cchc.parindex.models import Phase, Result
from tests.parindex.test_result_pages import last_year, this_year

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")
AREA_COLUMNS = ["A. Chỉ đạo điều hành", "B. Thủ tục hành chính", "C. Khảo sát sự hài lòng"]


@pytest.fixture
def published(cast):
    last_year(cast)
    return this_year(cast)


def download(client, user, name, campaign):
    client.force_login(user)
    response = client.get(reverse(f"parindex:{name}", args=[campaign.pk]))
    assert response.status_code == 200
    return response


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def _results(campaign, unit_type):
    return list(Result.objects.filter(campaign=campaign, unit_type=unit_type).select_related("unit"))


def _shown(value):
    return value.quantize(CENT, ROUND_HALF_UP)


# -- the workbook ---------------------------------------------------------------------------------


@pytest.fixture
def workbook(client, cast, published):
    response = download(client, cast["leader"], "results-xlsx", published)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "ket-qua-chi-so-cchc-2026.xlsx" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(body(response)))


def _sheet_rows(sheet):
    header = [cell.value for cell in sheet[documents.HEADER_ROW]]
    rows = [
        dict(zip(header, [cell.value for cell in row], strict=True))
        for row in sheet.iter_rows(min_row=documents.HEADER_ROW + 1)
        if row[0].value is not None
    ]
    return header, rows


def test_one_sheet_per_unit_type(workbook):
    assert workbook.sheetnames == ["Sở, ban, ngành", "Cấp xã"]


def test_the_decision_and_the_legal_basis_head_each_sheet(workbook, published):
    sheet = workbook["Sở, ban, ngành"]
    assert sheet["A1"].value == "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2026"
    assert "123/QĐ-UBND" in sheet["A3"].value
    assert published.published_on.strftime("%d/%m/%Y") in sheet["A3"].value
    assert "tỉnh Thử Nghiệm" in sheet["A3"].value
    assert sheet["A4"].value.startswith("Bộ chỉ số: bo")  # the set's title is the uploaded file's name


def test_the_figures_are_those_of_the_fixed_results(workbook, published):
    for sheet_name, unit_type in (("Sở, ban, ngành", "agency"), ("Cấp xã", "commune")):
        header, rows = _sheet_rows(workbook[sheet_name])
        assert header[:8] == [
            "STT",
            "Mã đơn vị",
            "Tên đơn vị",
            "Điểm đạt được",
            "Điểm tối đa",
            "Chỉ số (%)",
            "Xếp hạng",
            "Xếp loại",
        ]
        assert header[8:] == AREA_COLUMNS
        stored = {result.unit.code: result for result in _results(published, unit_type)}
        assert [row["Mã đơn vị"] for row in rows] == [
            result.unit.code for result in sorted(stored.values(), key=lambda result: result.rank)
        ]
        for number, row in enumerate(rows, start=1):
            result = stored[row["Mã đơn vị"]]
            assert row["STT"] == number
            assert row["Tên đơn vị"] == result.unit.name
            assert Decimal(str(row["Điểm đạt được"])) == result.score
            assert Decimal(str(row["Điểm tối đa"])) == result.max_points
            assert Decimal(str(row["Chỉ số (%)"])) == _shown(result.index)
            assert row["Xếp hạng"] == result.rank
            assert row["Xếp loại"] == result.band
            areas = {area["code"]: Decimal(area["score"]) for area in result.areas}
            assert Decimal(str(row[AREA_COLUMNS[0]])) == areas["A"]
            assert Decimal(str(row[AREA_COLUMNS[1]])) == areas["B"]


def test_the_expected_agency_figures(workbook):
    _header, rows = _sheet_rows(workbook["Sở, ban, ngành"])
    assert [(row["Tên đơn vị"], row["Chỉ số (%)"], row["Xếp hạng"]) for row in rows] == [
        ("Sở Tư pháp", 90, 1),
        ("Sở Nội vụ", 75, 2),
    ]
    index_cell = workbook["Sở, ban, ngành"].cell(row=documents.HEADER_ROW + 1, column=6)
    assert index_cell.number_format == "0.00"


# -- the annex ------------------------------------------------------------------------------------


@pytest.fixture
def annex(client, cast, published):
    response = download(client, cast["reform_admin"], "annex-docx", published)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessing")
    return docx.Document(io.BytesIO(body(response)))


def test_the_annex_is_a4_in_times_new_roman_13(annex):
    section = annex.sections[0]
    assert (section.page_width.cm, section.page_height.cm) == pytest.approx((21, 29.7), abs=0.01)
    normal = annex.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 13
    runs = [run for paragraph in annex.paragraphs for run in paragraph.runs]
    runs += [
        run for table in annex.tables for cell in table._cells for p in cell.paragraphs for run in p.runs
    ]
    assert {run.font.name for run in runs} == {None}  # nothing overrides the style's font
    assert {run.font.size for run in runs} == {None}


def test_the_annex_names_the_decision(annex, published):
    texts = [paragraph.text for paragraph in annex.paragraphs]
    assert texts[0] == "Phụ lục"
    assert texts[1] == "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2026"
    assert texts[2].startswith("(Kèm theo Quyết định số 123/QĐ-UBND ngày ")
    assert published.published_on.strftime("%d/%m/%Y") in texts[2]


def test_a_table_per_unit_type_with_rank_unit_index_and_band(annex, published):
    assert len(annex.tables) == 2
    for table, unit_type in zip(annex.tables, ("agency", "commune"), strict=True):
        header = [cell.text for cell in table.rows[0].cells]
        assert header == ["Xếp hạng", "Cơ quan, đơn vị", "Chỉ số CCHC (%)", "Xếp loại"]
        expected = [
            [str(result.rank), result.unit.name, f"{_shown(result.index):.2f}".replace(".", ","), result.band]
            for result in sorted(_results(published, unit_type), key=lambda result: result.rank)
        ]
        assert [[cell.text for cell in row.cells] for row in table.rows[1:]] == expected
    assert [[cell.text for cell in row.cells] for row in annex.tables[1].rows[1:]] == [
        ["1", "Phường Đông", "95,00", "Xuất sắc"],
        ["2", "Xã Tây", "50,00", "Trung bình"],
    ]


def test_before_publication_the_decision_number_is_left_for_the_clerk(client, cast):
    campaign = this_year(cast, Phase.FINALISATION)
    response = download(client, cast["reform_admin"], "annex-docx", campaign)
    line = docx.Document(io.BytesIO(body(response))).paragraphs[2].text
    assert line.startswith("(Kèm theo Quyết định số ")
    assert "/QĐ-UBND ngày" in line and "2027" in line
    workbook = openpyxl.load_workbook(
        io.BytesIO(body(download(client, cast["reform_admin"], "results-xlsx", campaign)))
    )
    _header, rows = _sheet_rows(workbook["Sở, ban, ngành"])
    assert [row["Mã đơn vị"] for row in rows] == ["99.STP", "99.SNV"]


def test_the_index_keeps_two_decimals_rounded_half_up():
    # The annex writes the index with the kit's fixed-decimals wording.
    assert wording.fixed(Decimal("92.345")) == "92,35"
    assert wording.fixed(Decimal("100")) == "100,00"
    assert documents.shown(Decimal("66.66666666666666666667")) == Decimal("66.67")
