"""The province's consolidated report as a DOCX in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I).

Choices (docs/reports.md): A4 portrait; margins top 2 cm, bottom 2 cm, left 3 cm, right 2 cm (the
decree allows 2–2.5, 2–2.5, 3–3.5 and 1.5–2 cm); Times New Roman throughout, body 14 pt justified
with a 1 cm first-line indent and 6 pt after each paragraph; page numbers centred in the top
margin from page 2 on.
"""

import datetime
import io
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from cchc.plans.documents import vietnamese as vn
from cchc.plans.models import ReportSchedule
from cchc.plans.reporting import LATE, MISSING, PENDING, ConsolidatedReport, consolidated_report
from cchc.units.models import Unit

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
TEXT_WIDTH = Cm(16)  # 21 cm less the 3 cm and 2 cm side margins


def consolidated_docx(
    schedule: ReportSchedule,
    *,
    number: str,
    place: str,
    signer_name: str,
    signer_title: str,
    recipients: Iterable[str],
    issued_on: datetime.date | None = None,
) -> bytes:
    report = consolidated_report(schedule)
    unit = schedule.plan.issuing_unit
    document = _new_document()
    _heading_block(document, schedule, number, place, issued_on or timezone.localdate())
    _title(document, schedule)
    _body(document, report)
    _closing_block(document, unit, recipients, signer_title, signer_name)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Page and text helpers


def _new_document() -> DocumentObject:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    # python-docx sets only the Latin font slots; Vietnamese text may fall in the others.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(0)
    _page_numbers(section)
    return document


