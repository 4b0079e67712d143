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

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from docx.shared import Pt
from openpyxl import Workbook

from cchc.kit import docx, wording, xlsx
from cchc.parindex.models import Campaign, CriteriaSet, Result
from cchc.units.models import UnitType

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


def decision_line(campaign: Campaign) -> str:
    """ "(Kèm theo Quyết định số 12/QĐ-UBND ngày 05/01/2027 của Ủy ban nhân dân tỉnh …)"; the gaps the
    clerk fills in where the decision is not yet numbered or dated."""
    number = campaign.decision_number.strip()
    if not number:
        number = f"{' ' * 6}/QĐ-UBND"
    day = campaign.published_on
    when = f"ngày {day:%d/%m/%Y}" if day else f"ngày{' ' * 6}/{' ' * 6}/{campaign.year + 1}"
    return f"(Kèm theo Quyết định số {number} {when} của {wording.body_name(campaign.organiser)})"


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
    workbook, first = xlsx.new_workbook()
    workbook.remove(first)
    sets = _criteria_sets(campaign)
    groups = results_by_type(campaign)
    if not groups:
        sheet = workbook.create_sheet("Kết quả")
        xlsx.put(sheet, 1, 1, f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {campaign.year}")
        xlsx.put(sheet, 2, 1, "Chưa có kết quả.")
    for unit_type, results in groups:
        _results_sheet(workbook, campaign, unit_type, results, sets.get(unit_type))
    return xlsx.as_bytes(workbook)


def _results_sheet(
    workbook: Workbook,
    campaign: Campaign,
    unit_type: str,
    results: list[Result],
    criteria_set: CriteriaSet | None,
) -> None:
    sheet = workbook.create_sheet(SHEET_NAMES.get(UnitType(unit_type), unit_type)[:31])
    xlsx.title_lines(
        sheet,
        [
            (f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {campaign.year}", True),
            (f"{GROUP_TITLES.get(UnitType(unit_type), unit_type)} - {campaign.organiser.name.upper()}", True),
            (decision_line(campaign), False),
            (_basis_line(criteria_set), False),
        ],
    )
    areas = _area_headers(results)
    columns: list[xlsx.Column] = [
        ("STT", 6, None),
        ("Mã đơn vị", 12, None),
        ("Tên đơn vị", 36, None),
        ("Điểm đạt được", 11, xlsx.TWO_DECIMALS),
        ("Điểm tối đa", 11, xlsx.TWO_DECIMALS),
        ("Chỉ số (%)", 11, xlsx.TWO_DECIMALS),
        ("Xếp hạng", 9, "0"),
        ("Xếp loại", 14, None),
        *[(f"{code}. {title}", 16, xlsx.TWO_DECIMALS) for code, title in areas],
    ]
    rows: list[list[Any]] = []
    for number, result in enumerate(results, start=1):
        scores = {str(area.get("code", "")): area.get("score") for area in result.areas}
        rows.append(
            [
                number,
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
        )
    xlsx.write_table(sheet, columns, rows, header_row=HEADER_ROW, freeze_column=4)


# -- the annex ------------------------------------------------------------------------------------

ANNEX_COLUMNS = [
    ("Xếp hạng", 2.2, docx.CENTER),
    ("Cơ quan, đơn vị", 8.3, docx.LEFT),
    ("Chỉ số CCHC (%)", 2.8, docx.CENTER),
    ("Xếp loại", 2.7, docx.CENTER),
]


def annex_docx(campaign: Campaign) -> bytes:
    # An annex is set in 13 pt; it has always gone out without page numbers.
    document = docx.new_document(body_size=13, page_numbers=False)
    docx.line(document, "Phụ lục", bold=True)
    docx.line(document, f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {campaign.year}", bold=True)
    docx.line(document, decision_line(campaign), italic=True).paragraph_format.space_after = Pt(12)
    groups = results_by_type(campaign)
    if not groups:
        docx.line(document, "Chưa có kết quả.")
    for position, (unit_type, results) in enumerate(groups):
        numeral = ROMAN[position] if position < len(ROMAN) else str(position + 1)
        title = f"{numeral}. {GROUP_TITLES.get(UnitType(unit_type), unit_type)}"
        heading = docx.line(document, title, bold=True, align=docx.LEFT)
        heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(12), Pt(6)
        docx.grid(
            document,
            ANNEX_COLUMNS,
            [
                [str(result.rank), result.unit.name, wording.fixed(result.index), result.band]
                for result in results
            ],
        )
    return docx.as_bytes(document)
