"""The results of a SIPAS campaign as the dashboard and the official files show them.

`result_rows` puts together, per surveyed unit, this year's indices (`indices.index_table`), the unit's
overall index in last year's campaign of the same organiser (its own, else that of its single
predecessor in the unit lineage) and the one-stop rating at return read through the metrics registry.
The page and the files call it alike, so they state the same figures.

The files are Vietnamese administrative documents whatever the interface language: their wording is
written here directly and never translated.
Workbook: a sheet per unit (code, name, forms, quota, each element, overall with its 95 % interval,
last year, rating at return), one by field and one by channel; figures are numbers, no data is empty.
Report: A4, Times New Roman 13 pt, the overall figures against last year, a table per unit and the
units below their quota.
"""

import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cchc.core import metrics
from cchc.core.metrics import Ratio
from cchc.core.periods import Period
from cchc.parindex.documents import (
    BORDER,
    FONT,
    HEADER_FILL,
    _cell_text,
    _new_document,
    _paragraph,
    index_text,
)
from cchc.plans.documents import vietnamese as vn
from cchc.plans.documents.docx_report import _first, _line, _two_columns
from cchc.surveys.indices import IndexRow, campaign_total, index_table
from cchc.surveys.models import Element, ElementKind, ResponseChannel, SurveyCampaign, UnitQuota
from cchc.units.models import Unit, UnitLineage

RATING_METRIC = "onestop.satisfaction_rate"
HEADER_ROW = 5
CHANNEL_NAMES: dict[str, str] = {
    ResponseChannel.WEB.value: "Trực tuyến (đường dẫn, mã QR)",
    ResponseChannel.PAPER.value: "Phiếu giấy",
    ResponseChannel.IMPORT.value: "Nhập từ tệp",
    ResponseChannel.PHONE.value: "Phỏng vấn qua điện thoại",
}
NO_FIELD = "(không ghi lĩnh vực)"


# -- the figures ----------------------------------------------------------------------------------


@dataclass
class UnitResult:
    """One surveyed unit: this year's row (n = 0 and no index without answers), last year, the rating."""

    unit: Unit
    row: IndexRow
    previous: Decimal | None = None
    previous_from: str = ""  # the predecessor's name when last year's figure is its
    rating: Ratio | None = None

    @property
    def rating_rate(self) -> Decimal | None:
        return None if self.rating is None or self.rating.value is None else self.rating.value

    @property
    def change(self) -> Decimal | None:
        if self.row.overall is None or self.previous is None:
            return None
        return self.row.overall - self.previous


@dataclass
class Results:
    campaign: SurveyCampaign
    period: Period | None
    elements: list[Element]
    rows: list[UnitResult]
    total: IndexRow | None
    previous_campaign: SurveyCampaign | None = None
    previous_total: IndexRow | None = None
    quota_total: int = 0

    @property
    def below_quota(self) -> list[UnitResult]:
        return [result for result in self.rows if result.row.below_quota]


def previous_campaign(campaign: SurveyCampaign) -> SurveyCampaign | None:
    return (
        SurveyCampaign.objects.filter(organiser_id=campaign.organiser_id, year=campaign.year - 1)
        .order_by("code")
        .first()
    )


def same_period_last_year(period: Period | None) -> Period | None:
    """2026-Q2 -> 2025-Q2, so that a part of the year is compared with the same part."""
    return None if period is None else Period.parse(f"{period.year - 1}{period.key[4:]}")


def _single_predecessors(unit_ids: list[int]) -> dict[int, tuple[int, str]]:
    """For each unit that continues exactly one older unit: that unit's id and name."""
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    links = UnitLineage.objects.filter(successor_id__in=unit_ids).values_list(
        "successor_id", "predecessor_id", "predecessor__name"
    )
    for successor, predecessor, name in links:
        found[successor].append((predecessor, name))
    return {unit: pairs[0] for unit, pairs in found.items() if len(pairs) == 1}


def _rating(unit: Unit, period: Period) -> Ratio | None:
    try:
        metric = metrics.get(RATING_METRIC)
    except KeyError:  # the one-stop module is not installed
        return None
    return metric.compute(unit, period)


