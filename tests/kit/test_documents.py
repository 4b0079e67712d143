"""The kit's office documents, read back from real files."""

import datetime
import io

import openpyxl
from docx import Document

from cchc.kit import docx, wording, xlsx
from cchc.kit.downloads import XLSX, download


def test_the_national_heading_of_a_committee_and_of_an_agency(province, justice):
    document = docx.new_document()
    docx.national_heading(document, province, number="12", place="Nha Trang", day=datetime.date(2026, 2, 3))
    docx.national_heading(document, justice, number="", place="Nha Trang", day=datetime.date(2026, 11, 20))
    read = Document(io.BytesIO(docx.as_bytes(document)))
    committee, agency = read.tables
    left = committee.rows[0].cells[0].text
    assert left == "ỦY BAN NHÂN DÂN\n" + province.name.upper()
    assert (
        committee.rows[0].cells[1].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    )
    assert committee.rows[1].cells[0].text == "Số: 12/BC-UBND"
    # The decree writes months 1 and 2 with a leading zero, the others without.
    assert committee.rows[1].cells[1].text == "Nha Trang, ngày 03 tháng 02 năm 2026"
    assert agency.rows[0].cells[0].text == f"UBND {province.name.upper()}\nSỞ TƯ PHÁP"
    assert agency.rows[1].cells[0].text.startswith("Số: ") and agency.rows[1].cells[0].text.endswith("/BC")
    assert agency.rows[1].cells[1].text == "Nha Trang, ngày 20 tháng 11 năm 2026"
    section = read.sections[0]
    assert (round(section.left_margin.cm, 1), round(section.right_margin.cm, 1)) == (3.0, 2.0)
    assert read.styles["Normal"].font.name == "Times New Roman"


def test_a_grid_keeps_its_headers_and_cells():
    document = docx.new_document(body_size=13, page_numbers=False)
    docx.grid(
        document,
        [("STT", 1.2, docx.CENTER), ("Đơn vị", 8, docx.LEFT)],
        [["1", "Xã Tây"], ["2", "Phường Đông"]],
    )
    table = Document(io.BytesIO(docx.as_bytes(document))).tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["STT", "Đơn vị"],
        ["1", "Xã Tây"],
        ["2", "Phường Đông"],
    ]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold


def test_numbers_are_written_the_vietnamese_way():
    assert wording.number(12500) == "12.500"
    assert wording.number(98.50) == "98,5"
    assert wording.number(None) == "—"
    assert wording.fixed(93.3333) == "93,33"
    assert wording.fixed(100) == "100,00"


def test_a_table_in_a_workbook_with_formats_and_text_that_stays_text():
    workbook, sheet = xlsx.new_workbook()
    xlsx.title_lines(sheet, [("KẾT QUẢ", True), ("ghi chú", False)])
    citizen_text = '=HYPERLINK("http://example.invalid","bấm")'
    xlsx.write_table(
        sheet,
        [("Đơn vị", 30, None), ("Tỷ lệ", 10, xlsx.PERCENT), ("Ý kiến", 40, None)],
        [["Xã Tây", 0.985, citizen_text], ["Phường Đông", None, "bình thường"]],
        header_row=4,
    )
    read = openpyxl.load_workbook(io.BytesIO(xlsx.as_bytes(workbook))).active
    assert read["A1"].value == "KẾT QUẢ" and read["A1"].font.bold
    assert [cell.value for cell in read[4]] == ["Đơn vị", "Tỷ lệ", "Ý kiến"]
    assert read["B5"].value == 0.985 and read["B5"].number_format == xlsx.PERCENT
    assert read["B6"].value is None  # no data stays empty, never 0
    assert read["C5"].value == citizen_text and read["C5"].data_type == "s"
    assert read.freeze_panes == "A5"


def test_a_download_is_an_attachment_with_its_vietnamese_name():
    response = download(b"PK", "kết-quả.xlsx", XLSX)
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''k%E1%BA%BFt-qu%E1%BA%A3.xlsx" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"PK"
