"""The official files of a campaign's fixed results: the results workbook (XLSX) and the annex (DOCX).

Both read the `Result` rows stored at finalisation, never a new computation, so they state exactly what
the decision publishes. They are Vietnamese administrative documents whatever the interface language:
their wording is written here directly and never translated.

Workbook: one sheet per unit type; the title, the decision line and the criteria set's legal basis at the
top, the header on row HEADER_ROW, one row per unit in rank order; figures are numbers (the index with
two decimals), an area a unit had no points in is an empty cell.
Annex: A4 portrait, margins 2/2/3/2 cm, Times New Roman 13 pt; "Phụ lục" with the decision line, then a
table (rank, unit, index, band) per unit type.
"""

import io
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from cchc.parindex.models import Campaign, CriteriaSet, Result
from cchc.plans.documents import vietnamese as vn
from cchc.units.models import UnitType

FONT = "Times New Roman"
HEADER_ROW = 6
FIRST_AREA_COLUMN = 9  # the columns before the areas: STT .. xếp loại
CENT = Decimal("0.01")

# How each type of unit is named in the titles and the sheet names.
GROUP_TITLES = {
    UnitType.PROVINCE: "CẤP TỈNH",
    UnitType.AGENCY: "CÁC SỞ, BAN, NGÀNH",
    UnitType.DISTRICT: "UBND CÁC HUYỆN, THỊ XÃ, THÀNH PHỐ",
    UnitType.COMMUNE: "UBND CÁC XÃ, PHƯỜNG, ĐẶC KHU",
    UnitType.SUBUNIT: "CÁC ĐƠN VỊ TRỰC THUỘC",
}
SHEET_NAMES = {
    UnitType.PROVINCE: "Cấp tỉnh",
    UnitType.AGENCY: "Sở, ban, ngành",
    UnitType.DISTRICT: "Cấp huyện",
    UnitType.COMMUNE: "Cấp xã",
    UnitType.SUBUNIT: "Đơn vị trực thuộc",
}
ROMAN = ["I", "II", "III", "IV", "V"]

_thin = Side(style="thin", color="808080")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


# -- shared ---------------------------------------------------------------------------------------


def results_by_type(campaign: Campaign) -> list[tuple[str, list[Result]]]:
    """The fixed results grouped by unit type (in the usual order of types), each group by rank."""
    groups: dict[str, list[Result]] = defaultdict(list)
    for result in (
        Result.objects.filter(campaign=campaign).select_related("unit").order_by("rank", "unit__name")
    ):
        groups[result.unit_type].append(result)
    return [(value, groups[value]) for value in UnitType.values if groups.get(value)]


def shown(value: Decimal) -> Decimal:
    """The index as published: two decimals, halves rounded up (as the ranking rounds them)."""
    return value.quantize(CENT, ROUND_HALF_UP)


def index_text(value: Decimal) -> str:
    """92.3456 -> "92,35": the published index, always with two decimals."""
    return f"{shown(value):.2f}".replace(".", ",")


def decision_line(campaign: Campaign) -> str:
    """ "(Kèm theo Quyết định số 12/QĐ-UBND ngày 05/01/2027 của Ủy ban nhân dân tỉnh …)"; the gaps the
    clerk fills in where the decision is not yet numbered or dated."""
    number = campaign.decision_number.strip()
    if not number:
        number = f"{' ' * 6}/QĐ-UBND"
    day = campaign.published_on
    when = f"ngày {day:%d/%m/%Y}" if day else f"ngày{' ' * 6}/{' ' * 6}/{campaign.year + 1}"
    return f"(Kèm theo Quyết định số {number} {when} của {vn.body_name(campaign.organiser)})"


def _criteria_sets(campaign: Campaign) -> dict[str, CriteriaSet]:
    sets = CriteriaSet.objects.filter(assessments__campaign=campaign).distinct()
    return {criteria_set.unit_type: criteria_set for criteria_set in sets}


def _basis_line(criteria_set: CriteriaSet | None) -> str:
    if criteria_set is None:
        return ""
    basis = f"; căn cứ: {criteria_set.legal_basis}" if criteria_set.legal_basis else ""
    return f"Bộ chỉ số: {criteria_set.title}{basis}"


def _area_headers(results: list[Result]) -> list[tuple[str, str]]:
    headers: dict[str, str] = {}
    for result in results:
        for area in result.areas:
            headers.setdefault(str(area.get("code", "")), str(area.get("title", "")))
    return list(headers.items())


# -- the workbook ---------------------------------------------------------------------------------


