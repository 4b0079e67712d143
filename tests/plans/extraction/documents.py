"""Plan documents built in the tests: DOCX with python-docx, PDF with fpdf2 and a system font."""

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

TASK_HEADER = ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm"]


def plan_docx(path: Path) -> Path:
    """A small plan: headings (Word styles), a target paragraph, a numbered area, and an appendix table."""
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026")
    document.add_heading("MỤC TIÊU, NHIỆM VỤ", level=1)
    document.add_heading("Cải cách thủ tục hành chính", level=2)
    document.add_paragraph("Phấn đấu tối thiểu 92,5% hồ sơ được tiếp nhận trực tuyến.")
    document.add_paragraph("Cải cách tài chính công", style="List Number")
    document.add_paragraph("Tỷ lệ đơn vị sự nghiệp tự bảo đảm chi thường xuyên đạt trên 20%.")
    document.add_paragraph("PHỤ LỤC: DANH MỤC NHIỆM VỤ")
    table = document.add_table(rows=1, cols=len(TASK_HEADER))
    for cell, title in zip(table.rows[0].cells, TASK_HEADER, strict=True):
        cell.text = title
    group = table.add_row().cells
    group[0].merge(group[-1]).text = "I. CẢI CÁCH THỂ CHẾ"
    row = table.add_row().cells
    values = ["1", "Rà soát văn bản quy phạm pháp luật của tỉnh", "Sở Tư pháp", "", "Quý II/2026", ""]
    for cell, value in zip(row, values, strict=True):
        cell.text = value
    # Coordinating units written as two paragraphs in one cell.
    row[3].text = "Sở Nội vụ"
    row[3].add_paragraph("Văn phòng UBND tỉnh")
    document.add_paragraph("Nơi nhận: như trên.")
    document.save(path)
    return path


def vietnamese_font() -> str:
    """A TrueType font with Vietnamese letters, found with fontconfig; skips the test when there is none."""
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig (fc-match) is not installed")
    for family in ("DejaVu Sans", "Noto Sans", "Liberation Sans"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=False
        )
        path = found.stdout.strip()
        if path.lower().endswith(".ttf") and Path(path).is_file():
            return path
    pytest.skip("no TrueType font with Vietnamese letters")


def text_pdf(path: Path, lines: list[str]) -> Path:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.add_font("Vietnamese", fname=vietnamese_font())
    pdf.set_font("Vietnamese", size=12)
    pdf.set_auto_page_break(auto=True)
    for line in lines:
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def scanned_pdf(path: Path) -> Path:
    """A PDF whose only page is a picture, as a scanner makes it."""
    fpdf = pytest.importorskip("fpdf")
    image = pytest.importorskip("PIL.Image")
    picture = image.new("RGB", (400, 560), "white")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.image(buffer, x=10, y=10, w=180)
    pdf.output(str(path))
    return path
