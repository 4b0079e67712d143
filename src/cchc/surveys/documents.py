"""The files of the surveys module: a SIPAS campaign's results (workbook and report) and the list of
citizen feedback (workbook).

The SIPAS files state the figures of `queries.sipas.result_rows`, as the dashboard does.

The files are Vietnamese administrative documents whatever the interface language: their wording is
written here directly and never translated.
Workbook: a sheet per unit (code, name, forms, quota, each element, overall with its 95 % interval,
last year, rating at return), one by field and one by channel; figures are numbers, no data is empty.
Report: A4, Times New Roman 13 pt, the overall figures against last year, a table per unit and the
units below their quota.
Feedback workbook: the list as filtered, one row per feedback with its deadlines and verdict.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from docx.shared import Pt
from openpyxl.worksheet.worksheet import Worksheet

from cchc.kit import docx, wording, xlsx
from cchc.surveys.indices import IndexRow, smallest_group
from cchc.surveys.metrics import handled_on_time
from cchc.surveys.models import (
    Element,
    ElementKind,
    Feedback,
    FeedbackChannel,
    FeedbackKind,
    FeedbackStatus,
    FeedbackStep,
    ResponseChannel,
)
from cchc.surveys.queries.feedback import clock
from cchc.surveys.queries.sipas import Results, previous_elements
from cchc.workdays.calendar import get_calendar

HEADER_ROW = 5
CHANNEL_NAMES: dict[str, str] = {
    ResponseChannel.WEB.value: "Trực tuyến (đường dẫn, mã QR)",
    ResponseChannel.PAPER.value: "Phiếu giấy",
    ResponseChannel.IMPORT.value: "Nhập từ tệp",
    ResponseChannel.PHONE.value: "Phỏng vấn qua điện thoại",
}
NO_FIELD = "(không ghi lĩnh vực)"


def channel_name(key: str) -> str:
    return CHANNEL_NAMES.get(key, key)


# -- the workbook ---------------------------------------------------------------------------------


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _element_columns(elements: list[Element]) -> list[xlsx.Column]:
    return [(f"{element.code}. {element.title}", 14, "0.00") for element in elements]


def _index_columns() -> list[xlsx.Column]:
    return [
        ("Chỉ số hài lòng chung (%)", 12, "0.00"),
        ("Cận dưới KTC 95% (%)", 11, "0.00"),
        ("Cận trên KTC 95% (%)", 11, "0.00"),
    ]


def _index_values(row: IndexRow, elements: list[Element]) -> list[Any]:
    # A row with too few forms says why it has no figures, where its overall index would be.
    overall = f"Không công bố (dưới {row.hidden_below} phiếu)" if row.hidden_below else _number(row.overall)
    return [
        *[_number(row.elements.get(element.code)) for element in elements],
        overall,
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
    workbook, sheet = xlsx.new_workbook()
    sheet.title = "Theo đơn vị"
    _unit_sheet(sheet, results)
    for title, subject, key, rows in (
        ("Theo lĩnh vực", "THEO LĨNH VỰC", "Lĩnh vực", by_field),
        ("Theo kênh", "THEO KÊNH KHẢO SÁT", "Kênh khảo sát", by_channel),
    ):
        _group_sheet(workbook.create_sheet(title), results, subject, key, rows)
    return xlsx.as_bytes(workbook)


def _unit_sheet(sheet: Worksheet, results: Results) -> None:
    xlsx.title_lines(sheet, _header_lines(results, "THEO CƠ QUAN, ĐƠN VỊ"))
    last_year = results.campaign.year - 1
    columns: list[xlsx.Column] = [
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
    xlsx.write_table(sheet, columns, rows, header_row=HEADER_ROW, freeze_column=4)


def _group_sheet(
    sheet: Worksheet, results: Results, subject: str, key_header: str, groups: list[IndexRow]
) -> None:
    xlsx.title_lines(sheet, _header_lines(results, subject))
    columns: list[xlsx.Column] = [
        (key_header, 32, None),
        ("Số phiếu", 9, "0"),
        *_element_columns(results.elements),
        *_index_columns(),
    ]
    label = channel_name if key_header == "Kênh khảo sát" else (lambda key: key or NO_FIELD)
    rows = [[label(str(row.key or "")), row.n, *_index_values(row, results.elements)] for row in groups]
    xlsx.write_table(sheet, columns, rows, header_row=HEADER_ROW)


# -- the report -----------------------------------------------------------------------------------


def percent_text(value: Decimal | None) -> str:
    """93.3333 -> "93,33%": always two decimals, as indices are published; None -> a dash."""
    return "—" if value is None else f"{wording.fixed(value)}%"


def _change_text(change: Decimal) -> str:
    if change > 0:
        return f"tăng {wording.fixed(change)} điểm phần trăm"
    if change < 0:
        return f"giảm {wording.fixed(-change)} điểm phần trăm"
    return "không thay đổi"


def _grid(document: Any, headers: list[tuple[str, float]], lines: list[list[str]]) -> None:
    """A bordered table whose second column (the names) is left-aligned and the figures centred."""
    columns = [
        (header, width, docx.LEFT if position == 1 else docx.CENTER)
        for position, (header, width) in enumerate(headers)
    ]
    docx.grid(document, columns, lines)


def report_docx(results: Results) -> bytes:
    campaign, total = results.campaign, results.total
    year = campaign.year
    document = docx.new_document(body_size=13, page_numbers=False)
    docx.national_heading(document, campaign.organiser, number="", place="…………", day=timezone.localdate())
    docx.line(document, "").paragraph_format.space_after = Pt(6)
    docx.line(document, "BÁO CÁO", bold=True)
    subject = docx.line(
        document,
        "Kết quả khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ "
        f"của cơ quan hành chính nhà nước năm {year}",
        bold=True,
    )
    subject.paragraph_format.space_after = Pt(12)
    scope = f" (số liệu kỳ {results.period.key})" if results.period else ""
    docx.body_paragraph(document, "I. THÔNG TIN CHUNG", bold=True)
    docx.body_paragraph(
        document,
        f"{wording.body_name(campaign.organiser)} tổ chức cuộc khảo sát “{campaign.title}”{scope} "
        f"tại {len(results.rows)} cơ quan, đơn vị; thu được {wording.number(total.n if total else 0)} "
        "phiếu hợp lệ "
        f"trên tổng số phiếu tối thiểu {wording.number(results.quota_total)}.",
    )
    if campaign.legal_basis:
        docx.body_paragraph(document, f"Căn cứ, phương pháp: {campaign.legal_basis.rstrip('.')}.")
    docx.body_paragraph(document, "II. KẾT QUẢ CHUNG", bold=True)
    _overall(document, results)
    docx.body_paragraph(document, "III. KẾT QUẢ THEO CƠ QUAN, ĐƠN VỊ", bold=True)
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
            f"{wording.number(result.row.n)} / {wording.number(result.row.quota)}",
            "không công bố" if result.row.hidden_below else percent_text(result.row.overall),
            percent_text(result.previous),
            percent_text(result.rating_rate),
        ]
        for position, result in enumerate(results.rows, start=1)
    ]
    _grid(document, headers, lines)
    docx.body_paragraph(document, "")
    docx.body_paragraph(document, "IV. CÁC CƠ QUAN, ĐƠN VỊ CHƯA ĐẠT SỐ PHIẾU TỐI THIỂU", bold=True)
    below = results.below_quota
    if not below:
        docx.body_paragraph(document, "Tất cả các cơ quan, đơn vị đều đạt số phiếu tối thiểu.")
    for result in below:
        docx.body_paragraph(document, f"- {result.unit.name}: {result.row.n}/{result.row.quota} phiếu.")
    docx.body_paragraph(
        document,
        "Ghi chú: chỉ số của từng yếu tố là tỷ lệ câu trả lời “hài lòng” và “rất hài lòng” trên số câu trả "
        "lời hợp lệ; khoảng tin cậy 95% tính theo phương pháp Wilson trên số phiếu, chỉ mang tính tham khảo "
        "khi số phiếu nhỏ. Chỉ số của đơn vị có dưới "
        f"{smallest_group()} phiếu không được công bố, để không lộ câu trả lời của số ít người đã đánh giá.",
    )
    docx.body_paragraph(document, f"{wording.body_name(campaign.organiser)} báo cáo./.")
    return docx.as_bytes(document)


def _overall(document: Any, results: Results) -> None:
    total, before = results.total, results.previous_total
    year = results.campaign.year
    if total is None or total.overall is None:
        docx.body_paragraph(document, "Chưa có phiếu khảo sát nào được ghi nhận.")
    else:
        sentence = (
            f"Chỉ số hài lòng chung năm {year} đạt {percent_text(total.overall)} "
            f"(khoảng tin cậy 95%: {percent_text(total.ci_low)} – {percent_text(total.ci_high)})"
        )
        if before is not None and before.overall is not None:
            change = _change_text(total.overall - before.overall)
            sentence += f"; năm {year - 1} đạt {percent_text(before.overall)}, {change}"
        docx.body_paragraph(document, f"{sentence}.")
    earlier = previous_elements(results)
    lines = []
    for element in results.elements:
        now = total.elements.get(element.code) if total else None
        then = earlier.get(element.code)
        difference = (
            "—" if now is None or then is None else f"{'+' if now > then else ''}{wording.fixed(now - then)}"
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
    docx.body_paragraph(document, "")


# -- the feedback workbook ------------------------------------------------------------------------

STATUS_VI: dict[str, str] = {
    FeedbackStatus.RECEIVED: "Đã tiếp nhận, chưa chuyển xử lý",
    FeedbackStatus.ROUTED: "Đang xử lý",
    FeedbackStatus.INFO_REQUESTED: "Chờ bổ sung thông tin",
    FeedbackStatus.REFUSED: "Từ chối xử lý",
    FeedbackStatus.ANSWERED: "Đã trả lời",
    FeedbackStatus.CLOSED: "Đã kết thúc",
}
KIND_VI: dict[str, str] = {
    FeedbackKind.PROCEDURE: "Về thủ tục hành chính",
    FeedbackKind.OFFICIAL: "Về hành vi của cán bộ, công chức",
    FeedbackKind.OTHER: "Khác",
}
CHANNEL_VI: dict[str, str] = {
    FeedbackChannel.WEB: "Cổng thông tin",
    FeedbackChannel.STAFF: "Cán bộ tiếp nhận",
    FeedbackChannel.IMPORT: "Nhập từ hệ thống khác",
}
ON_TIME_VI = {True: "Đúng hạn", False: "Quá hạn", None: "Chưa đến hạn"}
STEP_VI: dict[str, str] = {
    FeedbackStep.REFUSE: "từ chối",
    FeedbackStep.MORE_INFO: "yêu cầu bổ sung",
    FeedbackStep.HANDLE: "trả lời",
    FeedbackStep.PUBLISH: "công khai",
}
RATING_VI: dict[str, str] = {"satisfied": "Hài lòng", "unsatisfied": "Không hài lòng"}
FEEDBACK_HEADER_ROW = 3
FEEDBACK_COLUMNS: list[xlsx.Column] = [
    ("Mã biên nhận", 16, None),
    ("Ngày tiếp nhận", 17, xlsx.MOMENT),
    ("Tiêu đề", 48, None),
    ("Loại phản ánh, kiến nghị", 28, None),
    ("Kênh tiếp nhận", 20, None),
    ("Đơn vị xử lý", 30, None),
    ("Trạng thái", 28, None),
    ("Hạn trả lời", 13, xlsx.DAY),
    ("Hạn của bước đang chờ", 13, xlsx.DAY),
    ("Số ngày làm việc còn lại (âm: quá hạn)", 16, None),
    ("Ngày trả lời", 17, xlsx.MOMENT),
    ("Ngày công khai", 17, xlsx.MOMENT),
    ("Bước trễ hạn", 24, None),
    ("Đánh giá của người dân", 16, None),
    ("Số lần phản ánh lại", 10, None),
    ("Xử lý đúng hạn", 14, None),
]


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A naive local datetime for a spreadsheet cell (Excel has no time zones)."""
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None)


