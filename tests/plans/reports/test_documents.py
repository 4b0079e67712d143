"""The consolidated report as DOCX (layout of Nghị định 30/2020) and its annex tables as XLSX, read back."""

import datetime
import io

import docx
import openpyxl
import pytest
import time_machine

from cchc.kit import wording
from cchc.plans.documents import annex_xlsx, consolidated_docx
from tests.plans.reports.helpers import at

NBSP = "\u00a0"


@pytest.fixture
def document(filled_q1):
    with time_machine.travel(at(2026, 3, 25)):
        content = consolidated_docx(
            filled_q1,
            number="12",
            place="Thử Nghiệm",
            signer_name="Nguyễn Văn Chủ Tịch",
            signer_title="Chủ tịch",
            recipients=["Bộ Nội vụ", " Thường trực Tỉnh ủy; ", ""],
            issued_on=datetime.date(2026, 3, 5),
        )
    return docx.Document(io.BytesIO(content))


@pytest.fixture
def workbook(filled_q1):
    with time_machine.travel(at(2026, 3, 25)):
        content = annex_xlsx(filled_q1)
    return openpyxl.load_workbook(io.BytesIO(content))


def _texts(document):
    return [paragraph.text for paragraph in document.paragraphs]


def test_the_page_is_a4_with_the_decrees_margins(document):
    section = document.sections[0]
    size = (section.page_width.cm, section.page_height.cm)
    margins = (
        section.top_margin.cm,
        section.bottom_margin.cm,
        section.left_margin.cm,
        section.right_margin.cm,
    )
    assert size == pytest.approx((21, 29.7), abs=0.01)
    assert margins == pytest.approx((2, 2, 3, 2), abs=0.01)


def test_everything_is_times_new_roman(document):
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 14
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(docx.oxml.ns.qn(slot)) for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {
        "Times New Roman"
    }
    runs = [run for paragraph in document.paragraphs for run in paragraph.runs]
    runs += [
        run for table in document.tables for cell in table._cells for p in cell.paragraphs for run in p.runs
    ]
    assert {run.font.name for run in runs} == {None}  # no run overrides the style's font


def test_the_heading_block_is_a_borderless_two_column_table(document):
    heading = document.tables[0]
    assert heading.style.name == "Normal Table"
    assert "tblBorders" not in heading._tbl.xml
    assert heading.cell(0, 0).text == "ỦY BAN NHÂN DÂN\nTỈNH THỬ NGHIỆM"
    assert heading.cell(0, 0).paragraphs[0].runs[0].bold
    assert heading.cell(0, 1).text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    assert heading.cell(1, 0).text == "Số: 12/BC-UBND"
    date_cell = heading.cell(1, 1).paragraphs[0]
    assert date_cell.text == "Thử Nghiệm, ngày 05 tháng 3 năm 2026"
    assert date_cell.runs[0].italic


def test_the_title_and_the_body(document):
    texts = _texts(document)
    title = texts.index("BÁO CÁO")
    assert document.paragraphs[title].runs[0].bold
    assert texts[title + 1] == "Kết quả thực hiện công tác cải cách hành chính quý I năm 2026"
    assert texts[title + 2].startswith(
        "Thực hiện chế độ báo cáo định kỳ công tác cải cách hành chính theo Công văn số 581/BNV-CCHC của "
        "Bộ Nội vụ, Ủy ban nhân dân tỉnh Thử Nghiệm báo cáo"
    )
    assert "(số liệu từ ngày 15/12/2025 đến ngày 14/03/2026)" in texts[title + 2]
    expected = [
        "Số cơ quan, đơn vị phải báo cáo: 4; gửi đúng hạn: 1; gửi trễ hạn: 1; chưa gửi, đã quá hạn: 2 "
        "(hạn gửi: ngày 20/03/2026).",
        "- Các cơ quan, đơn vị gửi trễ hạn (1): Xã Tây.",
        "- Các cơ quan, đơn vị chưa gửi, đã quá hạn (2): Sở Nội vụ, Phường Đông.",
        "1. Cải cách thể chế: tổng số 1 nhiệm vụ; hoàn thành 0; đang thực hiện 1; chưa triển khai 0; "
        "quá hạn 1.",
        f"- CT1 Tỷ lệ hồ sơ giải quyết đúng hạn: chỉ tiêu ≥ 90{NBSP}%; kết quả 85{NBSP}% (chưa đạt).",
        "- CT2 Số cuộc kiểm tra cải cách hành chính: chỉ tiêu ≥ 2; chưa có số liệu.",
        "- Xã Tây: Xã Tây đã số hóa 40 hồ sơ.",
        "Còn 1 nhiệm vụ quá hạn chưa hoàn thành tính đến ngày 14/03/2026.",
        "Ủy ban nhân dân tỉnh Thử Nghiệm báo cáo./.",
    ]
    for sentence in expected:
        assert sentence in texts
    headings = [text for text in texts if text[:3] in ("I. ", "II.", "III", "IV.", "V. ", "VI.")]
    assert [heading.split(". ", 1)[0] for heading in headings] == ["I", "II", "III", "IV", "V", "VI"]