def results_xlsx(campaign: Campaign) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sets = _criteria_sets(campaign)
    groups = results_by_type(campaign)
    if not groups:
        sheet = workbook.create_sheet("Kết quả")
        sheet["A1"] = f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {campaign.year}"
        sheet["A2"] = "Chưa có kết quả."
    for unit_type, results in groups:
        _results_sheet(workbook, campaign, unit_type, results, sets.get(unit_type))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _results_sheet(
    workbook: Workbook,
    campaign: Campaign,
    unit_type: str,
    results: list[Result],
    criteria_set: CriteriaSet | None,
) -> None:
    sheet = workbook.create_sheet(SHEET_NAMES.get(UnitType(unit_type), unit_type)[:31])
    lines = [
        (f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {campaign.year}", True, False),
        (
            f"{GROUP_TITLES.get(UnitType(unit_type), unit_type)} - {campaign.organiser.name.upper()}",
            True,
            False,
        ),
        (decision_line(campaign), False, True),
        (_basis_line(criteria_set), False, True),
    ]
    for row, (text, bold, italic) in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=text or None).font = Font(
            name=FONT, size=13, bold=bold, italic=italic
        )
    areas = _area_headers(results)
    columns: list[tuple[str, float, str | None]] = [
        ("STT", 6, None),
        ("Mã đơn vị", 12, None),
        ("Tên đơn vị", 36, None),
        ("Điểm đạt được", 11, "0.00"),
        ("Điểm tối đa", 11, "0.00"),
        ("Chỉ số (%)", 11, "0.00"),
        ("Xếp hạng", 9, "0"),
        ("Xếp loại", 14, None),
        *[(f"{code}. {title}", 16, "0.00") for code, title in areas],
    ]
    for number, (header, width, _format) in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=number, value=header)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.fill, cell.border = HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(number)].width = width
    for offset, result in enumerate(results, start=1):
        scores = {str(area.get("code", "")): area.get("score") for area in result.areas}
        values: list[Any] = [
            offset,
            result.unit.code,
            result.unit.name,
            float(result.score),
            float(result.max_points),
            float(shown(result.index)),
            result.rank,
            result.band,
            *[
                None if scores.get(code) in (None, "") else float(Decimal(str(scores[code])))
                for code, _t in areas
            ],
        ]
        for number, value in enumerate(values, start=1):
            cell = sheet.cell(row=HEADER_ROW + offset, column=number, value=value)
            cell.font, cell.border = Font(name=FONT, size=12), BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str))
            number_format = columns[number - 1][2]
            if number_format and value is not None:
                cell.number_format = number_format
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=4)


# -- the annex ------------------------------------------------------------------------------------


def _new_document() -> DocumentObject:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    # python-docx fills only the Latin font slots; Vietnamese letters may be drawn from the others.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(0)
    return document


def _paragraph(container: Any, text: str, *, bold: bool = False, italic: bool = False, align: Any = None):
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if align is None else align
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    return paragraph


def _cell_text(cell: Any, text: str, *, bold: bool = False, align: Any = WD_ALIGN_PARAGRAPH.LEFT) -> None:
    paragraph = cell.paragraphs[0]  # a new cell holds one empty paragraph: write into it
    paragraph.alignment = align
    paragraph.add_run(text).bold = bold


ANNEX_COLUMNS = [
    ("Xếp hạng", 2.2, WD_ALIGN_PARAGRAPH.CENTER),
    ("Cơ quan, đơn vị", 8.3, WD_ALIGN_PARAGRAPH.LEFT),
    ("Chỉ số CCHC (%)", 2.8, WD_ALIGN_PARAGRAPH.CENTER),
    ("Xếp loại", 2.7, WD_ALIGN_PARAGRAPH.CENTER),
]


def annex_docx(campaign: Campaign) -> bytes:
    document = _new_document()
    _paragraph(document, "Phụ lục", bold=True)
    _paragraph(document, f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {campaign.year}", bold=True)
    _paragraph(document, decision_line(campaign), italic=True).paragraph_format.space_after = Pt(12)
    groups = results_by_type(campaign)
    if not groups:
        _paragraph(document, "Chưa có kết quả.")
    for position, (unit_type, results) in enumerate(groups):
        numeral = ROMAN[position] if position < len(ROMAN) else str(position + 1)
        title = f"{numeral}. {GROUP_TITLES.get(UnitType(unit_type), unit_type)}"
        heading = _paragraph(document, title, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(12), Pt(6)
        table = document.add_table(rows=1, cols=len(ANNEX_COLUMNS))
        table.style = document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for cell, (header, width, _align) in zip(table.rows[0].cells, ANNEX_COLUMNS, strict=True):
            cell.width = Cm(width)
            _cell_text(cell, header, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for result in results:
            cells = table.add_row().cells
            texts = [str(result.rank), result.unit.name, index_text(result.index), result.band]
            for cell, text, (_header, width, align) in zip(cells, texts, ANNEX_COLUMNS, strict=True):
                cell.width = Cm(width)
                _cell_text(cell, text, align=align)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