def result_rows(
    campaign: SurveyCampaign, *, units: QuerySet[Unit] | None = None, period: Period | None = None
) -> Results:
    """Every surveyed unit within `units` (None: all), in tree order, with the totals of those units."""
    rows = {row.key: row for row in index_table(campaign, "unit", period, units)}
    quotas = UnitQuota.objects.filter(campaign=campaign).select_related("unit")
    if units is not None:
        quotas = quotas.filter(unit__in=units)
    quota_total = 0
    for quota in quotas:
        quota_total += quota.quota
        if quota.unit_id not in rows:
            rows[quota.unit_id] = IndexRow(key=quota.unit_id, quota=quota.quota, unit=quota.unit)
    results = sorted(
        (UnitResult(unit=row.unit, row=row) for row in rows.values() if row.unit is not None),
        key=lambda result: result.unit.path,
    )
    rating_period = period or Period.parse(str(campaign.year))
    for result in results:
        result.rating = _rating(result.unit, rating_period)
    before = previous_campaign(campaign)
    previous_total = None
    if before is not None:
        earlier = same_period_last_year(period)
        last_year = {row.key: row.overall for row in index_table(before, "unit", earlier, units)}
        missing = [result.unit.pk for result in results if result.unit.pk not in last_year]
        predecessors = _single_predecessors(missing) if missing else {}
        for result in results:
            if result.unit.pk in last_year:
                result.previous = last_year[result.unit.pk]
            elif result.unit.pk in predecessors:
                predecessor, name = predecessors[result.unit.pk]
                result.previous, result.previous_from = last_year.get(predecessor), name
        previous_total = campaign_total(before, earlier, units)
    return Results(
        campaign=campaign,
        period=period,
        elements=list(campaign.elements.order_by("position")),
        rows=results,
        total=campaign_total(campaign, period, units),
        previous_campaign=before,
        previous_total=previous_total,
        quota_total=quota_total,
    )


def previous_elements(results: Results) -> dict[str, Decimal | None]:
    return results.previous_total.elements if results.previous_total else {}


def channel_name(key: str) -> str:
    return CHANNEL_NAMES.get(key, key)


# -- the workbook ---------------------------------------------------------------------------------


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _title_lines(sheet: Worksheet, lines: list[tuple[str, bool]]) -> None:
    for row, (text, bold) in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=text or None).font = Font(
            name=FONT, size=13, bold=bold, italic=not bold
        )


def _table(sheet: Worksheet, columns: list[tuple[str, float, str | None]], rows: list[list[Any]]) -> None:
    for number, (header, width, _format) in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=number, value=header)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.fill, cell.border = HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(number)].width = width
    for offset, values in enumerate(rows, start=1):
        for number, value in enumerate(values, start=1):
            cell = sheet.cell(row=HEADER_ROW + offset, column=number, value=value)
            cell.font, cell.border = Font(name=FONT, size=12), BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str))
            number_format = columns[number - 1][2]
            if number_format and value is not None:
                cell.number_format = number_format
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)


def _element_columns(elements: list[Element]) -> list[tuple[str, float, str | None]]:
    return [(f"{element.code}. {element.title}", 14, "0.00") for element in elements]


def _index_columns() -> list[tuple[str, float, str | None]]:
    return [
        ("Chỉ số hài lòng chung (%)", 12, "0.00"),
        ("Cận dưới KTC 95% (%)", 11, "0.00"),
        ("Cận trên KTC 95% (%)", 11, "0.00"),
    ]


def _index_values(row: IndexRow, elements: list[Element]) -> list[Any]:
    return [
        *[_number(row.elements.get(element.code)) for element in elements],
        _number(row.overall),
        _number(row.ci_low),
        _number(row.ci_high),
    ]


def _header_lines(results: Results, subject: str) -> list[tuple[str, bool]]:
    campaign = results.campaign
    scope = f" ({results.period.key})" if results.period else ""
    return [
        (f"KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC NĂM {campaign.year}{scope}", True),
        (f"{subject} - {campaign.organiser.name.upper()}", True),
        (f"{campaign.title} (mã {campaign.code}); {campaign.legal_basis}".rstrip("; "), False),
    ]