def test_recipients_bottom_left_and_signature_bottom_right(document):
    closing = document.tables[-1]
    recipients, signature = closing.cell(0, 0), closing.cell(0, 1)
    assert [p.text for p in recipients.paragraphs] == [
        "Nơi nhận:",
        "- Bộ Nội vụ;",
        "- Thường trực Tỉnh ủy;",
        "- Lưu: VT.",
    ]
    label = recipients.paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size.pt == 12
    paragraphs = signature.paragraphs
    assert paragraphs[0].text == "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
    assert paragraphs[-1].text == "Nguyễn Văn Chủ Tịch"
    assert paragraphs[-1].runs[0].bold


def test_pages_after_the_first_are_numbered_at_the_top(document):
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_vietnamese_dates_numbers_and_document_numbers(province, justice):
    assert wording.date_line("Hà Tĩnh", datetime.date(2026, 2, 9)) == "Hà Tĩnh, ngày 09 tháng 02 năm 2026"
    assert wording.date_line("Hà Tĩnh", datetime.date(2026, 11, 21)) == "Hà Tĩnh, ngày 21 tháng 11 năm 2026"
    assert [wording.number(value) for value in (98.5, 100, 12500, 0.04, None)] == [
        "98,5",
        "100",
        "12.500",
        "0",
        "—",
    ]
    assert wording.document_number("", province) == "Số:       /BC-UBND"
    assert wording.document_number("7/BC-SNV", province) == "Số: 7/BC-SNV"
    assert wording.document_number("3", justice) == "Số: 3/BC"
    assert wording.heading_lines(justice) == ("UBND TỈNH THỬ NGHIỆM", ["SỞ TƯ PHÁP"])


def test_the_workbook_has_the_three_annex_sheets(workbook):
    assert workbook.sheetnames == ["Phụ lục 1", "Phụ lục 2", "Nộp báo cáo"]
    for sheet in workbook:
        header = sheet.cell(row=4, column=1)
        assert header.value == "STT"
        assert header.font.bold and header.font.name == "Times New Roman"
        assert sheet.freeze_panes == "A5"


def test_annex_1_task_progress_per_unit_and_area(workbook):
    sheet = workbook["Phụ lục 1"]
    assert [cell.value for cell in sheet[4]] == [
        "STT",
        "Cơ quan, đơn vị",
        "Lĩnh vực",
        "Tổng số nhiệm vụ",
        "Hoàn thành",
        "Đang thực hiện",
        "Chưa triển khai",
        "Dừng thực hiện",
        "Quá hạn",
        "Tỷ lệ hoàn thành",
    ]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
    assert rows[1] == [2, "Sở Tư pháp", "Cải cách thủ tục hành chính", 2, 1, 1, 0, 0, 0, 0.5]
    assert rows[-1][1:4] == ["Tổng hợp", "Cải cách thủ tục hành chính", 3]
    assert sheet["J6"].number_format == "0.0%"
    assert sheet.column_dimensions["B"].width == 32


def test_annex_2_target_values(workbook):
    sheet = workbook["Phụ lục 2"]
    rate, count = ([cell.value for cell in row] for row in sheet.iter_rows(min_row=5))
    assert rate[1:3] == ["CT1", "Tỷ lệ hồ sơ giải quyết đúng hạn"]
    assert rate[5:] == [pytest.approx(0.9), "%", 85, 100, pytest.approx(0.85), 2, "Chưa đạt"]
    assert sheet["F5"].number_format == sheet["J5"].number_format == "0.0%"
    assert count[5:] == [2, "số lượng", None, None, None, 0, "Chưa có số liệu"]  # no data: empty, not 0
    assert sheet["F6"].number_format == "#,##0.###"


def test_the_submission_sheet(workbook):
    sheet = workbook["Nộp báo cáo"]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=5)}
    assert set(rows) == {"Sở Nội vụ", "Sở Tư pháp", "Phường Đông", "Xã Tây"}
    justice = [cell.value for cell in rows["Sở Tư pháp"]]
    assert justice[3] == "Đã tiếp nhận"
    assert justice[5] == datetime.datetime(2026, 3, 18, 9, 0)  # local time, as the office reads it
    assert justice[7] == datetime.datetime(2026, 3, 20)
    assert justice[8] == "Đúng hạn"
    assert rows["Sở Tư pháp"][5].number_format == "dd/mm/yyyy hh:mm"
    assert [rows[name][8].value for name in ("Xã Tây", "Sở Nội vụ", "Phường Đông")] == [
        "Trễ hạn",
        "Chưa gửi (quá hạn)",
        "Chưa gửi (quá hạn)",
    ]
    assert rows["Phường Đông"][3].value == "Chưa lập báo cáo"