def _page_numbers(section: Section) -> None:
    """A PAGE field centred in the header; the first page shows none, as the decree asks."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _line(
    container: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 14,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    paragraph: Paragraph | None = None,
) -> Paragraph:
    paragraph = paragraph or container.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _body_paragraph(document: DocumentObject, text: str, *, bold: bool = False) -> Paragraph:
    paragraph = _line(document, text, bold=bold, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.paragraph_format.space_after = Pt(6)
    return paragraph


def _two_columns(document: DocumentObject, left: float, right: float, rows: int = 1) -> Table:
    """A borderless table (python-docx's default table style has no borders) of fixed widths."""
    table = document.add_table(rows=rows, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Cm(left), Cm(right)
    return table


def _first(cell: _Cell) -> Paragraph:
    """A new cell holds one empty paragraph: write into it rather than leave a blank line."""
    return cell.paragraphs[0]


# ---------------------------------------------------------------------------------------------
# The parts of the document


def _heading_block(
    document: DocumentObject, schedule: ReportSchedule, number: str, place: str, day: datetime.date
) -> None:
    unit = schedule.plan.issuing_unit
    table = _two_columns(document, 6, 10, rows=2)
    left, right = table.rows[0].cells
    superior, body = vn.heading_lines(unit)
    paragraph = _first(left)
    if superior:
        _line(left, superior, size=13, paragraph=paragraph)
        paragraph = left.add_paragraph()
    _line(left, "\n".join(body), bold=True, size=13, paragraph=paragraph)
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, paragraph=_first(right))
    _line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    number_cell, date_cell = table.rows[1].cells
    _line(number_cell, vn.document_number(number, unit), size=13, paragraph=_first(number_cell))
    _line(date_cell, vn.date_line(place, day), italic=True, size=13, paragraph=_first(date_cell))


def _title(document: DocumentObject, schedule: ReportSchedule) -> None:
    _line(document, "").paragraph_format.space_after = Pt(6)
    _line(document, "BÁO CÁO", bold=True)
    subject = f"Kết quả thực hiện công tác cải cách hành chính {vn.period_label(schedule)}"
    _line(document, subject, bold=True).paragraph_format.space_after = Pt(12)


def _body(document: DocumentObject, report: ConsolidatedReport) -> None:
    schedule, unit = report.schedule, report.schedule.plan.issuing_unit
    basis = schedule.legal_basis
    reason = (
        f"Thực hiện chế độ báo cáo định kỳ công tác cải cách hành chính theo Công văn số {basis.number}"
        f"{' của ' + basis.issuer if basis.issuer else ''}, "
        if basis
        else "Thực hiện chế độ báo cáo định kỳ công tác cải cách hành chính, "
    )
    _body_paragraph(
        document,
        f"{reason}{vn.body_name(unit)} báo cáo kết quả thực hiện công tác cải cách hành chính "
        f"{vn.period_label(schedule)} (số liệu từ ngày {vn.short_date(schedule.data_from)} đến ngày "
        f"{vn.short_date(schedule.data_to)}) như sau:",
    )
    _submissions(document, report)
    _areas(document, report)
    _targets(document, report)
    _narratives(document, report)
    _limitations(document, report)
    _proposals(document, report)
    _body_paragraph(document, f"{vn.body_name(unit)} báo cáo./.")


def _names(report: ConsolidatedReport, timeliness: str) -> list[str]:
    return [row.unit.name for row in report.submissions if row.timeliness == timeliness]


def _submissions(document: DocumentObject, report: ConsolidatedReport) -> None:
    counts = report.counts
    _body_paragraph(document, "I. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ", bold=True)
    sentence = (
        f"Số cơ quan, đơn vị phải báo cáo: {counts.expected}; gửi đúng hạn: {counts.on_time}; "
        f"gửi trễ hạn: {counts.late}; chưa gửi: {counts.missing}"
    )
    if counts.pending:
        sentence += f"; chưa đến hạn gửi: {counts.pending}"
    _body_paragraph(document, f"{sentence} (hạn gửi: ngày {vn.short_date(report.schedule.due_on)}).")
    for label, timeliness in (("gửi trễ hạn", LATE), ("chưa gửi báo cáo", MISSING), ("chưa gửi", PENDING)):
        names = _names(report, timeliness)
        if names:
            _body_paragraph(document, f"- Các cơ quan, đơn vị {label}: {', '.join(names)}.")


def _areas(document: DocumentObject, report: ConsolidatedReport) -> None:
    _body_paragraph(document, "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO LĨNH VỰC", bold=True)
    if not report.areas:
        _body_paragraph(document, "Chưa có báo cáo nào của các cơ quan, đơn vị được gửi đến để tổng hợp.")
        return
    for index, area in enumerate(report.areas, start=1):
        counts = area.counts
        sentence = (
            f"{index}. {area.area or vn.NO_AREA}: tổng số {counts.total} nhiệm vụ; hoàn thành {counts.done}; "
            f"đang thực hiện {counts.in_progress}; chưa triển khai {counts.not_started}"
        )
        if counts.cancelled:
            sentence += f"; dừng thực hiện {counts.cancelled}"
        _body_paragraph(document, f"{sentence}; quá hạn {counts.overdue}.")


def _targets(document: DocumentObject, report: ConsolidatedReport) -> None:
    _body_paragraph(document, "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", bold=True)
    if not report.targets:
        _body_paragraph(document, "Kế hoạch không đặt chỉ tiêu định lượng.")
    for result in report.targets:
        target = result.target
        unit = vn.written_unit(target.unit)
        goal = f"{target.get_comparator_display()} {vn.number(target.value)}{unit}"
        if result.value is None:
            outcome = "chưa có số liệu"
        else:
            verdict = "đạt" if result.met else "chưa đạt"
            outcome = f"kết quả {vn.number(result.value)}{unit} ({verdict})"
        label = f"{target.code} {target.text}".strip()
        _body_paragraph(document, f"- {label}: chỉ tiêu {goal}; {outcome}.")


def _narratives(document: DocumentObject, report: ConsolidatedReport) -> None:
    if not report.narratives:
        return
    _body_paragraph(document, "IV. TÌNH HÌNH TẠI CÁC CƠ QUAN, ĐƠN VỊ", bold=True)
    for narrative in report.narratives:
        _body_paragraph(document, f"- {narrative.unit.name}: {narrative.excerpt}")


def _limitations(document: DocumentObject, report: ConsolidatedReport) -> None:
    _body_paragraph(document, f"{'V' if report.narratives else 'IV'}. TỒN TẠI, HẠN CHẾ", bold=True)
    found = []
    if report.overdue:
        found.append(
            f"Còn {report.overdue} nhiệm vụ quá hạn chưa hoàn thành tính đến ngày "
            f"{vn.short_date(report.schedule.data_to)}."
        )
    if report.counts.late or report.counts.missing:
        found.append(
            f"Có {report.counts.late} cơ quan, đơn vị gửi báo cáo trễ hạn và {report.counts.missing} "
            "cơ quan, đơn vị chưa gửi báo cáo."
        )
    missed = sum(1 for result in report.targets if result.met is False)
    unknown = sum(1 for result in report.targets if result.value is None)
    if missed or unknown:
        found.append(f"Có {missed} chỉ tiêu chưa đạt và {unknown} chỉ tiêu chưa có số liệu.")
    for sentence in found or ["Số liệu tổng hợp không cho thấy tồn tại, hạn chế đáng kể trong kỳ."]:
        _body_paragraph(document, sentence)


def _proposals(document: DocumentObject, report: ConsolidatedReport) -> None:
    _body_paragraph(document, f"{'VI' if report.narratives else 'V'}. ĐỀ XUẤT, KIẾN NGHỊ", bold=True)
    _body_paragraph(
        document,
        "Đề nghị các cơ quan, đơn vị có nhiệm vụ quá hạn khẩn trương hoàn thành và báo cáo kết quả; "
        "các cơ quan, đơn vị chưa gửi hoặc gửi trễ báo cáo thực hiện đúng thời hạn "
        "trong kỳ báo cáo tiếp theo.",
    )
    _body_paragraph(document, "Số liệu chi tiết tại các phụ lục kèm theo báo cáo này.")


def _closing_block(
    document: DocumentObject, unit: Unit, recipients: Iterable[str], signer_title: str, signer_name: str
) -> None:
    _line(document, "")
    table = _two_columns(document, 7, 9)
    left, right = table.rows[0].cells
    _line(
        left,
        "Nơi nhận:",
        bold=True,
        italic=True,
        size=12,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        paragraph=_first(left),
    )
    names = [name.strip().rstrip(";.") for name in recipients if name.strip()]
    if not any(name.lower().startswith("lưu") for name in names):
        names.append("Lưu: VT")
    for index, name in enumerate(names):
        ending = "." if index == len(names) - 1 else ";"
        _line(left, f"- {name}{ending}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    authority = [f"TM. {vn.PEOPLES_COMMITTEE}"] if vn.is_committee(unit) else []
    titles = authority + [line.strip().upper() for line in signer_title.splitlines() if line.strip()]
    _line(right, "\n".join(titles), bold=True, paragraph=_first(right))
    _line(right, "\n\n\n")  # room for the signature and the seal
    _line(right, signer_name.strip(), bold=True)
