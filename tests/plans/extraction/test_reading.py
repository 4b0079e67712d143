"""Reading plan documents: text encodings, DOCX paragraphs and tables in order, PDF text layers, errors."""

import unicodedata

import pytest

from cchc.plans.extraction import ScannedPdf, UnreadableDocument, UnsupportedFileType, extract, read_text
from tests.plans.extraction.documents import plan_docx, scanned_pdf, text_pdf

SENTENCE = "Phấn đấu tỷ lệ hồ sơ đúng hạn đạt tối thiểu 97,5% ở cấp xã."


def cp1258(text: str) -> bytes:
    """Windows-1258 bytes: letters it lacks precomposed are written as a base letter plus tone marks."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        # Fold the marks the code page has precomposed ("ê", "ơ") into the base, keep the rest combining.
        for mark in list(marks):
            folded = unicodedata.normalize("NFC", base + mark)
            if len(folded) == 1 and folded.encode("cp1258", errors="ignore"):
                base = folded
                marks.remove(mark)
        out += (base + "".join(marks)).encode("cp1258")
    return out


@pytest.mark.parametrize(
    "data",
    [
        SENTENCE.encode("utf-8"),
        b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"),
        SENTENCE.encode("utf-16"),
        SENTENCE.encode("utf-16-le"),
        unicodedata.normalize("NFD", SENTENCE).encode("utf-8"),
        cp1258(SENTENCE),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-le-no-bom", "utf-8-decomposed", "cp1258"],
)
def test_plain_text_in_any_common_encoding_reads_as_the_same_text(data):
    text = read_text(data, "ke-hoach.txt")
    assert text == SENTENCE
    [target] = extract(text).targets
    assert (target.comparator, float(target.value), target.unit, target.scope) == (">=", 97.5, "%", "cấp xã")


def test_a_path_is_read_like_bytes(tmp_path):
    path = tmp_path / "ke-hoach.txt"
    path.write_bytes(SENTENCE.encode("utf-8"))
    assert read_text(path) == SENTENCE
    assert read_text(str(path)) == SENTENCE


def test_docx_paragraphs_and_tables_come_out_in_document_order(tmp_path):
    text = read_text(plan_docx(tmp_path / "ke-hoach.docx"))
    lines = text.splitlines()
    assert lines[0] == "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026"
    assert "# MỤC TIÊU, NHIỆM VỤ" in lines
    assert "## Cải cách thủ tục hành chính" in lines
    assert "- Cải cách tài chính công" in lines
    header = lines.index(
        "STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm"
    )
    assert lines[header + 1].startswith("I. CẢI CÁCH THỂ CHẾ |")
    assert lines[header + 2] == (
        "1 | Rà soát văn bản quy phạm pháp luật của tỉnh | Sở Tư pháp | Sở Nội vụ; Văn phòng UBND tỉnh"
        " | Quý II/2026 | "
    )
    assert lines[-1] == "Nơi nhận: như trên."


def test_a_docx_plan_gives_areas_targets_and_table_tasks(tmp_path):
    plan = extract(read_text(plan_docx(tmp_path / "ke-hoach.docx")))
    assert [area.title for area in plan.areas] == [
        "Cải cách thủ tục hành chính",
        "Cải cách tài chính công",
        "CẢI CÁCH THỂ CHẾ",
    ]
    assert [(t.comparator, float(t.value), t.area) for t in plan.targets] == [
        (">=", 92.5, "Cải cách thủ tục hành chính"),
        (">", 20.0, "Cải cách tài chính công"),
    ]
    [task] = plan.tasks
    assert task.as_json() == {
        "text": "Rà soát văn bản quy phạm pháp luật của tỉnh",
        "lead_unit": "Sở Tư pháp",
        "coordinating_units": ["Sở Nội vụ", "Văn phòng UBND tỉnh"],
        "deadline": "Quý II/2026",
        "product": None,
        "area": "CẢI CÁCH THỂ CHẾ",
    }


def test_a_pdf_text_layer_is_read_and_wrapped_lines_are_joined(tmp_path):
    long_sentence = (
        "Phấn đấu tỷ lệ thủ tục hành chính được cung cấp dưới dạng dịch vụ công trực tuyến toàn trình "
        "trên tổng số thủ tục đủ điều kiện của tỉnh đạt tối thiểu 87,5% trong năm kế hoạch."
    )
    path = text_pdf(tmp_path / "ke-hoach.pdf", ["1. Cải cách thủ tục hành chính", long_sentence])
    text = read_text(path)
    assert "Cải cách thủ tục hành chính" in text
    plan = extract(text)
    assert [area.title for area in plan.areas] == ["Cải cách thủ tục hành chính"]
    [target] = plan.targets
    assert (target.comparator, float(target.value), target.unit) == (">=", 87.5, "%")


def test_a_scanned_pdf_says_it_needs_ocr(tmp_path):
    with pytest.raises(ScannedPdf, match=r"scanned image.*OCR"):
        read_text(scanned_pdf(tmp_path / "ban-scan.pdf"))


@pytest.mark.parametrize("name", ["ke-hoach.doc", "ke-hoach.xlsx", "ke-hoach.odt", "anh.png"])
def test_other_file_types_are_refused_by_name(name):
    with pytest.raises(UnsupportedFileType, match="Unsupported file type") as error:
        read_text(b"anything", name)
    assert error.value.filename == name


def test_a_damaged_docx_or_pdf_is_unreadable():
    with pytest.raises(UnreadableDocument, match="DOCX"):
        read_text(b"not a zip file", "ke-hoach.docx")
    with pytest.raises(UnreadableDocument, match="PDF"):
        read_text(b"%PDF-1.7 broken", "ke-hoach.pdf")


def test_bytes_without_a_name_are_recognised_by_content(tmp_path):
    docx_bytes = plan_docx(tmp_path / "ke-hoach.docx").read_bytes()
    assert read_text(docx_bytes).startswith("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026")
    assert read_text(SENTENCE.encode("utf-8")) == SENTENCE
    with pytest.raises(UnsupportedFileType):
        read_text(b"\x00\x01\x02binary\x00")