def results_xlsx(results: Results, *, by_field: list[IndexRow], by_channel: list[IndexRow]) -> bytes:
    """The unit sheet, then the same indices by field and by channel (`index_table` groupings)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Theo đơn vị"
    _unit_sheet(sheet, results)
    for title, subject, key, rows in (
        ("Theo lĩnh vực", "THEO LĨNH VỰC", "Lĩnh vực", by_field),
        ("Theo kênh", "THEO KÊNH KHẢO SÁT", "Kênh khảo sát", by_channel),
    ):
        _group_sheet(workbook.create_sheet(title), results, subject, key, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _unit_sheet(sheet: Worksheet, results: Results) -> None:
    _title_lines(sheet, _header_lines(results, "THEO CƠ QUAN, ĐƠN VỊ"))
    last_year = results.campaign.year - 1
    columns: list[tuple[str, float, str | None]] = [
        ("STT", 6, None),
        ("Mã đơn vị", 12, None),
        ("Tên đơn vị", 32, None),
        ("Số phiếu", 9, "0"),
        ("Số phiếu tối thiểu", 10, "0"),
        ("Đủ mẫu", 9, None),
        *_element_columns(results.elements),
        *_index_columns(),
        (f"Chỉ số chung năm {last_year} (%)", 12, "0.00"),
        ("Hài lòng khi nhận kết quả (%)", 12, "0.00"),
        ("Số lượt đánh giá khi nhận kết quả", 12, "0"),
    ]
    rows: list[list[Any]] = []
    for position, result in enumerate(results.rows, start=1):
        row = result.row
        rating = result.rating
        rows.append(
            [
                position,
                result.unit.code,
                result.unit.name,
                row.n,
                row.quota,
                "Chưa đạt" if row.below_quota else "Đạt",
                *_index_values(row, results.elements),
                _number(result.previous),
                _number(result.rating_rate),
                None if rating is None or rating.denominator is None else int(rating.denominator),
            ]
        )
    if results.total is not None:
        total = results.total
        rows.append(
            [
                None,
                None,
                "Chung",
                total.n,
                results.quota_total,
                None,
                *_index_values(total, results.elements),
                _number(results.previous_total.overall if results.previous_total else None),
                None,
                None,
            ]
        )
    _table(sheet, columns, rows)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=4)


def _group_sheet(
    sheet: Worksheet, results: Results, subject: str, key_header: str, groups: list[IndexRow]
) -> None:
    _title_lines(sheet, _header_lines(results, subject))
    columns: list[tuple[str, float, str | None]] = [
        (key_header, 32, None),
        ("Số phiếu", 9, "0"),
        *_element_columns(results.elements),
        *_index_columns(),
    ]
    label = channel_name if key_header == "Kênh khảo sát" else (lambda key: key or NO_FIELD)
    rows = [[label(str(row.key or "")), row.n, *_index_values(row, results.elements)] for row in groups]
    _table(sheet, columns, rows)


# -- the report -----------------------------------------------------------------------------------


def _text(document: Any, text: str, *, bold: bool = False) -> None:
    """A body paragraph: justified, indented first line, 6 pt after."""
    paragraph = _paragraph(document, text, bold=bold, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.paragraph_format.space_after = Pt(6)


def percent_text(value: Decimal | None) -> str:
    """93.3333 -> "93,33%": always two decimals, as indices are published; None -> a dash."""
    return "—" if value is None else f"{index_text(value)}%"


def _change_text(change: Decimal) -> str:
    if change > 0:
        return f"tăng {index_text(change)} điểm phần trăm"
    if change < 0:
        return f"giảm {index_text(-change)} điểm phần trăm"
    return "không thay đổi"


def _grid(document: Any, headers: list[tuple[str, float]], lines: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, (header, width) in zip(table.rows[0].cells, headers, strict=True):
        cell.width = Cm(width)
        _cell_text(cell, header, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for line in lines:
        for position, (cell, text) in enumerate(zip(table.add_row().cells, line, strict=True)):
            cell.width = Cm(headers[position][1])
            align = WD_ALIGN_PARAGRAPH.LEFT if position == 1 else WD_ALIGN_PARAGRAPH.CENTER
            _cell_text(cell, text, align=align)


def _heading(document: Any, results: Results) -> None:
    organiser = results.campaign.organiser
    table = _two_columns(document, 6, 10, rows=2)
    left, right = table.rows[0].cells
    superior, body = vn.heading_lines(organiser)
    paragraph = _first(left)
    if superior:
        _line(left, superior, size=13, paragraph=paragraph)
        paragraph = left.add_paragraph()
    _line(left, "\n".join(body), bold=True, size=13, paragraph=paragraph)
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, paragraph=_first(right))
    _line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    number_cell, date_cell = table.rows[1].cells
    _line(number_cell, vn.document_number("", organiser), size=13, paragraph=_first(number_cell))
    day = vn.date_line("…………", timezone.localdate())
    _line(date_cell, day, italic=True, size=13, paragraph=_first(date_cell))


def report_docx(results: Results) -> bytes:
    campaign, total = results.campaign, results.total
    year = campaign.year
    document = _new_document()
    _heading(document, results)
    _paragraph(document, "").paragraph_format.space_after = Pt(6)
    _paragraph(document, "BÁO CÁO", bold=True)
    subject = _paragraph(
        document,
        "Kết quả khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ "
        f"của cơ quan hành chính nhà nước năm {year}",
        bold=True,
    )
    subject.paragraph_format.space_after = Pt(12)
    scope = f" (số liệu kỳ {results.period.key})" if results.period else ""
    _text(document, "I. THÔNG TIN CHUNG", bold=True)
    _text(
        document,
        f"{vn.body_name(campaign.organiser)} tổ chức cuộc khảo sát “{campaign.title}”{scope} "
        f"tại {len(results.rows)} cơ quan, đơn vị; thu được {vn.number(total.n if total else 0)} "
        "phiếu hợp lệ "
        f"trên tổng số phiếu tối thiểu {vn.number(results.quota_total)}.",
    )
    if campaign.legal_basis:
        _text(document, f"Căn cứ, phương pháp: {campaign.legal_basis.rstrip('.')}.")
    _text(document, "II. KẾT QUẢ CHUNG", bold=True)
    _overall(document, results)
    _text(document, "III. KẾT QUẢ THEO CƠ QUAN, ĐƠN VỊ", bold=True)
    headers = [
        ("STT", 1.1),
        ("Cơ quan, đơn vị", 5.3),
        ("Số phiếu / tối thiểu", 2.4),
        (f"Chỉ số năm {year}", 2.4),
        (f"Năm {year - 1}", 2.2),
        ("Hài lòng khi nhận kết quả", 2.6),
    ]
    lines = [
        [
            str(position),
            result.unit.name,
            f"{vn.number(result.row.n)} / {vn.number(result.row.quota)}",
            percent_text(result.row.overall),
            percent_text(result.previous),
            percent_text(result.rating_rate),
        ]
        for position, result in enumerate(results.rows, start=1)
    ]
    _grid(document, headers, lines)
    _text(document, "")
    _text(document, "IV. CÁC CƠ QUAN, ĐƠN VỊ CHƯA ĐẠT SỐ PHIẾU TỐI THIỂU", bold=True)
    below = results.below_quota
    if not below:
        _text(document, "Tất cả các cơ quan, đơn vị đều đạt số phiếu tối thiểu.")
    for result in below:
        _text(document, f"- {result.unit.name}: {result.row.n}/{result.row.quota} phiếu.")
    _text(
        document,
        "Ghi chú: chỉ số của từng yếu tố là tỷ lệ câu trả lời “hài lòng” và “rất hài lòng” trên số câu trả "
        "lời hợp lệ; khoảng tin cậy 95% tính theo phương pháp Wilson trên số phiếu, chỉ mang tính tham khảo "
        "khi số phiếu nhỏ.",
    )
    _text(document, f"{vn.body_name(campaign.organiser)} báo cáo./.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _overall(document: Any, results: Results) -> None:
    total, before = results.total, results.previous_total
    year = results.campaign.year
    if total is None or total.overall is None:
        _text(document, "Chưa có phiếu khảo sát nào được ghi nhận.")
    else:
        sentence = (
            f"Chỉ số hài lòng chung năm {year} đạt {percent_text(total.overall)} "
            f"(khoảng tin cậy 95%: {percent_text(total.ci_low)} – {percent_text(total.ci_high)})"
        )
        if before is not None and before.overall is not None:
            change = _change_text(total.overall - before.overall)
            sentence += f"; năm {year - 1} đạt {percent_text(before.overall)}, {change}"
        _text(document, f"{sentence}.")
    earlier = previous_elements(results)
    lines = []
    for element in results.elements:
        now = total.elements.get(element.code) if total else None
        then = earlier.get(element.code)
        difference = (
            "—" if now is None or then is None else f"{'+' if now > then else ''}{index_text(now - then)}"
        )
        kind = " (nhóm chính sách)" if element.kind == ElementKind.POLICY else ""
        lines.append(
            [element.code, f"{element.title}{kind}", percent_text(then), percent_text(now), difference]
        )
    headers = [
        ("Mã", 1.6),
        ("Yếu tố", 7.0),
        (f"Năm {year - 1}", 2.4),
        (f"Năm {year}", 2.4),
        ("Chênh lệch", 2.6),
    ]
    _grid(document, headers, lines)
    _text(document, "")