def _feedback_row(item: Feedback, today: datetime.date, calendar: Any) -> list[Any]:
    state = clock(item, today, calendar)
    return [
        item.receipt_code,
        _local(item.received_at),
        item.title,
        KIND_VI.get(item.kind, item.kind),
        CHANNEL_VI.get(item.channel, item.channel),
        item.unit.name if item.unit else None,
        STATUS_VI.get(item.status, item.status),
        item.handle_due,
        state.due,
        state.days,
        _local(item.answered_at),
        _local(item.published_at),
        ", ".join(STEP_VI.get(step, step) for step in item.late_steps) or None,
        RATING_VI.get(item.rating),
        item.reopened_count,
        ON_TIME_VI[handled_on_time(item, today)],
    ]


def feedback_workbook(feedback: Iterable[Feedback]) -> bytes:
    """The feedback list as a workbook: a title line, the header on row 3, a row per feedback."""
    workbook, sheet = xlsx.new_workbook()
    sheet.title = "Phản ánh, kiến nghị"
    today, calendar = timezone.localdate(), get_calendar()
    xlsx.title_lines(sheet, [(f"DANH SÁCH PHẢN ÁNH, KIẾN NGHỊ (trích xuất ngày {today:%d/%m/%Y})", True)])
    rows = [_feedback_row(item, today, calendar) for item in feedback]
    xlsx.write_table(sheet, FEEDBACK_COLUMNS, rows, header_row=FEEDBACK_HEADER_ROW, freeze_column=2)
    return xlsx.as_bytes(workbook)
