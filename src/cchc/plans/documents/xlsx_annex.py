"""The annex tables of the consolidated report as one XLSX workbook.

Sheets: "Phụ lục 1" task progress per unit and area (with the province totals at the end),
"Phụ lục 2" target values, "Nộp báo cáo" who reported and when. Each sheet has a title, a line
saying which round it belongs to, then the header row (row 4) and the data. Figures are numbers,
rates carry a percent format, and no data is an empty cell, never 0.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from cchc.kit import wording, xlsx
from cchc.kit.xlsx import COUNT, DAY, MOMENT, PERCENT
from cchc.plans.documents import vietnamese as vn
from cchc.plans.models import ReportSchedule
from cchc.plans.reporting import ConsolidatedReport, consolidated_report

HEADER_ROW = 4


def annex_xlsx(schedule: ReportSchedule) -> bytes:
    report = consolidated_report(schedule)
    workbook, first = xlsx.new_workbook()
    _progress_sheet(first, report)
    _targets_sheet(workbook.create_sheet(), report)
    _submissions_sheet(workbook.create_sheet(), report)
    return xlsx.as_bytes(workbook)


def _table(
    sheet: Worksheet,
    *,
    name: str,
    title: str,
    report: ConsolidatedReport,
    columns: Sequence[xlsx.Column],
    rows: Sequence[Sequence[Any]],
) -> None:
    """A titled table: the title, the line naming the round, then the kit's table from HEADER_ROW."""
    schedule = report.schedule
    sheet.title = name
    note = (
        f"(Kèm theo báo cáo kết quả công tác cải cách hành chính {vn.period_label(schedule)}; "
        f"số liệu từ {wording.short_date(schedule.data_from)} đến {wording.short_date(schedule.data_to)})"
    )
    xlsx.title_lines(sheet, [(title, True), (note, False)])
    # The note is a size smaller than the title, as the annexes have always been printed.
    sheet["A2"].font = Font(name=xlsx.FONT, italic=True, size=12)
    xlsx.write_table(sheet, columns, rows, header_row=HEADER_ROW)


def _share(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _progress_sheet(sheet: Worksheet, report: ConsolidatedReport) -> None:
    rows = []
    for index, row in enumerate([*report.unit_areas, *report.areas], start=1):
        counts = row.counts
        rows.append(
            [
                index,
                row.unit.name if row.unit else "Tổng hợp",
                row.area or vn.NO_AREA,
                counts.total,
                counts.done,
                counts.in_progress,
                counts.not_started,
                counts.cancelled,
                counts.overdue,
                _share(counts.done_share),
            ]
        )
    _table(
        sheet,
        name="Phụ lục 1",
        title="PHỤ LỤC 1. TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ THEO CƠ QUAN, ĐƠN VỊ VÀ LĨNH VỰC",
        report=report,
        columns=[
            ("STT", 6, None),
            ("Cơ quan, đơn vị", 32, None),
            ("Lĩnh vực", 40, None),
            ("Tổng số nhiệm vụ", 12, COUNT),
            ("Hoàn thành", 12, COUNT),
            ("Đang thực hiện", 12, COUNT),
            ("Chưa triển khai", 12, COUNT),
            ("Dừng thực hiện", 12, COUNT),
            ("Quá hạn", 10, COUNT),
            ("Tỷ lệ hoàn thành", 12, PERCENT),
        ],
        rows=rows,
    )


def _target_figure(value: Decimal | None, unit: str) -> float | None:
    """Percent targets are stored as 0–100; the sheet holds the fraction so Excel's % format fits."""
    if value is None:
        return None
    return float(value) / 100 if unit == "%" else float(value)


def _targets_sheet(sheet: Worksheet, report: ConsolidatedReport) -> None:
    rows = []
    for index, result in enumerate(report.targets, start=1):
        target = result.target
        ratio = result.ratio
        verdict = "Chưa có số liệu" if result.met is None else ("Đạt" if result.met else "Chưa đạt")
        rows.append(
            [
                index,
                target.code,
                target.text,
                target.area.title if target.area else "",
                target.get_comparator_display(),
                _target_figure(target.value, target.unit),
                vn.TARGET_UNITS.get(target.unit, target.unit),
                None if ratio is None else float(ratio.numerator),
                None if ratio is None or ratio.denominator is None else float(ratio.denominator),
                _target_figure(result.value, target.unit),
                result.units_with_data,
                verdict,
            ]
        )
    # Value and result columns mix rates and quantities: format them row by row.
    _table(
        sheet,
        name="Phụ lục 2",
        title="PHỤ LỤC 2. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        report=report,
        columns=[
            ("STT", 6, None),
            ("Mã", 8, None),
            ("Chỉ tiêu", 50, None),
            ("Lĩnh vực", 30, None),
            ("So sánh", 8, None),
            ("Giá trị chỉ tiêu", 12, None),
            ("Đơn vị tính", 10, None),
            ("Tử số", 12, "#,##0.###"),
            ("Mẫu số", 12, "#,##0.###"),
            ("Kết quả", 12, None),
            ("Số đơn vị có số liệu", 12, COUNT),
            ("Đánh giá", 16, None),
        ],
        rows=rows,
    )
    for offset, result in enumerate(report.targets, start=1):
        figure_format = PERCENT if result.target.unit == "%" else "#,##0.###"
        for column in (6, 10):
            sheet.cell(row=HEADER_ROW + offset, column=column).number_format = figure_format


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Excel has no time zones: write the Vietnamese local time without one."""
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def _submissions_sheet(sheet: Worksheet, report: ConsolidatedReport) -> None:
    rows = []
    for index, row in enumerate(report.submissions, start=1):
        submitted = row.report
        rows.append(
            [
                index,
                row.unit.name,
                row.unit.kind,
                vn.STATUS[row.status],
                _local(submitted.submitted_at) if submitted else None,
                _local(submitted.approved_at) if submitted else None,
                _local(submitted.accepted_at) if submitted else None,
                report.schedule.due_on,
                vn.TIMELINESS[row.timeliness],
            ]
        )
    _table(
        sheet,
        name="Nộp báo cáo",
        title="TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ",
        report=report,
        columns=[
            ("STT", 6, None),
            ("Cơ quan, đơn vị", 34, None),
            ("Loại", 10, None),
            ("Trạng thái", 24, None),
            ("Trình lãnh đạo lúc", 18, MOMENT),
            ("Gửi cơ quan tổng hợp lúc", 18, MOMENT),
            ("Tiếp nhận lúc", 18, MOMENT),
            ("Hạn gửi", 12, DAY),
            ("Đánh giá", 18, None),
        ],
        rows=rows,
    )
