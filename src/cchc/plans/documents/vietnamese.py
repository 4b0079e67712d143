"""The Vietnamese wording only the plans' documents use: report states, timeliness, period names.

The wording every official document shares (names of bodies, dates, numbers, document numbers) is
the kit's (`cchc.kit.wording`). Documents are official papers in Vietnamese whatever the interface
language, so these strings are written here directly and never translated.
"""

from cchc.plans.models import ReportSchedule, ReportStatus
from cchc.plans.reporting import LATE, MISSING, ON_TIME, PENDING

STATUS: dict[str | None, str] = {
    None: "Chưa lập báo cáo",
    ReportStatus.DRAFT: "Đang soạn thảo",
    ReportStatus.SUBMITTED: "Chờ lãnh đạo đơn vị duyệt",
    ReportStatus.APPROVED: "Đã gửi, chờ tiếp nhận",
    ReportStatus.ACCEPTED: "Đã tiếp nhận",
    ReportStatus.RETURNED: "Trả lại để chỉnh sửa",
}
TIMELINESS: dict[str, str] = {
    ON_TIME: "Đúng hạn",
    LATE: "Trễ hạn",
    MISSING: "Chưa gửi (quá hạn)",
    PENDING: "Chưa đến hạn",
}
TARGET_UNITS = {"%": "%", "count": "số lượng", "tỷ đồng": "tỷ đồng", "rank": "thứ hạng"}
NO_AREA = "Nhiệm vụ khác"
ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def period_label(schedule: ReportSchedule) -> str:
    """How a report names its round's period: "quý I năm 2026", "6 tháng đầu năm 2026", "năm 2026"."""
    year = schedule.period[:4]
    suffix = schedule.period[5:]
    if suffix.startswith("Q"):
        return f"quý {ROMAN.get(suffix[1:], suffix[1:])} năm {year}"
    return {
        "H1": f"6 tháng đầu năm {year}",
        "H2": f"6 tháng cuối năm {year}",
        "M9": f"9 tháng năm {year}",
    }.get(suffix, f"năm {year}")
